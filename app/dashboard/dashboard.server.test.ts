import { translate } from "../i18n/i18n";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../db.server";
import { recordInstall } from "../shops.server";
import { upsertOrders } from "../sync/store.server";
import { loadDashboard, refreshDashboardSnapshot } from "./dashboard.server";

const DOMAIN = "snapshot.myshopify.com";
const today = new Date("2026-11-23T12:00:00Z");
let shopId: number;

async function fit() {
  return prisma.modelFit.create({ data: { shopId, version: "t", kind: "fallback", params: {}, customers: 1, summary: {}, trigger: "manual", durationMs: 1 } });
}

async function score(customerId: bigint, group: "valued" | "volume", modelFitId: number) {
  await prisma.customer.upsert({ where: { shopId_id: { shopId, id: customerId } }, create: { shopId, id: customerId }, update: {} });
  const data = {
    group,
    valueScore: 50,
    volumeScore: 50,
    expectedPurchases: 1,
    predictedClv: "10.00",
    orders: 1,
    revenue: "100.00",
    grossMargin: "40.00",
    marginRate: 0.4,
    marginEstimated: false,
    discountShare: 0,
    reasons: [],
    modelFitId,
    scoredAt: today,
  };
  await prisma.customerScore.upsert({ where: { shopId_customerId: { shopId, customerId } }, create: { shopId, customerId, ...data }, update: data });
}

const load = (now = today) => loadDashboard(prisma, DOMAIN, { periodDays: 7, now });
const valued = async (now?: Date) => (await load(now)).breakdown.groups[0].customers;

describe("dashboard snapshot", () => {
  beforeAll(async () => {
    shopId = (await recordInstall(prisma, { domain: DOMAIN, scopes: null })).id;
    await score(1n, "valued", (await fit()).id);
  });

  it("is reused while the latest scoring run and the day are the same", async () => {
    expect(await valued()).toBe(1);
    // A score written without a new run (none is, in the app) shows the snapshot is what was read.
    await score(2n, "valued", 0);
    expect(await valued()).toBe(1);
  });

  it("is recomputed after a new scoring run", async () => {
    await fit();
    expect(await valued()).toBe(2);
  });

  it("recounts movement on a new day, keeping the group figures of the same run", async () => {
    await prisma.groupChange.create({ data: { shopId, customerId: 1n, from: "volume", to: "valued", valueScore: 60, at: new Date("2026-11-24T08:00:00Z") } });
    await score(3n, "valued", 0);
    const tomorrow = await load(new Date("2026-11-24T09:00:00Z"));
    expect(tomorrow.movement.transitions).toEqual([{ from: "volume", to: "valued", customers: 1 }]);
    expect(tomorrow.breakdown.groups[0].customers).toBe(2);
  });

  it("can be refreshed ahead of the next view", async () => {
    await refreshDashboardSnapshot(prisma, shopId, new Date("2026-11-24T10:00:00Z"));
    expect((await load(new Date("2026-11-24T11:00:00Z"))).breakdown.groups[0].customers).toBe(3);
  });

  it("keeps a run's personas across days, and counts new orders in them with the next run", async () => {
    const day = (d: string) => load(new Date(`${d}T09:00:00Z`));
    expect((await day("2026-11-25")).personas?.groups.valued.orders).toBe(0);
    const at = new Date("2026-11-25T10:00:00Z");
    await upsertOrders(prisma, shopId, [
      {
        id: 900n, customerId: 1n, name: "#900", currency: "USD", financialStatus: "paid", processedAt: at, createdAt: at, updatedAt: at,
        cancelledAt: null, test: false, taxesIncluded: false, subtotal: "30.00", totalPrice: "30.00", totalDiscounts: "0.00", totalRefunded: "0.00",
        discountCodes: [], hasAutomaticDiscount: false, sourceName: "pos", refunds: [],
        lines: [{ id: 901n, productId: null, variantId: null, title: "Mug", sku: null, quantity: 1, price: "30.00", compareAtPrice: null, discountAllocated: "0.00", taxIncluded: "0.00", unitCost: null, productType: "Home", vendor: "Acme" }],
      },
    ]);
    expect((await day("2026-11-26")).personas?.groups.valued.orders).toBe(0);
    await fit();
    const next = (await day("2026-11-26")).personas!;
    expect(next.groups.valued).toMatchObject({ customers: 1, orders: 1, medianOrderValue: 30, channels: { online_store: 0, pos: 1, other: 0 }, productTypes: [{ name: "Home", share: 1 }] });
  });

  it("shows the latest real run's backtest, and never counts a reconstructed run as the last scoring", async () => {
    const real = await prisma.modelFit.create({
      data: {
        shopId,
        version: "t",
        kind: "bgnbd",
        params: {},
        customers: 1,
        summary: {},
        trigger: "schedule",
        durationMs: 1,
        backtest: { status: "insufficient", asOf: "2026-11-24T00:00:00.000Z", reason: "too_few_customers", historyWeeks: 30, needed: 100, found: 12, choice: { kind: "bgnbd", ranking: { purchaseModel: "bgnbd", modelWeight: 1 }, reason: "insufficient_history", topShare: null, pastSpendTopShare: null } },
      },
    });
    await prisma.modelFit.create({
      data: { shopId, version: "t", kind: "bgnbd", params: {}, customers: 1, summary: {}, trigger: "reconstruct", durationMs: 1, reconstructed: true, asOf: new Date("2026-10-31T23:59:59.999Z") },
    });
    const d = await load(new Date("2026-11-24T12:00:00Z"));
    expect(d.sync.lastScoring?.id).toBe(real.id);
    expect(d.accuracy).toMatchObject({ state: "insufficient" });
    expect(d.accuracy.state === "insufficient" && translate("en", d.accuracy.message)).toMatch(/at least 100 customers .* found 12/);
  });
});
