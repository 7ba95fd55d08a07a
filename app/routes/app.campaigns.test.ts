import { translate } from "../i18n/i18n";
import type { Message } from "../i18n/message";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFormPost, adminRequest, installScoredShop, thrownResponse } from "../../test/support/admin-request";
import { startFake } from "../../test/support/app-harness";
import { orderRecord } from "../../test/support/seed-store";
import type { FakeShopify } from "../../test/fake-shopify/server";
import { routeShopifyToFake } from "../../test/fake-shopify/route-fetch";
import prisma from "../db.server";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { DISCOUNT_CODE_BASIC_CREATE_MUTATION } from "../shopify/operations/discount-code-basic-create";
import { unauthenticated } from "../shopify.server";
import { redactCustomer } from "../sync/compliance.server";
import { upsertOrders } from "../sync/store.server";
import { loader as listLoader } from "./app.campaigns._index";
import { loader as detailLoader } from "./app.campaigns.$id";
import { action as newAction, loader as newLoader, type ActionResult } from "./app.campaigns.new";

// The campaign routes against the real database and the fake Shopify: what lands in
// Shopify (segments, discounts and who may use them), what is saved, and results
// measured from orders placed with the code.

const SHOP = "campaigns-a.myshopify.com";
const OTHER = "campaigns-b.myshopify.com";

let fake: FakeShopify;
let restoreFetch: () => void;
const shopIds = new Map<string, number>();

async function install(domain: string) {
  const id = await installScoredShop(fake, domain);
  shopIds.set(domain, id);
  return id;
}

const base = {
  title: "Volume winter push",
  discountKind: "percentage",
  value: "10",
  startsAt: "",
  endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
  oncePerCustomer: "on",
  combinesShipping: "on",
  controlPercent: "0",
};

async function post(fields: Record<string, string>, domain = SHOP) {
  return newAction({ request: await adminFormPost(domain, "/app/campaigns/new", fields), params: {}, context: {} });
}

async function create(fields: Record<string, string>, domain = SHOP): Promise<string> {
  const result = await post({ ...base, ...fields, intent: "create", confirmed: "1" }, domain);
  if (!(result instanceof Response)) throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  expect(result.status).toBe(302);
  const match = /^\/app\/campaigns\/([0-9a-f-]{36})\?created=1$/.exec(result.headers.get("Location") ?? "");
  expect(match).not.toBeNull();
  return match![1];
}

async function groupMembers(domain: string, group: "volume" | "valued") {
  const rows = await prisma.customerScore.findMany({ where: { shopId: shopIds.get(domain)!, group }, select: { customerId: true } });
  return rows.map((r) => r.customerId.toString());
}

const discountByCode = (code: string, domain = SHOP) => fake.control.discounts(domain).find((d) => d.codes.some((c) => c.code === code));

const en = (m: Message | undefined) => (m ? translate("en", m) : undefined);

