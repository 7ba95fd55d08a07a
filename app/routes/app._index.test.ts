import { beforeAll, describe, expect, it } from "vitest";
import { generateStore } from "../../test/fake-shopify/generator";
import { adminRequest, installTestShop, sessionToken, thrownResponse } from "../../test/support/admin-request";
import { seedStore } from "../../test/support/seed-store";
import type { Dashboard } from "../dashboard/dashboard.server";
import prisma from "../db.server";
import { env } from "../env.server";
import { GROUPS } from "../scoring";
import { rescoreShop } from "../scores/rescore.server";
import { addMoney } from "../sync/records";
import { loader } from "./app._index";

const DAY = 86_400_000;
const SHOP_A = "dash-a.myshopify.com";
const SHOP_B = "dash-b.myshopify.com";
const now = Date.now();
const firstScoring = new Date(now - 40 * DAY);
const secondScoring = new Date(now - 2 * DAY);

let shopA: number;
let shopB: number;

async function load(domain: string, period?: number): Promise<Dashboard> {
  const request = await adminRequest(domain, period ? `/app?period=${period}` : "/app");
  return (await loader({ request, params: {}, context: {} })) as Dashboard;
}

/** The same figures as the dashboard, from the raw rows, without SQL aggregates. */
async function expectedGroups(shopId: number) {
  const scores = await prisma.customerScore.findMany({ where: { shopId } });
  const revenue = addMoney(scores.map((s) => s.revenue.toFixed(2)));
  const margin = addMoney(scores.map((s) => s.grossMargin.toFixed(2)));
  return GROUPS.map((group) => {
    const mine = scores.filter((s) => s.group === group);
    const groupRevenue = addMoney(mine.map((s) => s.revenue.toFixed(2)));
    const groupMargin = addMoney(mine.map((s) => s.grossMargin.toFixed(2)));
    return {
      group,
      customers: mine.length,
      revenue: groupRevenue,
      grossMargin: groupMargin,
      revenueShare: Number(groupRevenue) / Number(revenue),
      marginShare: Number(groupMargin) / Number(margin),
      averageClv: mine.length ? (mine.reduce((s, c) => s + Number(c.predictedClv), 0) / mine.length).toFixed(2) : null,
      averageDiscountShare: mine.length ? mine.reduce((s, c) => s + c.discountShare, 0) / mine.length : null,
    };
  });
}

async function expectedMoves(shopId: number, days: number) {
  const since = new Date(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`).getTime() - (days - 1) * DAY;
  const rows = await prisma.groupChange.findMany({ where: { shopId, from: { not: null }, at: { gte: new Date(since) } } });
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${r.from}>${r.to}`, (counts.get(`${r.from}>${r.to}`) ?? 0) + 1);
  return counts;
}

