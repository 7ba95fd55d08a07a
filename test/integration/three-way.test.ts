import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import "../../app/shopify.server";
import { parseOrdersExport, parseProductsExport } from "../../app/orders/export";
import { loadHistories } from "../../app/scores/histories.server";
import { computeFeatures, type CustomerFeatures, type CustomerHistory } from "../../app/scoring";
import type { CustomerTruth } from "../fake-shopify/generator";
import { expectedMarginRate } from "../fake-shopify/generator/truth";
import type { FakeShopify } from "../fake-shopify/server";
import { installShop, startSyncStack, waitUntil } from "../support/app-harness";

// One generated store with every messy shape real stores send (tax-inclusive prices from a
// switch date, a far time zone with evening orders, presentment currencies, gift cards
// bought and redeemed, test orders, edits, refunds with shipping and tax, restock-only
// refunds, guests and phone-only buyers, same-evening top-ups, 0.00 gift lines), read by the
// bulk backfill and from its orders and products exports through analyze's reader. Each must
// give the generator's ground truth per customer, to the cent. (Replaying the same store's
// whole history as webhooks took over five minutes here, too long for `npm test`; the REST
// mapping is held by test/integration/shopify-cases.test.ts and sync-end-to-end.test.ts.)

const SHOP = "three-way.myshopify.com";
const DEFAULT_MARGIN = 0.5;

interface Row {
  orders: number;
  purchaseDays: number;
  netRevenueCents: number;
  marginRate: number;
  discountedOrderShare: number;
  discountDepth: number;
  refundRate: number;
}

const fromFeatures = (f: CustomerFeatures): Row => ({
  orders: f.orders,
  purchaseDays: f.purchaseDays,
  netRevenueCents: Math.round(f.monetary * 100),
  marginRate: f.marginRate,
  discountedOrderShare: f.discountedOrderShare,
  discountDepth: f.discountDepth,
  refundRate: f.refundRate,
});

const fromTruth = (t: CustomerTruth): Row => ({
  orders: t.orders,
  purchaseDays: t.purchaseDays.length,
  netRevenueCents: t.netRevenueCents,
  marginRate: expectedMarginRate(t, DEFAULT_MARGIN),
  discountedOrderShare: t.discountedOrderShare,
  discountDepth: t.discountDepth,
  refundRate: t.refundRate,
});

/** Rates to 1e-9 (they are ratios of cents), everything else exactly. */
function expectSame(actual: Map<string, Row>, expected: Map<string, Row>, path: string) {
  expect([...actual.keys()].sort(), `${path}: customers with orders`).toEqual([...expected.keys()].sort());
  const round = (r: Row) => ({
    ...r,
    marginRate: Math.round(r.marginRate * 1e9),
    discountedOrderShare: Math.round(r.discountedOrderShare * 1e9),
    discountDepth: Math.round(r.discountDepth * 1e9),
    refundRate: Math.round(r.refundRate * 1e9),
  });
  const mismatched = [...expected].filter(([key, row]) => JSON.stringify(round(actual.get(key)!)) !== JSON.stringify(round(row)));
  expect(
    mismatched.slice(0, 5).map(([key, row]) => ({ key, got: actual.get(key), want: row })),
    `${path}: ${mismatched.length} customers differ`,
  ).toEqual([]);
}

describe("one messy store read by the backfill and from its export", () => {
  let fake: FakeShopify;
  let stop: () => Promise<void>;
  let truth: { asOf: string; ianaTimezone: string; customers: CustomerTruth[] };
  let asOf: Date;
  let expectedById: Map<string, Row>;

  beforeAll(async () => {
    ({ fake, stop } = await startSyncStack([{ shopDomain: SHOP, customers: 120, seed: 23, shapes: true }]));
    truth = fake.control.customerTruth(SHOP);
    asOf = new Date(truth.asOf);
    expectedById = new Map(truth.customers.filter((t) => t.orders > 0).map((t) => [t.customerId, fromTruth(t)]));
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  async function patronRows(shopId: number): Promise<Map<string, Row>> {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    const rows = new Map<string, Row>();
    for await (const chunk of loadHistories(prisma, shopId)) {
      for (const h of chunk) {
        const f = computeFeatures(h, { asOf, defaultMarginRate: DEFAULT_MARGIN, timeZone: shop.ianaTimezone });
        if (f.orders > 0) rows.set(h.customerId, fromFeatures(f));
      }
    }
    return rows;
  }

  it("has the shapes it is meant to hold", () => {
    const data = fake.shops.get(SHOP)!.data;
    expect(data.shop.ianaTimezone).not.toBe("UTC");
    expect(data.orders.some((o) => o.test)).toBe(true);
    expect(data.orders.some((o) => o.taxesIncluded)).toBe(true);
    expect(data.orders.some((o) => o.lineItems.some((l) => l.giftCard))).toBe(true);
    expect(data.orders.some((o) => o.lineItems.some((l) => (l.removedQuantity ?? 0) > 0))).toBe(true);
    expect(data.orders.some((o) => o.refunds.some((r) => r.transactions?.length === 0))).toBe(true);
    expect(data.orders.some((o) => o.presentmentCurrency && o.presentmentCurrency !== data.shop.currency)).toBe(true);
    expect(truth.customers.some((t) => t.email === null && t.phone !== null && t.orders > 0)).toBe(true);
  });

  it("bulk backfill: equals the ground truth to the cent", async () => {
    await installShop(fake, SHOP);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    await waitUntil(
      async () => (await prisma.syncRun.findMany({ where: { shopId } })).filter((r) => r.status === "COMPLETED").length === 2,
      "both bulk exports imported",
      90_000,
    );
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).ianaTimezone).toBe(truth.ianaTimezone);
    expectSame(await patronRows(shopId), expectedById, "backfill");
  }, 120_000);

  it("orders export: read by analyze's reader with the products export, equals the ground truth to the cent", async () => {
    const products = await parseProductsExport([fake.control.productsExport(SHOP)]);
    if (!products.ok) throw new Error(JSON.stringify(products.error));
    const parsed = await parseOrdersExport([fake.control.ordersExport(SHOP)], products.value);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const byKey = new Map<string, CustomerHistory>(parsed.value.histories.map((h) => [h.customerId, h]));
    const rows = new Map<string, Row>();
    for (const t of truth.customers) {
      const key = t.email?.toLowerCase() || t.phone;
      const history = key ? byKey.get(key) : undefined;
      if (!history) continue;
      const f = computeFeatures(history, { asOf, defaultMarginRate: DEFAULT_MARGIN, timeZone: truth.ianaTimezone });
      if (f.orders > 0) rows.set(t.customerId, fromFeatures(f));
    }
    expectSame(rows, expectedById, "orders export");
    expect(parsed.value.stats.testOrders).toBeGreaterThan(0);
  });
});
