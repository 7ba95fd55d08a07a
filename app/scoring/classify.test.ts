import { describe, expect, it } from "vitest";
import { decideGroup, percentileRank, qualifies, selectAutoVip, type GroupMetrics } from "./classify";
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
};

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

  it("promotes a rising customer only when they clear the valued bar by half the band", () => {
    const barely = { ...valuedMetrics, valueScore: t.valuedEnter + 1 };
    expect(decideGroup(barely, t, "rising")).toEqual({ group: "rising", held: true });
    const clearly = { ...valuedMetrics, valueScore: t.valuedEnter + t.hysteresis };
    expect(decideGroup(clearly, t, "rising").group).toBe("valued");
  });

  it("is idempotent: deciding again with the group it just gave changes nothing", () => {
    const groups: (Group | undefined)[] = [undefined, "valued", "volume", "rising", "at_risk", "new", "occasional"];
    let checked = 0;
    for (let valueScore = 40; valueScore <= 80; valueScore += 1.5) {
      for (let pAlive = 0.05; pAlive <= 1; pAlive += 0.05) {
        for (const volumeScore of [30, 52, 54, 56, 58, 70]) {
          for (const previous of groups) {
            const m = { ...valuedMetrics, valueScore, valueIfActive: valueScore + 4, volumeScore, pAlive, overdueRatio: 2 };
            const first = decideGroup(m, t, previous).group;
            expect(decideGroup(m, t, first).group).toBe(first);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it("has conditions that only loosen as slack grows", () => {
    for (const g of ["valued", "at_risk", "rising", "volume"] as const) {
      const m = { ...valuedMetrics, valueScore: 60, volumeScore: 54, pAlive: 0.52, discountShare: 0.52 };
      if (qualifies(g, m, t, 0)) expect(qualifies(g, m, t, 2)).toBe(true);
      if (!qualifies(g, m, t, 0)) expect(qualifies(g, m, t, -2)).toBe(false);
    }
  });
});

describe("shop-relative standing", () => {
  it("ranks with mid-ranks so ties share the middle", () => {
    const sorted = Float64Array.of(1, 2, 2, 3);
    expect(percentileRank(sorted, 2)).toBe(0.5);
    expect(percentileRank(sorted, 0)).toBe(0);
    expect(percentileRank(sorted, 9)).toBe(1);
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
