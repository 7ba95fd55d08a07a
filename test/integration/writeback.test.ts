import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { rescoreShop } from "../../app/scores/rescore.server";
import { adminFor, closeAdminAccess } from "../../app/worker/admin-access.server";
import { planShopWrites, writeBack } from "../../app/writeback/writer.server";
import type { FakeShopify } from "../fake-shopify/server";
import { emptyStore } from "../fake-shopify/store/empty-store";
import type { FakeCustomer } from "../fake-shopify/store/model";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";
import { installShop, startFake } from "../support/app-harness";
import { seedStore } from "../support/seed-store";

// Write-back against the fake Shopify: tags, metafields and Flow triggers, inside
// the cost limit. The scores come from the real scoring of generated stores.

const TAGGED = "writeback-tags.myshopify.com";
const PACED = "writeback-paced.myshopify.com";
const SHARED = "writeback-shared.myshopify.com";
const BULK = "writeback-bulk.myshopify.com";
const RESCORE = "writeback-2000.myshopify.com";

let fake: FakeShopify;
let restoreFetch: () => void;
const shopIds = new Map<string, number>();

const tagName = (group: string) => `patron:${group.replace(/_/g, "-")}`;

async function admin(shop: string) {
  const access = await adminFor(shop);
  if (!access) throw new Error(`no session for ${shop}`);
  return access.admin;
}

async function install(shop: string, asOf?: Date) {
  await installShop(fake, shop);
  const id = await seedStore(prisma, fake.control.shop(shop).data);
  shopIds.set(shop, id);
  await rescoreShop(prisma, id, "backfill", asOf ?? new Date(fake.control.shop(shop).data.truth.asOf));
  return id;
}

async function expectedTags(shopId: number): Promise<Map<string, string[]>> {
  const scores = await prisma.customerScore.findMany({ where: { shopId }, select: { customerId: true, group: true, vip: true } });
  return new Map(scores.map((s) => [s.customerId.toString(), [tagName(s.group), ...(s.vip ? ["patron:vip"] : [])]]));
}

function patronTags(tags: string[]) {
  return tags.filter((t) => t.startsWith("patron:")).sort();
}

function bulkStore(domain: string, customers: number) {
  const data = emptyStore(domain, "standard", "2026-11-01T00:00:00.000Z");
  for (let i = 0; i < customers; i++) {
    const customer: FakeCustomer = {
      id: String(7_100_000_000_000 + i),
      firstName: "Bulk",
      lastName: `Customer ${i}`,
      email: null,
      phone: null,
      tags: i % 10 === 0 ? ["wholesale"] : [],
      note: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
      emailMarketingState: "NOT_SUBSCRIBED",
      smsMarketingState: "NOT_SUBSCRIBED",
      metafields: [],
      deletedAt: null,
    };
    data.customers.push(customer);
  }
  return data;
}

