import { describe, expect, it } from "vitest";
import { decideGroup, percentileRank, percentileRanks, qualifies, rankColumn, rankIndex, selectAutoVip, type GroupMetrics } from "./classify";
import { PRESETS } from "./presets";
import type { Group } from "./types";

const t = PRESETS.balanced.thresholds;

const valuedMetrics: GroupMetrics = {
  orders: 6,
  tenureDays: 400,
  valueScore: 80,
  valueIfActive: 84,
  volumeScore: 30,
  pAlive: 0.85,
  discountShare: 0,
  recentDiscountShare: 0,
  overdueRatio: 0.5,
  daysSinceLastOrder: 25,
  gapTrend: 1,
  spendTrend: 1,
};

/** Five months in, buying every 20 days after gaps of 45: not yet established, clearly speeding up. */
const risingMetrics: GroupMetrics = { ...valuedMetrics, tenureDays: 150, valueScore: 70, valueIfActive: 74, gapTrend: 0.45 };

describe("group decisions", () => {
  it("puts a first-time recent buyer in new before anything else", () => {
    expect(decideGroup({ ...valuedMetrics, orders: 1, tenureDays: 10 }, t, undefined).group).toBe("new");
  });

  it("keeps a valued customer whose value score dips inside the hysteresis band", () => {
    const dipped = { ...valuedMetrics, valueScore: t.valuedEnter - 1, valueIfActive: t.valuedEnter + 1 };
    expect(decideGroup(dipped, t, undefined).group).not.toBe("valued");
    expect(decideGroup(dipped, t, "valued")).toEqual({ group: "valued", held: true });
  });

  it("moves a valued customer out once the evidence is clearly past the band", () => {
    const fallen = { ...valuedMetrics, pAlive: t.atRiskPAlive - t.hysteresis / 100, overdueRatio: 4 };
    expect(decideGroup(fallen, t, "valued")).toEqual({ group: "at_risk", held: false });
  });

  it("keeps short-tenure customers who are speeding up or already at the valued bar in rising, never valued", () => {
    expect(decideGroup(risingMetrics, t, undefined).group).toBe("rising");
    const steady = { ...risingMetrics, gapTrend: 1, spendTrend: 1 };
    expect(decideGroup(steady, t, undefined).group).toBe("rising");
    expect(decideGroup({ ...steady, valueScore: t.valuedEnter - 1 }, t, undefined).group).toBe("occasional");
    expect(decideGroup({ ...risingMetrics, spendTrend: 1 + t.risingTrend, gapTrend: 1, valueScore: 55 }, t, undefined).group).toBe(
      "rising",
    );
    expect(decideGroup({ ...risingMetrics, discountShare: 0.8, recentDiscountShare: 0.8 }, t, undefined).group).not.toBe(
      "rising",
    );
    expect(decideGroup({ ...risingMetrics, orders: t.minValuedOrders - 1 }, t, undefined).group).toBe("rising");
  });

  it("promotes a rising customer to valued only once they are established by more than half the band", () => {
    const justEstablished = { ...risingMetrics, tenureDays: t.establishedDays + 1 };
    expect(decideGroup(justEstablished, t, undefined).group).toBe("valued");
    expect(decideGroup(justEstablished, t, "rising")).toEqual({ group: "rising", held: true });
    const clearly = { ...risingMetrics, tenureDays: Math.ceil(t.establishedDays * (1 + t.hysteresis / 100)) };
    expect(decideGroup(clearly, t, "rising").group).toBe("valued");
  });

  it("needs established loyalty for valued: enough orders over enough time", () => {
    expect(decideGroup({ ...valuedMetrics, orders: t.minValuedOrders - 1 }, t, undefined).group).not.toBe("valued");
    expect(decideGroup({ ...valuedMetrics, tenureDays: t.establishedDays - 1, gapTrend: 1 }, t, undefined).group).toBe("rising");
  });

  it("flags a valued profile as at risk when overdue against their own rhythm, even with a high P(alive)", () => {
    const overdue = { ...valuedMetrics, overdueRatio: t.overdueGapMultiple + 0.5, daysSinceLastOrder: 150 };
    expect(decideGroup(overdue, t, undefined).group).toBe("at_risk");
  });

  it("counts a valued profile as lapsed only when P(alive) is low and the silence has lasted", () => {
    const silent = { ...valuedMetrics, pAlive: t.lostPAlive / 2, overdueRatio: 8, daysSinceLastOrder: t.lostAfterDays - 30 };
    expect(decideGroup(silent, t, undefined).group).toBe("at_risk");
    expect(decideGroup({ ...silent, daysSinceLastOrder: t.lostAfterDays + 30 }, t, undefined).group).toBe("occasional");
  });

  it("is idempotent: deciding again with the group it just gave changes nothing", () => {
    const groups: (Group | undefined)[] = [undefined, "valued", "volume", "rising", "at_risk", "new", "occasional"];
    let checked = 0;
    for (let valueScore = 40; valueScore <= 80; valueScore += 1.5) {
      for (let pAlive = 0.05; pAlive <= 1; pAlive += 0.05) {
        for (const volumeScore of [30, 52, 54, 56, 58, 70]) {
          for (const previous of groups) {
            for (const [tenureDays, gapTrend, overdueRatio] of [
              [400, 1, 2],
              [360, 0.74, 1.9],
              [370, 0.76, 2.1],
              [150, 1, 0.5],
            ]) {
              const m = { ...valuedMetrics, valueScore, valueIfActive: valueScore + 4, volumeScore, pAlive, overdueRatio, tenureDays, gapTrend };
              const first = decideGroup(m, t, previous).group;
              expect(decideGroup(m, t, first).group).toBe(first);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20000);
  });

  it("has conditions that only loosen as slack grows", () => {
    const near = [
      { ...valuedMetrics, valueScore: 60, volumeScore: 54, pAlive: 0.52, discountShare: 0.52 },
      { ...risingMetrics, tenureDays: t.establishedDays, gapTrend: 1 - t.risingTrend + 0.01, overdueRatio: t.overdueGapMultiple },
      { ...valuedMetrics, pAlive: t.lostPAlive, daysSinceLastOrder: t.lostAfterDays, overdueRatio: t.overdueGapMultiple - 0.1 },
    ];
    for (const m of near) {
      for (const g of ["valued", "at_risk", "rising", "volume"] as const) {
        if (qualifies(g, m, t, 0)) expect(qualifies(g, m, t, 2)).toBe(true);
        if (!qualifies(g, m, t, 0)) expect(qualifies(g, m, t, -2)).toBe(false);
      }
    }
  });
});

describe("shop-relative standing", () => {
  it("ranks with mid-ranks so ties share the middle", () => {
    const index = rankIndex(Float64Array.of(3, 2, 1, 2));
    expect(percentileRank(index, 2)).toBe(0.5);
    expect(percentileRank(index, 0)).toBe(0);
    expect(percentileRank(index, 9)).toBe(1);
  });

  it("finds the same ranks through its block index as a plain count, ties across blocks included", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 97 < 40 ? 0.5 : ((i * 7919) % 97) / 97);
    const index = rankIndex(values);
    for (const v of [0, 0.5, 0.41, 0.99, 1, values[17]]) {
      let below = 0;
      let equal = 0;
      for (const x of values) {
        if (x < v) below++;
        else if (x === v) equal++;
      }
      expect(percentileRank(index, v)).toBeCloseTo((below + equal / 2) / values.length, 12);
    }
  });

  it("ranks a whole column at once as single look-ups do, negatives and ties included", () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 211) / 7 - 10);
    values[3] = -0;
    values[4] = 0;
    const index = rankIndex(values);
    const bulk = percentileRanks(values);
    for (let i = 0; i < values.length; i++) expect(bulk[i]).toBeCloseTo(percentileRank(index, values[i]), 12);
    expect(Array.from(rankColumn(values).index.sorted)).toEqual(Array.from(index.sorted));
    const close = Float64Array.of(1 + 1e-12, 1, 1 + 2e-12, 0);
    expect(Array.from(rankColumn(close).index.sorted)).toEqual([0, 1, 1 + 1e-12, 1 + 2e-12]);
    const exact = percentileRanks(Float64Array.of(3, 1, 2, 2));
    expect(Array.from(exact)).toEqual([0.875, 0.125, 0.5, 0.5]);
  });
});

describe("automatic VIP selection", () => {
  const customers = [
    { customerId: "a", group: "valued" as const, predictedClv: 500, valueScore: 80 },
    { customerId: "b", group: "valued" as const, predictedClv: 900, valueScore: 70 },
    { customerId: "c", group: "volume" as const, predictedClv: 5000, valueScore: 40 },
    { customerId: "d", group: "valued" as const, predictedClv: 500, valueScore: 85 },
  ];

  it("takes the top N valued customers by predicted CLV, never other groups", () => {
    expect([...selectAutoVip(customers, { mode: "top_n", value: 2 })]).toEqual(["b", "d"]);
  });

  it("takes the top X% of valued customers, rounding up", () => {
    expect([...selectAutoVip(customers, { mode: "top_percent", value: 10 })]).toEqual(["b"]);
    expect(selectAutoVip(customers, { mode: "off", value: 10 }).size).toBe(0);
  });
});