describe("discount campaigns", () => {
  beforeAll(async () => {
    fake = await startFake("http://127.0.0.1:9", [
      { shopDomain: SHOP, customers: 400, seed: 31 },
      { shopDomain: OTHER, customers: 40, seed: 32 },
    ]);
    restoreFetch = routeShopifyToFake(fake.url);
    await install(SHOP);
    await install(OTHER);
  });

  afterAll(async () => {
    restoreFetch?.();
    await fake?.close();
  });

  it("previews the projected margin cost and guardrails as the form changes", async () => {
    const result = (await post({ ...base, code: "PREVIEW1", audience: "all", intent: "preview" })) as ActionResult;
    expect(result.errors).toEqual({});
    expect(result.preview?.projection.customers).toBeGreaterThan(300);
    expect(result.preview?.guardrails.map((g) => g.code)).toEqual(expect.arrayContaining(["valued_in_audience", "volume_in_broad_promotion"]));

    const excluded = (await post({ ...base, code: "PREVIEW1", audience: "all", excludeVolume: "on", intent: "preview" })) as ActionResult;
    expect(excluded.preview?.volumeExcluded).toBe((await groupMembers(SHOP, "volume")).length);
    expect(excluded.preview?.guardrails.map((g) => g.code)).not.toContain("volume_in_broad_promotion");

    const deep = (await post({ ...base, code: "PREVIEW1", audience: "group:volume", value: "90", intent: "preview" })) as ActionResult;
    expect(deep.preview?.verdict).toBe("block");
    expect(deep.preview?.guardrails[0].code).toBe("margin_negative");
  });

  it("creates a volume-group campaign as a Patron tag segment and a code for that segment", async () => {
    const id = await create({ code: "VOLUME10", audience: "group:volume" });

    const segments = fake.control.segments(SHOP).filter((s) => s.query === "customer_tags CONTAINS 'patron:volume'");
    expect(segments).toHaveLength(1);
    const discount = discountByCode("VOLUME10");
    expect(discount).toMatchObject({
      kind: "basic",
      title: "Volume winter push",
      value: { kind: "percentage", percentage: 0.1 },
      context: { kind: "segments", segmentIds: [segments[0].id] },
      appliesOncePerCustomer: true,
      usageLimit: null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    });

    const row = await prisma.campaign.findUniqueOrThrow({ where: { shopId_id: { shopId: shopIds.get(SHOP)!, id } } });
    expect(row).toMatchObject({ status: "ACTIVE", audience: "group", group: "volume", code: "VOLUME10", segmentQuery: "customer_tags CONTAINS 'patron:volume'" });
    expect(row.segmentId?.toString()).toBe(segments[0].id);
    expect(row.discountId?.toString()).toBe(discount!.id);
    expect(await prisma.campaignMember.count({ where: { campaignId: id } })).toBe(0);

    // A second campaign for the group reuses the segment.
    await create({ code: "VOLUMESHIP", audience: "group:volume", discountKind: "free_shipping" });
    expect(fake.control.segments(SHOP).filter((s) => s.query === "customer_tags CONTAINS 'patron:volume'")).toHaveLength(1);
    expect(discountByCode("VOLUMESHIP")).toMatchObject({ kind: "freeShipping", context: { kind: "segments", segmentIds: [segments[0].id] } });
  });

  it("keeps the control group out of the discount by listing only the treated customers", async () => {
    const id = await create({ code: "VOLHOLD20", audience: "group:volume", controlPercent: "20", value: "5", discountKind: "fixed_amount" });
    const volume = await groupMembers(SHOP, "volume");
    const members = await prisma.campaignMember.findMany({ where: { shopId: shopIds.get(SHOP)!, campaignId: id } });
    expect(members.map((m) => m.customerId.toString()).sort()).toEqual([...volume].sort());
    const holdouts = members.filter((m) => m.holdout).map((m) => m.customerId.toString());
    expect(holdouts.length).toBeGreaterThan(0);
    expect(holdouts.length / members.length).toBeGreaterThan(0.05);
    expect(holdouts.length / members.length).toBeLessThan(0.4);

    const discount = discountByCode("VOLHOLD20");
    expect(discount?.value).toEqual({ kind: "amount", amount: "5.00", appliesOnEachItem: false });
    expect(discount?.context.kind).toBe("customers");
    const listed = discount?.context.kind === "customers" ? discount.context.customerIds : [];
    expect(listed.sort()).toEqual(members.filter((m) => !m.holdout).map((m) => m.customerId.toString()).sort());
    for (const h of holdouts) expect(listed).not.toContain(h);
  });

  it("creates a campaign for customers selected in the customer list", async () => {
    const picked = (await groupMembers(SHOP, "volume")).slice(0, 3);
    const form = await newLoader({ request: await adminRequest(SHOP, `/app/campaigns/new?customers=${picked.join(",")}`), params: {}, context: {} });
    expect(form.selected.map((c) => c.id).sort()).toEqual([...picked].sort());

    const id = await create({ code: "PICKED15", audience: "customers", customers: picked.join(","), value: "15" });
    expect(discountByCode("PICKED15")?.context).toEqual({ kind: "customers", customerIds: expect.arrayContaining(picked) });
    expect(await prisma.campaignMember.count({ where: { campaignId: id, holdout: false } })).toBe(3);
  });

  it("refuses another shop's customers and invalid forms, creating nothing in Shopify", async () => {
    const before = fake.control.discounts(SHOP).length;
    // Generated shops can share ids: pick one that exists only in the other shop.
    const own = new Set(fake.control.shop(SHOP).data.customers.map((c) => c.id));
    const foreign = fake.control.shop(OTHER).data.customers.find((c) => !own.has(c.id))?.id ?? "999999999999999";
    const result = (await post({ ...base, code: "FOREIGN1", audience: "customers", customers: foreign, intent: "create", confirmed: "1" })) as ActionResult;
    expect(en(result.errors.customers)).toMatch(/^1 selected customer is not in this shop/);

    const invalid = (await post({ ...base, title: "", code: "a b", audience: "group:volume", intent: "create" })) as ActionResult;
    expect(en(invalid.errors.title)).toBe("Give the campaign a title");
    const value = (await post({ ...base, code: "BADVALUE", audience: "group:volume", value: "-5", intent: "create" })) as ActionResult;
    expect(Object.keys(value.errors)).toEqual(["value"]);
    expect(en(value.errors.value)).toBe("Enter a discount greater than 0");
    const taken = (await post({ ...base, code: "VOLUME10", audience: "group:volume", intent: "create", confirmed: "1" })) as ActionResult;
    expect(en(taken.errors.code)).toBe("Another campaign already uses the code VOLUME10");

    expect(fake.control.discounts(SHOP)).toHaveLength(before);
  });

  it("answers malformed numbers and dates with field errors, never sending them to Shopify", async () => {
    const before = fake.control.discounts(SHOP).length;
    const attempt = async (fields: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(((await post({ ...base, code: "PROBE1", audience: "group:volume", intent: "create", confirmed: "1", ...fields })) as ActionResult).errors).map(
          ([k, m]) => [k, en(m)],
        ),
      );
    expect(await attempt({ value: "0x10" })).toEqual({ value: "Enter the discount as a plain number, like 10 or 12.5" });
    expect(await attempt({ endsAt: "2027-02-30" })).toEqual({ endsAt: "The end is not a date" });
    expect(await attempt({ endsAt: "2020-01-01" })).toEqual({ endsAt: "The end must be in the future" });
    expect(await attempt({ usageLimit: "2147483648" })).toEqual({ usageLimit: "The usage limit must be a whole number from 1 to 2,147,483,647" });
    // The end date the database cannot store: refused before anything is created anywhere.
    expect(await attempt({ endsAt: "+275760-09-13" })).toEqual({ endsAt: "The end is not a date" });
    expect(await attempt({ endsAt: "275760-09-13T00:00:00Z" })).toEqual({ endsAt: "The end is not a date" });
    expect(fake.control.discounts(SHOP)).toHaveLength(before);
    expect(await prisma.campaign.count({ where: { code: "PROBE1" } })).toBe(0);
  });

  it("deletes the discount in Shopify again when the campaign cannot be committed", async () => {
    // Given a database that refuses to commit the campaign after Shopify created its discount
    await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'commit refused'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_commit BEFORE UPDATE ON "Campaign" FOR EACH ROW WHEN (NEW.status = 'ACTIVE') EXECUTE FUNCTION refuse_commit()`);
    try {
      const result = (await post({ ...base, code: "UNDONE10", audience: "group:volume", intent: "create", confirmed: "1" })) as ActionResult;
      // then the merchant is told, and neither Shopify nor Patron holds the campaign
      expect(en(result.errors.form)).toMatch(/its discount was removed from Shopify again/);
      expect(discountByCode("UNDONE10")).toBeUndefined();
      expect(await prisma.campaign.count({ where: { code: "UNDONE10" } })).toBe(0);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_commit ON "Campaign"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_commit()`);
    }
    // and a retry creates it
    await create({ code: "UNDONE10", audience: "group:volume" });
    expect(discountByCode("UNDONE10")).toBeDefined();
  });

  it("asks for confirmation of warnings and refuses a blocked campaign", async () => {
    const before = fake.control.discounts(SHOP).length;
    const warned = (await post({ ...base, code: "VALUED5", audience: "group:valued", value: "5", intent: "create" })) as ActionResult;
    expect(warned.needsConfirmation).toBe(true);
    expect(warned.preview?.guardrails.find((g) => g.code === "valued_in_audience")?.suggestions?.map(en)).toContain("A personal thank-you note from the team");
    const blocked = (await post({ ...base, code: "VOLUME90", audience: "group:volume", value: "90", intent: "create", confirmed: "1" })) as ActionResult;
    expect(en(blocked.errors.form)).toBe("The guardrails block this campaign.");
    expect(fake.control.discounts(SHOP)).toHaveLength(before);
    expect(await prisma.campaign.count({ where: { code: { in: ["VALUED5", "VOLUME90"] } } })).toBe(0);
  });

  it("shows Shopify's userErrors and saves nothing when Shopify refuses the discount", async () => {
    const { admin } = await unauthenticated.admin(SHOP);
    await throttledAdmin(admin.graphql, { shop: SHOP }).request(DISCOUNT_CODE_BASIC_CREATE_MUTATION, {
      basicCodeDiscount: { title: "Merchant's own", code: "TAKEN10", startsAt: new Date().toISOString(), context: { all: "ALL" }, customerGets: { value: { percentage: 0.1 }, items: { all: true } } },
    });
    const result = (await post({ ...base, code: "TAKEN10", audience: "group:rising", intent: "create", confirmed: "1" })) as ActionResult;
    expect(result.shopifyErrors).toEqual(["code: Code must be unique. Please try a different code."]);
    expect(await prisma.campaign.count({ where: { code: "TAKEN10" } })).toBe(0);

    // The segment made for the refused attempt is found and reused by the next one.
    const segments = () => fake.control.segments(SHOP).filter((s) => s.query === "customer_tags CONTAINS 'patron:rising'");
    expect(segments()).toHaveLength(1);
    await create({ code: "RISING10", audience: "group:rising" });
    expect(segments()).toHaveLength(1);
    expect(discountByCode("RISING10")?.context).toEqual({ kind: "segments", segmentIds: [segments()[0].id] });
  });

  it("measures redemptions, revenue, margin and uplift from orders placed with the code", async () => {
    const shopId = shopIds.get(SHOP)!;
    const id = await create({ code: "MEASURE10", audience: "group:volume", controlPercent: "30" });
    const members = await prisma.campaignMember.findMany({ where: { shopId, campaignId: id } });
    const treated = members.filter((m) => !m.holdout).map((m) => m.customerId.toString());
    const held = members.filter((m) => m.holdout).map((m) => m.customerId.toString());
    const variant = fake.control.shop(SHOP).data.products[0].variants[0];

    const placed = [
      ...treated.slice(0, 3).map((customerId) => fake.control.placeOrder(SHOP, { customerId, lineItems: [{ variantId: variant.id, quantity: 2 }], discountCode: "MEASURE10" })),
      fake.control.placeOrder(SHOP, { customerId: held[0], lineItems: [{ variantId: variant.id, quantity: 1 }] }),
    ];
    await prisma.$transaction((tx) => upsertOrders(tx, shopId, placed.map((o) => orderRecord(o))));
    expect(fake.control.discounts(SHOP).find((d) => d.codes.some((c) => c.code === "MEASURE10"))?.usage).toBe(3);

    const detail = await detailLoader({ request: await adminRequest(SHOP, `/app/campaigns/${id}`), params: { id }, context: {} });
    const price = Number(variant.price) * 2;
    const cost = variant.unitCost === null ? price * 0.6 : Number(variant.unitCost) * 2;
    expect(detail.results.redemption).toEqual({
      redemptions: 3,
      customers: 3,
      revenue: Math.round(price * 0.9 * 3 * 100) / 100,
      discounts: Math.round(price * 0.1 * 3 * 100) / 100,
      margin: Math.round((price * 0.9 - cost) * 3 * 100) / 100,
    });
    expect(detail.results.uplift.treatment).toMatchObject({ customers: treated.length, converted: 3 });
    expect(detail.results.uplift.control).toMatchObject({ customers: held.length, converted: 1 });
    expect(detail.results.uplift.state).toBe("not_enough_data");
    expect(en(detail.results.uplift.note ?? undefined)).toMatch(/^Not enough data/);

    const list = await listLoader({ request: await adminRequest(SHOP, "/app/campaigns"), params: {}, context: {} });
    const listed = list.campaigns.find((c) => c.id === id)!;
    expect(listed).toMatchObject({ redemptions: 3, state: "active" });
    expect(en(listed.audience)).toBe("Volume customers");

    // customers/redact takes the customer out of every campaign.
    await redactCustomer(prisma, shopId, BigInt(held[0]), []);
    expect(await prisma.campaignMember.count({ where: { shopId, customerId: BigInt(held[0]) } })).toBe(0);
  });

  it("never shows one shop's campaigns to another", async () => {
    const mine = await create({ code: "OTHER10", audience: "group:volume" }, OTHER);
    const list = await listLoader({ request: await adminRequest(OTHER, "/app/campaigns"), params: {}, context: {} });
    expect(list.campaigns.map((c) => c.code)).toEqual(["OTHER10"]);

    const theirs = await prisma.campaign.findFirstOrThrow({ where: { shopId: shopIds.get(SHOP)! } });
    const response = await thrownResponse(detailLoader({ request: await adminRequest(OTHER, `/app/campaigns/${theirs.id}`), params: { id: theirs.id }, context: {} }));
    expect(response.status).toBe(404);
    const own = await detailLoader({ request: await adminRequest(OTHER, `/app/campaigns/${mine}`), params: { id: mine }, context: {} });
    expect(own.campaign.code).toBe("OTHER10");
    expect(fake.control.discounts(SHOP).some((d) => d.codes.some((c) => c.code === "OTHER10"))).toBe(false);
  });
});
