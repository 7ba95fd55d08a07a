import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFormPost, adminRequest, installScoredShop, thrownResponse } from "../../test/support/admin-request";
import { startFake } from "../../test/support/app-harness";
import type { FakeShopify } from "../../test/fake-shopify/server";
import { routeShopifyToFake } from "../../test/fake-shopify/route-fetch";
import { allCustomers, countCustomers, listFiltersSchema } from "../customers/list.server";
import prisma from "../db.server";
import { translate } from "../i18n/i18n";
import { closeQueues, getQueue, QUEUES } from "../queue/queues.server";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { unauthenticated } from "../shopify.server";
import { createWriteBackProcessors } from "../writeback/jobs.server";
import { loader as detailLoader } from "./app.campaigns.$id";
import { action as newAction, loader as newLoader, type ActionResult } from "./app.campaigns.new";

// "Add all N to a campaign" from the customer list: the list's filter becomes the
// campaign's audience, resolved to customers when the campaign is created. The discount
// takes the first 250 at creation (Shopify's input limit) and a background job, whose
// payload names only the shop and the saved action, lists the rest.

const SHOP = "filter-campaigns-a.myshopify.com";
const OTHER = "filter-campaigns-b.myshopify.com";
const FILTER = "group=all&minOrders=1";

let fake: FakeShopify;
let restoreFetch: () => void;
const shopIds = new Map<string, number>();

const base = {
  title: "Everyone who ordered",
  discountKind: "percentage",
  value: "10",
  startsAt: "",
  endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
  oncePerCustomer: "on",
  controlPercent: "0",
  audience: "filter",
};

async function post(fields: Record<string, string>, domain = SHOP) {
  return newAction({ request: await adminFormPost(domain, "/app/campaigns/new", { ...base, ...fields }), params: {}, context: {} });
}

async function create(fields: Record<string, string>, domain = SHOP): Promise<string> {
  const result = await post({ ...fields, intent: "create", confirmed: "1" }, domain);
  if (!(result instanceof Response)) throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  const match = /^\/app\/campaigns\/([0-9a-f-]{36})\?created=1$/.exec(result.headers.get("Location") ?? "");
  expect(match).not.toBeNull();
  return match![1];
}

/** Every customer id the list shows for this filter, walking its pages. */
async function listed(domain: string, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const rows of allCustomers(prisma, shopIds.get(domain)!, listFiltersSchema.parse(Object.fromEntries(new URLSearchParams(query))), 50)) ids.push(...rows.map((r) => r.id));
  return ids;
}

const discountByCode = (code: string, domain = SHOP) => fake.control.discounts(domain).find((d) => d.codes.some((c) => c.code === code));
const discountCustomers = (code: string, domain = SHOP) => {
  const context = discountByCode(code, domain)?.context;
  return context?.kind === "customers" ? [...context.customerIds].sort() : null;
};

async function runQueuedJobs() {
  const processors = createWriteBackProcessors({
    db: prisma,
    adminFor: async (shop) => ({ admin: throttledAdmin((await unauthenticated.admin(shop)).admin.graphql, { shop }) }),
  });
  const jobs = (await getQueue(QUEUES.writeback).getJobs(["waiting"])).filter((j) => j.name === "bulk-customers");
  const results = [];
  for (const job of jobs) {
    results.push({ data: job.data, result: await processors["bulk-customers"](job.data) });
    await job.remove();
  }
  return results;
}

