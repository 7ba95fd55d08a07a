import { describe, expect, it } from "vitest";
import type { Archetype, FakeOrder, FakeStoreData } from "../store/model";
import { DAY_MS } from "./calendar";
import { smallStore } from "./fixtures";
import { ARCHETYPES, archetypeCounts } from "./mix";
import { parseCents } from "./money";
import { summarize } from "./summary";

const store = smallStore({ customers: 2000, seed: 42 });
const summary = summarize(store);
const asOfMs = Date.parse(store.truth.asOf);

interface Features {
  orders: number;
  firstAgeDays: number;
  lastAgeDays: number;
  meanGapDays: number;
  discountShare: number;
  margin: number;
}

function isDiscounted(order: FakeOrder): boolean {
  return order.discountApplications.length > 0 || order.lineItems.some((l) => l.compareAtPrice !== null);
}

function featuresByCustomer(s: FakeStoreData): Map<string, Features> {
  const byCustomer = new Map<string, FakeOrder[]>();
  for (const o of s.orders) if (o.customerId !== null) byCustomer.set(o.customerId, [...(byCustomer.get(o.customerId) ?? []), o]);
  const result = new Map<string, Features>();
  for (const [id, orders] of byCustomer) {
    const first = Date.parse(orders[0].createdAt);
    const last = Date.parse(orders[orders.length - 1].createdAt);
    let net = 0;
    let cost = 0;
    for (const l of orders.flatMap((o) => o.lineItems)) {
      if (l.unitCost === null) continue;
      net += parseCents(l.originalUnitPrice) * l.quantity - l.discountAllocations.reduce((x, a) => x + parseCents(a.amount), 0);
      cost += parseCents(l.unitCost) * l.quantity;
    }
    result.set(id, {
      orders: orders.length,
      firstAgeDays: (asOfMs - first) / DAY_MS,
      lastAgeDays: (asOfMs - last) / DAY_MS,
      meanGapDays: orders.length > 1 ? (last - first) / DAY_MS / (orders.length - 1) : Infinity,
      discountShare: orders.filter(isDiscounted).length / orders.length,
      margin: net === 0 ? 0 : (net - cost) / net,
    });
  }
  return result;
}

/** A deliberately plain rule set: if it separates the archetypes, a real scorer can. */
function referenceLabel(f: Features): Archetype {
  if (f.orders <= 2 && f.firstAgeDays <= 50) return "new";
  if (f.orders <= 3) return "occasional";
  if (f.discountShare >= 0.45 || f.margin < 0.35) return "volume";
  if (f.lastAgeDays > Math.max(90, 3 * f.meanGapDays)) return "at_risk";
  if (f.firstAgeDays < 300) return "rising";
  return "valued";
}