describe("writing scores back to Shopify", () => {
  beforeAll(async () => {
    fake = await startFake("http://127.0.0.1:9", [
      { shopDomain: TAGGED, customers: 120, seed: 11 },
      { shopDomain: PACED, customers: 220, seed: 12 },
      { shopDomain: SHARED, customers: 25, seed: 13 },
      { shopDomain: RESCORE, customers: 2000, seed: 14 },
    ]);
    restoreFetch = routeShopifyToFake(fake.url);
  }, 120_000);

  afterAll(async () => {
    restoreFetch?.();
    closeAdminAccess();
    await fake?.close();
  });

  it("adds each customer's group and VIP tags, keeps the merchant's own tags, and sets the metafields", async () => {
    fake.control.setPlan(TAGGED, "plus");
    const store = fake.control.shop(TAGGED).data;
    const merchantTagged = store.customers.slice(0, 10).map((c) => c.id);
    for (const id of merchantTagged) fake.control.updateCustomer(TAGGED, id, { tags: ["wholesale", "patron-fan"] });
    const shopId = await install(TAGGED);
    fake.control.resetCounters();

    const result = await writeBack(prisma, await admin(TAGGED), shopId);
    expect(result.mode).toBe("requests");
    expect(result.failed).toBe(0);

    const expected = await expectedTags(shopId);
    const tags = fake.control.customerTags(TAGGED);
    for (const [id, want] of expected) expect(patronTags(tags[id] ?? [])).toEqual([...want].sort());
    for (const id of merchantTagged) expect(tags[id]).toEqual(expect.arrayContaining(["wholesale", "patron-fan"]));

    const metafields = fake.control.customerMetafields(TAGGED);
    const [someId] = expected.keys();
    const score = await prisma.customerScore.findUniqueOrThrow({ where: { shopId_customerId: { shopId, customerId: BigInt(someId) } } });
    expect(metafields[someId]).toEqual(
      expect.arrayContaining([
        { namespace: "patron", key: "group", type: "single_line_text_field", value: score.group.replace(/_/g, "-") },
        { namespace: "patron", key: "predicted_clv", type: "number_decimal", value: score.predictedClv.toFixed(2) },
      ]),
    );
    expect(fake.control.counters(TAGGED).throttled).toBe(0);
  });

  it("writes nothing the second time: only the difference is ever sent", async () => {
    const shopId = shopIds.get(TAGGED)!;
    fake.control.resetCounters();
    expect(await planShopWrites(prisma, shopId)).toEqual([]);
    const result = await writeBack(prisma, await admin(TAGGED), shopId);
    expect(result).toMatchObject({ planned: 0, mode: "none" });
    expect(fake.control.counters(TAGGED).requests).toBe(0);
  });

  it("fires the Flow trigger once for each recorded group change", async () => {
    const shopId = shopIds.get(TAGGED)!;
    const later = new Date(new Date(fake.control.shop(TAGGED).data.truth.asOf).getTime() + 240 * 86_400_000);
    const rescored = await rescoreShop(prisma, shopId, "schedule", later);
    expect(rescored.changes.length).toBeGreaterThan(0);
    await writeBack(prisma, await admin(TAGGED), shopId);

    const recorded = await prisma.groupChange.findMany({ where: { shopId, from: { not: null } }, orderBy: { id: "asc" } });
    const calls = fake.control.flowTriggers(TAGGED);
    expect(calls).toHaveLength(recorded.length);
    expect(calls.map((c) => c.payload)).toEqual(
      recorded.map((r) =>
        expect.objectContaining({
          customer_id: Number(r.customerId),
          "Previous group": r.from!.replace(/_/g, "-"),
          "New group": r.to.replace(/_/g, "-"),
        }),
      ),
    );
    // Sent ones are marked, so a repeat sends none.
    await writeBack(prisma, await admin(TAGGED), shopId);
    expect(fake.control.flowTriggers(TAGGED)).toHaveLength(recorded.length);
  });

  it("removes only Patron's tags when the merchant switches auto-tagging off", async () => {
    const shopId = shopIds.get(TAGGED)!;
    await prisma.shop.update({ where: { id: shopId }, data: { settings: { autoTagging: false } } });
    await writeBack(prisma, await admin(TAGGED), shopId);
    const tags = fake.control.customerTags(TAGGED);
    expect(Object.values(tags).flat().filter((t) => t.startsWith("patron:"))).toEqual([]);
    expect(Object.values(tags).filter((t) => t.includes("wholesale"))).toHaveLength(10);
  });

  it("stays inside a Standard plan's bucket: paced requests, no THROTTLED", async () => {
    const shopId = await install(PACED);
    fake.control.resetCounters();
    const access = await admin(PACED);
    const result = await writeBack(prisma, access, shopId);
    // ~220 tagsAdd + ~75 metafieldsSet + 7 definitions at 10 points: more than the 2,000-point bucket holds.
    expect(fake.control.counters(PACED).costSpent).toBeGreaterThan(2000);
    expect(result.failed).toBe(0);
    expect(fake.control.counters(PACED).throttled).toBe(0);
  }, 60_000);

  it("waits out THROTTLED when another app empties the bucket, then completes", async () => {
    const shopId = await install(SHARED);
    fake.control.resetCounters();
    fake.control.drainBucket(SHARED);
    const access = await admin(SHARED);
    const result = await writeBack(prisma, access, shopId);
    expect(fake.control.counters(SHARED).throttled).toBeGreaterThan(0);
    expect(result.failed).toBe(0);
    const expected = await expectedTags(shopId);
    const tags = fake.control.customerTags(SHARED);
    for (const [id, want] of expected) expect(patronTags(tags[id] ?? [])).toEqual([...want].sort());
  }, 60_000);

  it("sends 10,000 changes through one bulk mutation and leaves exactly the expected tags", async () => {
    fake.control.addShop(bulkStore(BULK, 10_000));
    await installShop(fake, BULK);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: BULK } })).id;
    const customers = fake.control.shop(BULK).data.customers;
    await prisma.customer.createMany({ data: customers.map((c) => ({ shopId, id: BigInt(c.id), tags: c.tags })) });
    const fit = await prisma.modelFit.create({
      data: { shopId, version: "test", kind: "fallback", params: {}, customers: customers.length, summary: {}, trigger: "manual", durationMs: 0 },
    });
    const groups = ["valued", "volume", "rising", "at_risk", "new", "occasional"] as const;
    await prisma.customerScore.createMany({
      data: customers.map((c, i) => ({
        shopId,
        customerId: BigInt(c.id),
        group: groups[i % groups.length],
        vip: i % 97 === 0,
        valueScore: 50,
        volumeScore: 50,
        expectedPurchases: 1,
        predictedClv: "10.00",
        orders: 1,
        revenue: "10.00",
        grossMargin: "4.00",
        marginRate: 0.4,
        marginEstimated: false,
        discountShare: 0,
        reasons: [],
        modelFitId: fit.id,
        scoredAt: new Date(),
      })),
    });
    await prisma.shop.update({ where: { id: shopId }, data: { settings: { metafields: false } } });
    fake.control.resetCounters();

    const result = await writeBack(prisma, await admin(BULK), shopId);
    expect(result).toMatchObject({ mode: "bulk", planned: 10_000, written: 10_000, failed: 0 });
    const tags = fake.control.customerTags(BULK);
    customers.forEach((c, i) => {
      const want = [tagName(groups[i % groups.length]), ...(i % 97 === 0 ? ["patron:vip"] : [])];
      expect(patronTags(tags[c.id] ?? [])).toEqual(want.sort());
      if (i % 10 === 0) expect(tags[c.id]).toContain("wholesale");
    });
    expect(fake.control.counters(BULK).requests).toBeLessThan(20);
  }, 120_000);

  it("writes a full rescore of 2,000 customers on the Standard plan with no THROTTLED", async () => {
    const shopId = await install(RESCORE);
    fake.control.resetCounters();
    const result = await writeBack(prisma, await admin(RESCORE), shopId);
    expect(result.failed).toBe(0);
    expect(result.written).toBe(result.planned);
    expect(fake.control.counters(RESCORE).throttled).toBe(0);
    const expected = await expectedTags(shopId);
    const tags = fake.control.customerTags(RESCORE);
    let wrong = 0;
    for (const [id, want] of expected) if (patronTags(tags[id] ?? []).join() !== [...want].sort().join()) wrong++;
    expect(wrong).toBe(0);
  }, 180_000);
});