describe("dashboard loader", () => {
  beforeAll(async () => {
    for (const [domain, seed, customers] of [
      [SHOP_A, 11, 300],
      [SHOP_B, 12, 120],
    ] as const) {
      await installTestShop(domain);
      const store = generateStore({ seed, shopDomain: domain, customers, asOf: firstScoring, years: 2 });
      const shopId = await seedStore(prisma, store);
      await rescoreShop(prisma, shopId, "backfill", firstScoring);
      if (domain === SHOP_A) shopA = shopId;
      else shopB = shopId;
    }
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
    await prisma.syncRun.createMany({
      data: [
        { shopId: shopA, kind: "CUSTOMERS", status: "COMPLETED", rootObjectCount: 300n, rootsDone: 300n, startedAt: at(45), completedAt: at(44) },
        { shopId: shopA, kind: "ORDERS", status: "FAILED", error: "Bulk operation failed: TIMEOUT", ordersSince: at(105), rootObjectCount: 4000n, rootsDone: 1000n, startedAt: at(44) },
        { shopId: shopA, kind: "ORDERS", status: "IMPORTING", ordersSince: at(104), rootObjectCount: 4000n, rootsDone: 1000n, startedAt: at(43) },
        { shopId: shopB, kind: "ORDERS", status: "COMPLETED", rootObjectCount: 9n, rootsDone: 9n, startedAt: at(50), completedAt: at(49) },
      ],
    });
    const events = [
      ["a-1", shopA, "PROCESSED", 5, null],
      ["a-2", shopA, "PENDING", 3, null],
      ["a-3", shopA, "PENDING", 2, null],
      ["a-4", shopA, "FAILED", 4, "customer 42 not found"],
      ["a-5", shopA, "PROCESSED", 1, null],
      ["b-1", shopB, "PENDING", 0.5, null],
      ["b-2", shopB, "FAILED", 0.4, "boom"],
      ["b-3", shopB, "FAILED", 0.3, "boom"],
    ] as const;
    for (const [webhookId, shopId, status, hoursAgo, error] of events) {
      await prisma.webhookEvent.create({
        data: {
          shopId,
          webhookId,
          topic: webhookId === "a-5" ? "refunds/create" : "orders/create",
          payload: {},
          status,
          error,
          attempts: status === "FAILED" ? 8 : 1,
          receivedAt: new Date(now - hoursAgo * 3_600_000),
        },
      });
    }
  }, 180_000);

  it("answers 401 to a request without a session token", async () => {
    const request = new Request(`${env().SHOPIFY_APP_URL}/app`, { headers: { Authorization: "Bearer", Accept: "application/json" } });
    const response = await thrownResponse(loader({ request, params: {}, context: {} }));
    expect(response.status).toBe(401);
  });

  it("answers 401 to a token signed with another secret", async () => {
    const request = new Request(`${env().SHOPIFY_APP_URL}/app`, {
      headers: { Authorization: `Bearer ${await sessionToken(SHOP_A, "not-the-app-secret")}`, Accept: "application/json" },
    });
    const response = await thrownResponse(loader({ request, params: {}, context: {} }));
    expect(response.status).toBe(401);
  });

  it("refuses a document load with no token and no shop by sending it to log in", async () => {
    const response = await thrownResponse(loader({ request: new Request(`${env().SHOPIFY_APP_URL}/app`), params: {}, context: {} }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/\/auth\/login/);
  });

  it("gives each group's size, revenue and margin shares, average CLV and discount share as computed from the raw scores", async () => {
    const dashboard = await load(SHOP_A);
    expect(dashboard.scored).toBe(true);
    const expected = await expectedGroups(shopA);
    expect(dashboard.breakdown.groups.map((g) => g.group)).toEqual([...GROUPS]);
    for (const [i, g] of dashboard.breakdown.groups.entries()) {
      const e = expected[i];
      expect({ group: g.group, customers: g.customers, revenue: g.revenue, grossMargin: g.grossMargin, averageClv: g.averageClv }).toEqual({
        group: e.group,
        customers: e.customers,
        revenue: e.revenue,
        grossMargin: e.grossMargin,
        averageClv: e.averageClv,
      });
      expect(g.revenueShare).toBeCloseTo(e.revenueShare, 9);
      expect(g.marginShare).toBeCloseTo(e.marginShare, 9);
      if (e.averageDiscountShare === null) expect(g.averageDiscountShare).toBeNull();
      else expect(g.averageDiscountShare).toBeCloseTo(e.averageDiscountShare, 9);
    }
    expect(dashboard.breakdown.totals.customers).toBe(await prisma.customer.count({ where: { shopId: shopA, deletedAt: null } }));
    expect(dashboard.breakdown.groups.reduce((s, g) => s + (g.revenueShare ?? 0), 0)).toBeCloseTo(1, 9);
  });

  it("counts no movement from the first scoring, then the moves of a later rescore per period", async () => {
    const before = await load(SHOP_A, 90);
    expect(before.movement.transitions).toEqual([]);

    const second = await rescoreShop(prisma, shopA, "schedule", secondScoring);
    expect(second.changes.length).toBeGreaterThan(0);

    for (const period of [7, 30, 90] as const) {
      const dashboard = await load(SHOP_A, period);
      expect(dashboard.periodDays).toBe(period);
      const expected = await expectedMoves(shopA, period);
      expect(new Map(dashboard.movement.transitions.map((t) => [`${t.from}>${t.to}`, t.customers]))).toEqual(expected);
      for (const h of dashboard.movement.highlights) expect(h.customers).toBe(expected.get(`${h.from}>${h.to}`) ?? 0);
    }
    const dashboard = await load(SHOP_A, 30);
    const moved = second.changes.filter((c) => c.from !== null);
    const thisWeek = dashboard.movement.weekly.at(-1)!;
    expect(thisWeek.intoValued).toBe(moved.filter((c) => c.to === "valued").length);
    expect(thisWeek.intoAtRisk).toBe(moved.filter((c) => c.to === "at_risk").length);
    expect(dashboard.movement.weekly).toHaveLength(13);
    expect(dashboard.movement.weekly.slice(0, -1).every((w) => w.intoValued === 0 && w.intoAtRisk === 0)).toBe(true);
    // The group figures follow the new scores, not the snapshot of the first run.
    expect(dashboard.breakdown.groups.map((g) => g.customers)).toEqual((await expectedGroups(shopA)).map((g) => g.customers));
  });

  it("reports backfill progress, the 60-day limit, the inbox, failures and the last scoring run", async () => {
    const { sync } = await load(SHOP_A);
    expect(sync.backfills.map((b) => [b.kind, b.status, b.rootsDone, b.rootObjectCount, b.progress])).toEqual([
      ["CUSTOMERS", "COMPLETED", 300, 300, 1],
      ["ORDERS", "IMPORTING", 1000, 4000, 0.25],
    ]);
    expect(sync.backfills[0].ordersSince).toBeNull();
    expect(sync.backfills[1].ordersSince).not.toBeNull();
    expect(sync.failedRuns.map((r) => [r.kind, r.error])).toEqual([["ORDERS", "Bulk operation failed: TIMEOUT"]]);
    expect(sync.pendingWebhooks).toBe(2);
    expect(sync.failedWebhooks).toBe(1);
    expect(sync.recentWebhookFailures).toEqual([expect.objectContaining({ topic: "orders/create", attempts: 8, error: "customer 42 not found" })]);
    expect(sync.lastWebhook?.topic).toBe("refunds/create");
    const fit = await prisma.modelFit.findFirstOrThrow({ where: { shopId: shopA }, orderBy: { fittedAt: "desc" } });
    expect(sync.lastScoring).toMatchObject({ id: fit.id, kind: fit.kind, customers: fit.customers, durationMs: fit.durationMs });
  });

  it("gives each group's persona, counted over the shop's own scored customers with orders", async () => {
    const dashboard = await load(SHOP_A);
    const personas = dashboard.personas!;
    const withOrders = await prisma.customerScore.groupBy({ by: ["group"], where: { shopId: shopA, orders: { gt: 0 } }, _count: true });
    for (const g of GROUPS) {
      expect(personas.groups[g].customers, g).toBe(withOrders.find((r) => r.group === g)?._count ?? 0);
    }
    expect(personas.overall.customers).toBe(withOrders.reduce((s, r) => s + r._count, 0));
    expect(personas.overall.productTypes.length).toBeGreaterThan(0);
    expect(personas.overall.channels?.online_store).toBeGreaterThan(0.5);
  });

  it("never shows another shop's data", async () => {
    const b = await load(SHOP_B);
    expect(b.personas!.overall.customers).toBe(await prisma.customerScore.count({ where: { shopId: shopB, orders: { gt: 0 } } }));
    expect(b.domain).toBe(SHOP_B);
    expect(b.breakdown.groups.map((g) => g.customers)).toEqual((await expectedGroups(shopB)).map((g) => g.customers));
    expect(b.breakdown.totals.customers).toBe(await prisma.customerScore.count({ where: { shopId: shopB } }));
    expect(b.movement.transitions).toEqual([]);
    expect(b.sync.backfills.map((r) => [r.kind, r.rootsDone])).toEqual([["ORDERS", 9]]);
    expect(b.sync.failedRuns).toEqual([]);
    expect([b.sync.pendingWebhooks, b.sync.failedWebhooks]).toEqual([1, 2]);
    expect(b.sync.recentWebhookFailures.map((f) => f.error)).toEqual(["boom", "boom"]);
    const fit = await prisma.modelFit.findFirstOrThrow({ where: { shopId: shopB }, orderBy: { fittedAt: "desc" } });
    expect(b.sync.lastScoring?.id).toBe(fit.id);
  });

  it("shows what has been synced so far for a shop that was never scored", async () => {
    const domain = "dash-empty.myshopify.com";
    const shopId = await installTestShop(domain);
    const empty = await load(domain);
    expect(empty).toMatchObject({ domain, installed: true, scored: false });
    expect(empty.synced).toEqual({ customers: { value: 0, more: false }, orders: { value: 0, more: false } });
    expect(empty.sync).toMatchObject({ backfills: [], lastWebhook: null, pendingWebhooks: 0, failedWebhooks: 0, lastScoring: null });
    expect(empty.breakdown.totals).toEqual({ customers: 0, orders: 0, revenue: "0.00", grossMargin: "0.00" });

    await prisma.customer.createMany({ data: [1n, 2n, 3n].map((id) => ({ shopId, id })) });
    await prisma.webhookEvent.create({ data: { shopId, webhookId: "e-1", topic: "customers/create", payload: {} } });
    const synced = await load(domain);
    expect(synced.synced?.customers).toEqual({ value: 3, more: false });
    expect(synced.sync.lastWebhook?.topic).toBe("customers/create");
  });
});