describe("customer archetypes", () => {
  it("draws exactly the requested mix", () => {
    expect(archetypeCounts(2000)).toEqual({ valued: 300, volume: 400, rising: 200, at_risk: 200, new: 200, occasional: 700 });
    for (const a of ARCHETYPES) expect(summary.byArchetype[a].customers).toBe(archetypeCounts(2000)[a]);
    const custom = smallStore({ customers: 100, archetypeMix: { valued: 1, volume: 1, rising: 0, at_risk: 0, new: 0, occasional: 0 } });
    expect(new Set(custom.truth.archetypeByCustomerId.values())).toEqual(new Set(["valued", "volume"]));
  });

  it("averages about ten orders per customer, and can aim at an order count", () => {
    expect(summary.orders.total / summary.customers).toBeGreaterThan(9);
    expect(summary.orders.total / summary.customers).toBeLessThan(11.5);
    const aimed = smallStore({ customers: 500, targetOrders: 2500 });
    expect(aimed.orders.length).toBeGreaterThan(2500 * 0.9);
    expect(aimed.orders.length).toBeLessThan(2500 * 1.1);
  });

  it("makes valued customers loyal, full-price, high-margin and subscribed", () => {
    const v = summary.byArchetype.valued;
    expect(v.discountedOrderShare).toBeLessThan(0.1);
    expect(v.grossMargin).toBeGreaterThan(0.5);
    expect(v.refundedOrderShare).toBeLessThan(0.06);
    expect(v.emailSubscribedShare).toBeGreaterThan(0.75);
    expect(v.meanDaysSinceFirstOrder).toBeGreaterThan(365);
    expect(v.meanDaysSinceLastOrder).toBeLessThan(45);
    expect(v.averageOrderValue).toBeGreaterThan(1.8 * summary.byArchetype.volume.averageOrderValue);
  });

  it("makes volume customers frequent, discount-driven, low-margin, recent and returns-heavy", () => {
    const v = summary.byArchetype.volume;
    expect(v.discountedOrderShare).toBeGreaterThan(0.6);
    expect(v.grossMargin).toBeLessThan(0.35);
    expect(v.meanGapDays).toBeLessThan(30);
    expect(v.meanDaysSinceLastOrder).toBeLessThan(20);
    expect(v.refundedOrderShare).toBeGreaterThan(2 * summary.byArchetype.valued.refundedOrderShare);
  });

  it("makes rising customers recent starters who buy faster and spend more each time", () => {
    const r = summary.byArchetype.rising;
    expect(r.meanDaysSinceFirstOrder).toBeGreaterThan(90);
    expect(r.meanDaysSinceFirstOrder).toBeLessThan(280);
    expect(r.discountedOrderShare).toBeLessThan(0.15);
    expect(r.grossMargin).toBeGreaterThan(0.5);
    const ids = new Set([...store.truth.archetypeByCustomerId].filter(([, a]) => a === "rising").map(([id]) => id));
    let accelerating = 0;
    let growing = 0;
    for (const id of ids) {
      const orders = store.orders.filter((o) => o.customerId === id);
      const t = orders.map((o) => Date.parse(o.createdAt));
      if (t[t.length - 1] - t[t.length - 2] < t[1] - t[0]) accelerating++;
      const value = (o: FakeOrder) => o.lineItems.reduce((s, l) => s + parseCents(l.originalUnitPrice) * l.quantity, 0);
      const half = Math.floor(orders.length / 2);
      const early = orders.slice(0, half).reduce((s, o) => s + value(o), 0) / half;
      const late = orders.slice(half).reduce((s, o) => s + value(o), 0) / (orders.length - half);
      if (late > early) growing++;
    }
    expect(accelerating / ids.size).toBeGreaterThan(0.9);
    expect(growing / ids.size).toBeGreaterThan(0.7);
  });

  it("makes at-risk customers long-standing buyers who went quiet months ago", () => {
    const a = summary.byArchetype.at_risk;
    expect(a.meanDaysSinceLastOrder).toBeGreaterThan(120);
    expect(a.meanDaysSinceLastOrder).toBeGreaterThan(4 * a.meanGapDays);
    expect(a.ordersPerCustomer).toBeGreaterThan(5);
    expect(a.discountedOrderShare).toBeLessThan(0.1);
  });

  it("makes new customers' first order recent and occasional customers' orders few and far apart", () => {
    const features = featuresByCustomer(store);
    for (const [id, archetype] of store.truth.archetypeByCustomerId) {
      const f = features.get(id);
      if (archetype === "new") {
        expect(f?.firstAgeDays).toBeLessThanOrEqual(46);
        expect(f?.orders).toBeLessThanOrEqual(2);
      }
      if (archetype === "occasional") {
        expect(f?.orders).toBeLessThanOrEqual(3);
        expect(f?.lastAgeDays).toBeGreaterThan(60);
      }
    }
  });

  it("gives repeat archetypes a real history and one-off archetypes a short one", () => {
    const features = featuresByCustomer(store);
    const bounds: Record<Archetype, [number, number]> = {
      valued: [6, Infinity],
      at_risk: [5, Infinity],
      volume: [4, Infinity],
      rising: [4, 8],
      new: [1, 2],
      occasional: [1, 3],
    };
    for (const [id, archetype] of store.truth.archetypeByCustomerId) {
      const orders = features.get(id)?.orders ?? 0;
      expect(orders).toBeGreaterThanOrEqual(bounds[archetype][0]);
      expect(orders).toBeLessThanOrEqual(bounds[archetype][1]);
    }
  });

  it("peaks in November and December", () => {
    const byMonth = summary.orders.byMonth;
    expect(byMonth["2025-11"] + byMonth["2025-12"]).toBeGreaterThan(1.5 * (byMonth["2026-01"] + byMonth["2026-02"]));
  });

  it("separates well enough for a plain rule set to reach the target precision and recall", () => {
    const features = featuresByCustomer(store);
    const hits = new Map(ARCHETYPES.map((a) => [a, { tp: 0, fp: 0, fn: 0 }]));
    for (const [id, truth] of store.truth.archetypeByCustomerId) {
      const f = features.get(id);
      if (f === undefined) throw new Error(`customer ${id} has no orders`);
      const guess = referenceLabel(f);
      const g = hits.get(guess);
      const t = hits.get(truth);
      if (!g || !t) continue;
      if (guess === truth) g.tp++;
      else {
        g.fp++;
        t.fn++;
      }
    }
    for (const [archetype, { tp, fp, fn }] of hits) {
      const floor = archetype === "valued" || archetype === "volume" ? 0.95 : 0.85;
      expect({ archetype, precision: tp / (tp + fp) }).toEqual({ archetype, precision: expect.toSatisfy((x: number) => x >= floor) });
      expect({ archetype, recall: tp / (tp + fn) }).toEqual({ archetype, recall: expect.toSatisfy((x: number) => x >= floor) });
    }
  });
});