describe("a campaign for every customer matching the list's filter", () => {
  beforeAll(async () => {
    fake = await startFake("http://127.0.0.1:9", [
      { shopDomain: SHOP, customers: 400, seed: 51 },
      { shopDomain: OTHER, customers: 60, seed: 52 },
    ]);
    restoreFetch = routeShopifyToFake(fake.url);
    for (const domain of [SHOP, OTHER]) {
      shopIds.set(domain, await installScoredShop(fake, domain));
    }
    // The generator reuses customer ids across stores: the other shop's customers are told apart by email.
    await prisma.$executeRaw`UPDATE "Customer" SET email = 'shop-b-' || id || '@b.example' WHERE "shopId" = ${shopIds.get(OTHER)!}`;
  }, 180_000);

  afterAll(async () => {
    await getQueue(QUEUES.writeback).obliterate({ force: true });
    await closeQueues();
    restoreFetch?.();
    await fake?.close();
  });

  it("opens the form with the list's filter as the audience, its size and its guardrails", async () => {
    const matching = (await listed(SHOP, FILTER)).length;
    expect(matching).toBeGreaterThan(250);
    const form = await newLoader({ request: await adminRequest(SHOP, `/app/campaigns/new?${new URLSearchParams({ filter: FILTER })}`), params: {}, context: {} });
    expect(form.filter).toMatchObject({ customers: matching, filters: { group: "all", minOrders: 1 } });
    expect(new URLSearchParams(form.filter!.query).get("minOrders")).toBe("1");

    const preview = (await post({ code: "PREVIEWALL", filter: form.filter!.query, intent: "preview" })) as ActionResult;
    expect(preview.errors).toEqual({});
    expect(preview.preview?.audienceSize).toBe(matching);
    expect(preview.preview?.projection.customers).toBe(matching);
    expect(preview.preview?.guardrails.map((g) => g.code)).toContain("valued_in_audience");
  });

  it("creates the discount for exactly the matching customers, the first 250 at once and the rest in a background job", { timeout: 120_000 }, async () => {
    const matching = await listed(SHOP, FILTER);
    const id = await create({ code: "ALLBUYERS", filter: FILTER });
    const shopId = shopIds.get(SHOP)!;

    const row = await prisma.campaign.findUniqueOrThrow({ where: { shopId_id: { shopId, id } } });
    expect(row).toMatchObject({ status: "ACTIVE", audience: "filter", audienceFilter: { group: "all", minOrders: "1", sort: "value", dir: "desc" } });
    const members = await prisma.campaignMember.findMany({ where: { shopId, campaignId: id } });
    expect(members.map((m) => m.customerId.toString()).sort()).toEqual([...matching].sort());
    expect(members.every((m) => !m.holdout)).toBe(true);

    // Shopify took 250 at creation; the job is queued with ids only.
    expect(discountCustomers("ALLBUYERS")).toHaveLength(250);
    const page = await detailLoader({ request: await adminRequest(SHOP, `/app/campaigns/${id}`), params: { id }, context: {} });
    expect(page.listing).toMatchObject({ status: "queued", done: 250, total: matching.length });
    const [run, ...others] = await runQueuedJobs();
    expect(others).toEqual([]);
    expect(run.data).toEqual({ shopId, bulkActionId: page.listing!.id });
    expect(run.result).toEqual({ done: matching.length, total: matching.length });

    expect(discountCustomers("ALLBUYERS")).toEqual([...matching].sort());
    const after = await detailLoader({ request: await adminRequest(SHOP, `/app/campaigns/${id}`), params: { id }, context: {} });
    expect(after.listing).toMatchObject({ status: "done", done: matching.length, error: null });
    expect(translate("en", after.campaign.audience)).toBe(`${matching.length} customers matching a list filter`);

    // A copy takes the filter, matched afresh when the copy is created.
    const copy = await newLoader({ request: await adminRequest(SHOP, `/app/campaigns/new?duplicate=${id}`), params: {}, context: {} });
    expect(copy.prefill).toMatchObject({ audience: "filter", code: "ALLBUYERS-2" });
    expect(Object.fromEntries(new URLSearchParams(copy.prefill!.filter))).toMatchObject({ group: "all", minOrders: "1" });
    expect(copy.filter?.customers).toBe(matching.length);
  });

  it("keeps the control group out of the discount: it lists the treated customers only", { timeout: 120_000 }, async () => {
    const matching = await listed(SHOP, FILTER);
    const id = await create({ code: "ALLHOLD", filter: FILTER, controlPercent: "20", discountKind: "free_shipping" });
    await runQueuedJobs();
    const members = await prisma.campaignMember.findMany({ where: { shopId: shopIds.get(SHOP)!, campaignId: id } });
    expect(members.map((m) => m.customerId.toString()).sort()).toEqual([...matching].sort());
    const treated = members.filter((m) => !m.holdout).map((m) => m.customerId.toString());
    expect(members.length - treated.length).toBeGreaterThan(matching.length * 0.1);
    expect(discountByCode("ALLHOLD")?.kind).toBe("freeShipping");
    expect(discountCustomers("ALLHOLD")).toEqual(treated.sort());
  });

  it("excludes volume customers from a filter audience when asked", async () => {
    const query = "group=all&minOrders=3";
    const shopId = shopIds.get(SHOP)!;
    const matching = await listed(SHOP, query);
    const volume = new Set((await prisma.customerScore.findMany({ where: { shopId, group: "volume" }, select: { customerId: true } })).map((r) => r.customerId.toString()));
    const wanted = matching.filter((c) => !volume.has(c));
    expect(wanted.length).toBeLessThan(matching.length);
    expect(wanted.length).toBeLessThanOrEqual(250);
    const id = await create({ code: "NOVOLUME", filter: query, excludeVolume: "on" });
    expect(discountCustomers("NOVOLUME")).toEqual([...wanted].sort());
    const page = await detailLoader({ request: await adminRequest(SHOP, `/app/campaigns/${id}`), params: { id }, context: {} });
    expect(page.listing).toBeNull();
  });

  it("answers a malformed filter with 400 on the link and a field error on the form, creating nothing", async () => {
    const response = await thrownResponse(newLoader({ request: await adminRequest(SHOP, `/app/campaigns/new?${new URLSearchParams({ filter: "group=everyone" })}`), params: {}, context: {} }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^filter: group: /);
    const bad = await thrownResponse(newLoader({ request: await adminRequest(SHOP, `/app/campaigns/new?${new URLSearchParams({ filter: "group=all&lastFrom=2026-02-30" })}`), params: {}, context: {} }));
    expect(bad.status).toBe(400);

    const discounts = fake.control.discounts(SHOP).length;
    for (const filter of ["group=everyone", "group=all&minOrders=1e3", "group=all&q=%00"]) {
      const result = (await post({ code: "BROKEN1", filter, intent: "create", confirmed: "1" })) as ActionResult;
      expect(result.errors.filter?.key, filter).toBe("campaignForm.errors.badFilter");
    }
    const missing = (await post({ code: "BROKEN1", filter: "", intent: "create", confirmed: "1" })) as ActionResult;
    expect(translate("en", missing.errors.filter!)).toBe("The customer list's filter is missing: open the campaign again from the list.");
    expect(fake.control.discounts(SHOP).length).toBe(discounts);
    expect(await prisma.campaign.count({ where: { code: "BROKEN1" } })).toBe(0);
  });

  it("never includes another shop's customers", async () => {
    // Shop B's customers match this search; in shop A nobody does, so nothing can be created there.
    const query = "group=all&q=shop-b-";
    expect(await countCustomers(prisma, shopIds.get(SHOP)!, listFiltersSchema.parse({ group: "all", q: "shop-b-" }))).toBe(0);
    const empty = (await post({ code: "OTHERS1", filter: query, intent: "create", confirmed: "1" })) as ActionResult;
    expect(empty.errors).toEqual({ form: expect.objectContaining({ key: "campaignForm.errors.blocked" }) });
    expect(empty.preview?.guardrails.map((g) => g.code)).toContain("empty_audience");

    const theirs = await listed(OTHER, query);
    expect(theirs.length).toBeGreaterThan(0);
    const id = await create({ code: "OWNONLY", filter: query }, OTHER);
    const members = await prisma.campaignMember.findMany({ where: { campaignId: id } });
    expect(members.every((m) => m.shopId === shopIds.get(OTHER))).toBe(true);
    expect(members.map((m) => m.customerId.toString()).sort()).toEqual([...theirs].sort());
    expect(discountCustomers("OWNONLY", OTHER)).toEqual([...theirs].sort());
    expect(discountByCode("OWNONLY", SHOP)).toBeUndefined();
    // And shop A cannot open shop B's campaign or its progress.
    expect((await thrownResponse(detailLoader({ request: await adminRequest(SHOP, `/app/campaigns/${id}`), params: { id }, context: {} }))).status).toBe(404);
  });
});
