import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFormPost, adminRequest, installScoredShop, thrownResponse } from "../../test/support/admin-request";
import { startFake } from "../../test/support/app-harness";
import { orderRecord } from "../../test/support/seed-store";
import type { FakeShopify } from "../../test/fake-shopify/server";
import { routeShopifyToFake } from "../../test/fake-shopify/route-fetch";
import prisma from "../db.server";
import { translate } from "../i18n/i18n";
import type { Message } from "../i18n/message";
import { upsertOrders } from "../sync/store.server";
import { loader as listLoader } from "./app.campaigns._index";
import { action as detailAction, loader as detailLoader } from "./app.campaigns.$id";
import { action as editAction } from "./app.campaigns.$id_.edit";
import { action as newAction, loader as newLoader } from "./app.campaigns.new";

// Managing live campaigns against the real database and the fake Shopify: what the
// discount looks like in Shopify after an edit, an end and a delete, and that a failure
// on either side leaves Patron and Shopify agreeing.

const SHOP = "manage-a.myshopify.com";
const OTHER = "manage-b.myshopify.com";

let fake: FakeShopify;
let restoreFetch: () => void;
const shopIds = new Map<string, number>();

async function install(domain: string) {
  shopIds.set(domain, await installScoredShop(fake, domain));
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function create(code: string, fields: Record<string, string> = {}, domain = SHOP): Promise<string> {
  const result = await newAction({
    request: await adminFormPost(domain, "/app/campaigns/new", {
      title: `Campaign ${code}`,
      code,
      audience: "group:volume",
      discountKind: "percentage",
      value: "10",
      startsAt: "",
      endsAt: inDays(14),
      oncePerCustomer: "on",
      controlPercent: "20",
      intent: "create",
      confirmed: "1",
      ...fields,
    }),
    params: {},
    context: {},
  });
  if (!(result instanceof Response)) throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  return /campaigns\/([0-9a-f-]{36})/.exec(result.headers.get("Location")!)![1];
}

// The edit form always posts its text fields; checkboxes only when ticked.
// The pages render their messages in the merchant's language; these tests read them in English.
const english = (failure: { message: Message; details: string[] }) => ({ message: translate("en", failure.message), details: failure.details });
const edit = async (id: string, fields: Record<string, string>, domain = SHOP) => {
  const result = await editAction({ request: await adminFormPost(domain, `/app/campaigns/${id}/edit`, { endsAt: inDays(14), usageLimit: "", ...fields }), params: { id }, context: {} });
  if (result instanceof Response) return result;
  return {
    errors: Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, v && translate("en", v)])),
    failure: result.failure && english(result.failure),
  };
};
type EnglishEditResult = { errors: Record<string, string | undefined>; failure: { message: string; details: string[] } | null };
const act = async (id: string, intent: string, domain = SHOP) => {
  const result = await detailAction({ request: await adminFormPost(domain, `/app/campaigns/${id}`, { intent }), params: { id }, context: {} });
  return result instanceof Response ? result : english(result);
};
const discountByCode = (code: string) => fake.control.discounts(SHOP).find((d) => d.codes.some((c) => c.code === code));
const row = (id: string) => prisma.campaign.findUnique({ where: { shopId_id: { shopId: shopIds.get(SHOP)!, id } } });

