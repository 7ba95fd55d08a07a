import { describe, expect, it } from "vitest";
import { backfills, groupBreakdown, movement, parsePeriod, summarizeMovement, type SyncRunRow } from "./shape";

const row = (group: string, customers: number, revenue: string, grossMargin: string, clvTotal = "0.00", discountShareTotal = 0) => ({
  group,
  customers,
  orders: customers * 2,
  revenue,
  grossMargin,
  clvTotal,
  discountShareTotal,
});

describe("group breakdown", () => {
  it("gives every group in a fixed order with shares of the shop's totals, zeros for empty groups", () => {
    const { groups, totals } = groupBreakdown([row("volume", 30, "600.00", "60.00", "300.00", 21), row("valued", 10, "400.00", "140.00", "1000.00", 1)]);
    expect(groups.map((g) => g.group)).toEqual(["valued", "volume", "rising", "at_risk", "new", "occasional"]);
    expect(totals).toEqual({ customers: 40, orders: 80, revenue: "1000.00", grossMargin: "200.00" });
    expect(groups[0]).toMatchObject({ customers: 10, customerShare: 0.25, revenueShare: 0.4, marginShare: 0.7, averageClv: "100.00", averageDiscountShare: 0.1 });
    expect(groups[1]).toMatchObject({ customers: 30, revenueShare: 0.6, marginShare: 0.3, averageClv: "10.00", averageDiscountShare: 0.7 });
    expect(groups[2]).toMatchObject({ customers: 0, revenue: "0.00", revenueShare: 0, averageClv: null, averageDiscountShare: null });
  });

  it("adds money exactly and gives no share of a total that is not positive", () => {
    const { groups, totals } = groupBreakdown([row("valued", 1, "0.10", "-5.00"), row("volume", 1, "0.20", "2.00")]);
    expect(totals.revenue).toBe("0.30");
    expect(totals.grossMargin).toBe("-3.00");
    expect(groups[0].marginShare).toBeNull();
    expect(groupBreakdown([]).groups.every((g) => g.revenueShare === null && g.customerShare === null)).toBe(true);
  });
});

describe("movement", () => {
  const day = new Date("2026-11-23T00:00:00Z");
  const rows = [
    { from: "volume", to: "valued", daysAgo: 0, count: 4 },
    { from: "volume", to: "valued", daysAgo: 10, count: 6 },
    { from: "valued", to: "at_risk", daysAgo: 6, count: 2 },
    { from: "valued", to: "at_risk", daysAgo: 7, count: 3 },
    { from: "new", to: "occasional", daysAgo: 89, count: 50 },
    { from: "rising", to: "valued", daysAgo: 90, count: 7 },
  ];

  it("counts the moves of the selected period, largest first, with the watched moves always present", () => {
    const summary = summarizeMovement(rows);
    const week = movement(summary, 7, day);
    expect(week.transitions).toEqual([
      { from: "volume", to: "valued", customers: 4 },
      { from: "valued", to: "at_risk", customers: 2 },
    ]);
    expect(week.highlights.find((h) => h.from === "rising")?.customers).toBe(0);
    expect(movement(summary, 30, day).transitions).toEqual([
      { from: "volume", to: "valued", customers: 10 },
      { from: "valued", to: "at_risk", customers: 5 },
    ]);
    expect(movement(summary, 90, day).transitions[0]).toEqual({ from: "new", to: "occasional", customers: 50 });
    expect(movement(summary, 90, day).transitions.some((t) => t.from === "rising")).toBe(false);
  });

  it("buckets moves into valued and into at risk by week, oldest first, over 13 weeks", () => {
    const { weekly } = movement(summarizeMovement(rows), 30, day);
    expect(weekly).toHaveLength(13);
    expect(weekly.at(-1)).toEqual({ weekStart: "2026-11-17", intoValued: 4, intoAtRisk: 2 });
    expect(weekly.at(-2)).toEqual({ weekStart: "2026-11-10", intoValued: 6, intoAtRisk: 3 });
    expect(weekly[0]).toEqual({ weekStart: "2026-08-25", intoValued: 7, intoAtRisk: 0 });
  });

  it("buckets the past year by calendar month, counting volume → valued and what was reconstructed", () => {
    const year = [
      { from: "volume", to: "valued", daysAgo: 2, count: 3 },
      { from: "rising", to: "valued", daysAgo: 40, count: 2 },
      { from: "volume", to: "valued", daysAgo: 300, count: 9, reconstructed: true },
      { from: "valued", to: "at_risk", daysAgo: 300, count: 1, reconstructed: true },
      { from: "volume", to: "valued", daysAgo: 399, count: 4, reconstructed: true },
    ];
    const m = movement(summarizeMovement(year, day), 365, day);
    expect(m.monthly).toHaveLength(13);
    expect(m.monthly[0].month).toBe("2025-11");
    expect(m.monthly.at(-1)).toEqual({ month: "2026-11", volumeToValued: 3, intoValued: 3, reconstructed: 0 });
    expect(m.monthly.find((x) => x.month === "2026-01")).toEqual({ month: "2026-01", volumeToValued: 9, intoValued: 9, reconstructed: 10 });
    // 399 days back is before the oldest month shown, and past the 365-day period.
    expect(m.monthly.reduce((s, x) => s + x.volumeToValued, 0)).toBe(12);
    expect(m.reconstructedInPeriod).toBe(10);
    expect(m.transitions[0]).toEqual({ from: "volume", to: "valued", customers: 12 });
    expect(movement(summarizeMovement(year, day), 30, day).reconstructedInPeriod).toBe(0);
  });

  it("reads an unknown period as 30 days", () => {
    expect([parsePeriod("7"), parsePeriod("90"), parsePeriod("365"), parsePeriod("12"), parsePeriod(null)]).toEqual([7, 90, 365, 30, 30]);
  });
});

describe("backfills", () => {
  const run = (id: number, kind: "CUSTOMERS" | "ORDERS", status: string, done: number, total: number, startedDay: number, extra: Partial<SyncRunRow> = {}): SyncRunRow => ({
    id,
    kind,
    status,
    rootsDone: BigInt(done),
    rootObjectCount: BigInt(total),
    ordersSince: null,
    error: null,
    startedAt: new Date(Date.UTC(2026, 10, startedDay)),
    completedAt: null,
    ...extra,
  });

  it("takes the latest run of each kind, its progress, and lists failed runs", () => {
    const { latest, failed } = backfills([
      run(1, "ORDERS", "FAILED", 5, 10, 1, { error: "TIMEOUT", ordersSince: new Date("2026-09-01T00:00:00Z") }),
      run(2, "ORDERS", "RUNNING", 0, 0, 2),
      run(3, "CUSTOMERS", "COMPLETED", 7, 0, 1),
    ]);
    expect(latest.map((b) => [b.kind, b.status, b.progress])).toEqual([
      ["CUSTOMERS", "COMPLETED", 1],
      ["ORDERS", "RUNNING", null],
    ]);
    expect(failed).toEqual([expect.objectContaining({ kind: "ORDERS", error: "TIMEOUT", progress: 0.5, ordersSince: "2026-09-01T00:00:00.000Z" })]);
  });
});