/** Runs `run` while the database refuses the campaign writes `event` + `when` select. */
async function withRefused<T>(event: "UPDATE" | "DELETE", when: string, run: () => Promise<T>): Promise<T> {
  await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'change refused'; END $$`);
  try {
    await prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_change BEFORE ${event} ON "Campaign" FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION refuse_change()`);
    return await run();
  } finally {
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_change ON "Campaign"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_change()`);
  }
}

describe("managing campaigns", () => {
  beforeAll(async () => {
    fake = await startFake("http://127.0.0.1:9", [
      { shopDomain: SHOP, customers: 300, seed: 41 },
      { shopDomain: OTHER, customers: 30, seed: 42 },
    ]);
    restoreFetch = routeShopifyToFake(fake.url);
    await install(SHOP);
    await install(OTHER);
  });

  afterAll(async () => {
    restoreFetch?.();
    await fake?.close();
  });

  it("edits title, value, end, usage limit and combinations on the live discount in Shopify and in Patron", async () => {
    const id = await create("EDIT10");
    const response = await edit(id, { title: "Spring push", value: "15", endsAt: inDays(30), usageLimit: "500", combinesShipping: "on" });
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).headers.get("Location")).toBe(`/app/campaigns/${id}?saved=1`);

    expect(discountByCode("EDIT10")).toMatchObject({
      title: "Spring push",
      value: { kind: "percentage", percentage: 0.15 },
      endsAt: `${inDays(30)}T00:00:00.000Z`,
      usageLimit: 500,
      appliesOncePerCustomer: false,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
      status: "ACTIVE",
    });
    expect(await row(id)).toMatchObject({ title: "Spring push", usageLimit: 500, oncePerCustomer: false, combinesShipping: true, pendingAction: null });
    expect(Number((await row(id))!.value)).toBe(15);
    // The audience is not editable: the discount still lists the same customers.
    expect(discountByCode("EDIT10")?.context.kind).toBe("customers");
  });

  it("answers bad edits with field errors and sends nothing to Shopify", async () => {
    const id = await create("BADEDIT");
    const before = discountByCode("BADEDIT")!.updatedAt;
    const errors = async (fields: Record<string, string>) => ((await edit(id, { title: "Ok", value: "10", ...fields })) as EnglishEditResult).errors;
    expect(await errors({ value: "150" })).toEqual({ value: "A percentage cannot exceed 100" });
    expect(await errors({ value: "1e3" })).toEqual({ value: "Enter the discount as a plain number, like 10 or 12.5" });
    expect(await errors({ endsAt: "2001-01-01" })).toEqual({ endsAt: "The end must be in the future" });
    expect(await errors({ usageLimit: "0" })).toMatchObject({ usageLimit: expect.stringMatching(/^The usage limit must be a whole number/) });
    expect(await errors({ title: " " })).toEqual({ title: "Give the campaign a title" });
    // A field the edit form does not have (the audience, the code) is refused outright.
    const refused = await thrownResponse(edit(id, { title: "Ok", value: "10", code: "OTHER" }));
    expect(refused.status).toBe(400);
    expect(discountByCode("BADEDIT")!.updatedAt).toBe(before);
  });

  it("shows Shopify's userErrors and changes nothing when Shopify refuses an edit", async () => {
    const id = await create("GONE10");
    // Given the merchant deleted the discount in Shopify admin
    const store = fake.control.shop(SHOP);
    store.discounts.splice(store.discounts.findIndex((d) => d.codes.some((c) => c.code === "GONE10")), 1);
    const result = (await edit(id, { title: "Renamed", value: "10", endsAt: inDays(14) })) as EnglishEditResult;
    expect(result.failure).toEqual({ message: "Shopify refused the change; nothing was changed in Patron.", details: ["id: Discount does not exist"] });
    expect(await row(id)).toMatchObject({ title: "Campaign GONE10", pendingAction: null });
  });

  it("sets the discount back in Shopify when Patron cannot save an edit", async () => {
    const id = await create("REVERT10");
    const result = (await withRefused("UPDATE", `OLD."pendingAction" = 'EDIT' AND NEW."pendingAction" IS NULL AND NEW.title <> OLD.title`, () =>
      edit(id, { title: "Never saved", value: "25", endsAt: inDays(14), oncePerCustomer: "on" }),
    )) as EnglishEditResult;
    expect(result.failure?.message).toMatch(/set back to its previous values/);
    expect(discountByCode("REVERT10")).toMatchObject({ title: "Campaign REVERT10", value: { kind: "percentage", percentage: 0.1 } });
    expect(await row(id)).toMatchObject({ title: "Campaign REVERT10", pendingAction: null });
  });

  it("ends a campaign now: the discount expires in Shopify and results stop counting at that moment", async () => {
    const shopId = shopIds.get(SHOP)!;
    const id = await create("END10", { controlPercent: "0", audience: "all" });
    const variant = fake.control.shop(SHOP).data.products[0].variants[0];
    const customer = fake.control.shop(SHOP).data.customers[0].id;
    const before = fake.control.placeOrder(SHOP, { customerId: customer, lineItems: [{ variantId: variant.id, quantity: 1 }], discountCode: "END10" });
    await prisma.$transaction((tx) => upsertOrders(tx, shopId, [orderRecord(before)]));

    const response = (await act(id, "end")) as Response;
    expect(response.headers.get("Location")).toBe(`/app/campaigns/${id}?ended=1`);
    const discount = discountByCode("END10")!;
    expect(discount.status).toBe("EXPIRED");
    const ended = (await row(id))!;
    expect(ended.endedAt).not.toBeNull();
    expect(Math.abs(Date.parse(discount.endsAt!) - ended.endedAt!.getTime())).toBeLessThan(5_000);

    // An order with the code that syncs later, stamped after the end, is not counted.
    const record = orderRecord(before);
    const late = { ...record, id: record.id * 10n + 9n, processedAt: new Date(ended.endedAt!.getTime() + 60_000) };
    await prisma.$transaction((tx) => upsertOrders(tx, shopId, [late]));
    const detail = await detailLoader({ request: await adminRequest(SHOP, `/app/campaigns/${id}`), params: { id }, context: {} });
    expect(detail.results.redemption.redemptions).toBe(1);
    expect(detail.campaign).toMatchObject({ state: "ended", endedAt: ended.endedAt!.toISOString() });

    // Ending twice, or editing an ended campaign, is refused plainly.
    expect(await act(id, "end")).toEqual({ message: "This campaign has already ended.", details: [] });
    expect(((await edit(id, { title: "Again", value: "10" })) as EnglishEditResult).errors.form).toMatch(/has ended and can no longer be edited/);
  });

  it("keeps the end reserved when Patron cannot record it, and a retry finishes it", async () => {
    const id = await create("ENDRETRY");
    const result = await withRefused("UPDATE", `OLD."pendingAction" = 'END' AND NEW."pendingAction" IS NULL`, () => act(id, "end"));
    expect(result).toEqual({ message: "Shopify ended the code, but Patron could not record it. Press End now again to finish.", details: [] });
    expect(discountByCode("ENDRETRY")!.status).toBe("EXPIRED");
    expect(await row(id)).toMatchObject({ pendingAction: "END", endedAt: null });
    // Another change waits for it
    expect(((await edit(id, { title: "Meanwhile", value: "10" })) as EnglishEditResult).failure?.message).toMatch(/^Another change to this campaign is in progress/);

    const retried = (await act(id, "end")) as Response;
    expect(retried.status).toBe(302);
    expect(await row(id)).toMatchObject({ pendingAction: null, endedAt: expect.any(Date) });
  });

  it("deletes a campaign and its discount, even when the discount is already gone from Shopify", async () => {
    const id = await create("DELETE10");
    const response = (await act(id, "delete")) as Response;
    expect(response.headers.get("Location")).toBe("/app/campaigns?deleted=1");
    expect(discountByCode("DELETE10")).toBeUndefined();
    expect(await row(id)).toBeNull();
    expect(await prisma.campaignMember.count({ where: { shopId: shopIds.get(SHOP)!, campaignId: id } })).toBe(0);

    const other = await create("DELETE11");
    const store = fake.control.shop(SHOP);
    store.discounts.splice(store.discounts.findIndex((d) => d.codes.some((c) => c.code === "DELETE11")), 1);
    expect(((await act(other, "delete")) as Response).status).toBe(302);
    expect(await row(other)).toBeNull();
  });

  it("keeps the delete reserved when Patron cannot remove the row, and a retry finishes it", async () => {
    const id = await create("DELRETRY");
    const result = await withRefused("DELETE", "TRUE", () => act(id, "delete"));
    expect(result).toEqual({ message: "The discount was deleted in Shopify, but Patron could not remove the campaign. Press Delete again to finish.", details: [] });
    expect(discountByCode("DELRETRY")).toBeUndefined();
    expect(await row(id)).toMatchObject({ pendingAction: "DELETE" });
    expect(((await act(id, "delete")) as Response).status).toBe(302);
    expect(await row(id)).toBeNull();
  });

  it("duplicates a campaign into a prefilled form with a new code", async () => {
    const id = await create("DUP10", { usageLimit: "40", controlPercent: "10" });
    const form = await newLoader({ request: await adminRequest(SHOP, `/app/campaigns/new?duplicate=${id}`), params: {}, context: {} });
    expect(form.duplicateOf).toBe("Campaign DUP10");
    expect(form.prefill).toMatchObject({ title: "Copy of Campaign DUP10", code: "DUP10-2", audience: "group:volume", value: "10", usageLimit: "40", controlPercent: "10", endsAt: inDays(14) });
    const copy = await create("DUP10-2", form.prefill!);
    expect(copy).not.toBe(id);
    const again = await newLoader({ request: await adminRequest(SHOP, `/app/campaigns/new?duplicate=${copy}`), params: {}, context: {} });
    expect(again.prefill?.code).toBe("DUP10-3");
  });

  it("never lets one shop change another's campaign, and refuses unknown intents", async () => {
    const id = await create("MINE10");
    expect(await act(id, "end", OTHER)).toEqual({ message: "No such campaign in this shop.", details: [] });
    expect(await act(id, "delete", OTHER)).toEqual({ message: "No such campaign in this shop.", details: [] });
    expect(((await edit(id, { title: "Theirs", value: "10" }, OTHER)) as EnglishEditResult).failure?.message).toBe("No such campaign in this shop.");
    expect((await thrownResponse(newLoader({ request: await adminRequest(OTHER, `/app/campaigns/new?duplicate=${id}`), params: {}, context: {} }))).status).toBe(404);
    expect((await thrownResponse(act(id, "publish"))).status).toBe(400);
    expect(discountByCode("MINE10")).toMatchObject({ title: "Campaign MINE10", status: "ACTIVE" });
    expect(await row(id)).toMatchObject({ title: "Campaign MINE10", endedAt: null });
  });

  it("shows the campaign total on the list", async () => {
    const list = await listLoader({ request: await adminRequest(SHOP, "/app/campaigns"), params: {}, context: {} });
    expect(list.total).toBe(await prisma.campaign.count({ where: { shopId: shopIds.get(SHOP)! } }));
    expect(list.total).toBe(list.campaigns.length);
  });
});
