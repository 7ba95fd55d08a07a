import { describe, expect, it } from "vitest";
import { buildBacktestInput, calibrationTable, planHoldout, rfmScore, runBacktest, topShare, type BacktestInput } from "./backtest";
import { computeFeatures } from "./features";
import { backtestShop } from "./index";
import { resolveConfig } from "./presets";
import { CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, readCdnowHistories } from "./testCdnow";
import { AS_OF, customer, daysBefore, line, order, seededRandom, simulateBgNbd, simulatedShop } from "./testFactories";

const settings = (() => {
  const r = resolveConfig("balanced", {});
  if (!r.ok) throw new Error("balanced preset is invalid");
  return r.config.model;
})();

describe("holdout length", () => {
  it("holds out half the history in whole weeks, at most 52, and ends calibration at the end of a day", () => {
    const plan = planHoldout(new Date("1997-01-01T12:00:00Z"), CDNOW_HOLDOUT_END);
    expect(plan).toMatchObject({ ok: true, holdoutWeeks: 39 });
    if (plan.ok) expect(plan.cutoff.toISOString()).toBe(CDNOW_CALIBRATION_END.toISOString());
    const long = planHoldout(new Date("2020-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z"));
    expect(long).toMatchObject({ ok: true, holdoutWeeks: 52 });
  });

  it("says the history is too short below 16 weeks", () => {
    expect(planHoldout(daysBefore(AS_OF, 100), AS_OF)).toMatchObject({ ok: false, reason: "history_too_short" });
    expect(planHoldout(null, AS_OF)).toMatchObject({ ok: false, reason: "history_too_short" });
    expect(planHoldout(daysBefore(AS_OF, 111), AS_OF)).toMatchObject({ ok: true, holdoutWeeks: 8 });
  });

  it("counts days in the shop's time zone", () => {
    // 23:30 UTC on the 1st is already the 2nd in UTC+2 (Johannesburg keeps no summer time); the cutoff is the shop's midnight, in UTC.
    const plan = planHoldout(new Date("2024-01-01T23:30:00Z"), new Date("2024-12-31T12:00:00Z"), "Africa/Johannesburg");
    // Jan 2 … Dec 31 local is 365 days: 26 weeks held out, calibration ends with local Jul 2.
    expect(plan).toMatchObject({ ok: true, holdoutWeeks: 26 });
    expect(plan.ok && plan.cutoff.toISOString()).toBe("2024-07-02T21:59:59.999Z");
  });
});

describe("backtest on CDNOW (Fader, Hardie & Lee 2005)", () => {
  const histories = readCdnowHistories();
  const asOf = CDNOW_HOLDOUT_END;
  const features = histories.map((h) => computeFeatures(h, { asOf, defaultMarginRate: 1 }));
  const plan = planHoldout(new Date("1997-01-01T12:00:00Z"), asOf);
  if (!plan.ok) throw new Error("CDNOW must be long enough");
  const input = buildBacktestInput(histories, features, plan.cutoff, plan.holdoutWeeks, { defaultMarginRate: 1 });
  const report = runBacktest(input, settings, { asOf, cutoff: plan.cutoff, historyWeeks: plan.historyWeeks });

  it("reproduces the paper's holdout table by calibration repeat purchases", () => {
    expect(report.status).toBe("measured");
    if (report.status !== "measured") return;
    expect(report.holdoutWeeks).toBe(39);
    expect(report.customers).toBe(2357);
    const bgnbd = report.rankers.find((r) => r.name === "bgnbd")!;
    const published = [
      [0, 1411, 0.2367, 0.2251],
      [1, 439, 0.697, 0.5231],
      [2, 214, 1.3925, 1.0441],
      [3, 100, 1.56, 1.5203],
      [4, 62, 2.5323, 2.1638],
      [5, 38, 2.9474, 2.6538],
      [6, 29, 3.8621, 3.504],
      [7, 64, 6.3594, 6.157],
    ];
    console.log(
      "CDNOW holdout table from the backtest (x, customers, actual, BG/NBD, Pareto/NBD):\n" +
        bgnbd
          .calibration!.map((row, i) => {
            const pareto = report.rankers.find((r) => r.name === "pareto_nbd")!.calibration![i];
            return `  ${row.x === 7 ? "7+" : row.x}\t${row.customers}\t${row.actual.toFixed(4)}\t${row.predicted.toFixed(4)}\t${pareto.predicted.toFixed(4)}`;
          })
          .join("\n"),
    );
    expect(bgnbd.calibration).toHaveLength(8);
    bgnbd.calibration!.forEach((row, i) => {
      const [x, customers, actual, expected] = published[i];
      expect(row.x).toBe(x);
      expect(row.customers).toBe(customers);
      expect(Math.abs(row.actual - actual)).toBeLessThan(0.001);
      expect(Math.abs(row.predicted - expected)).toBeLessThan(0.001);
    });
    expect(input.holdoutPurchases.reduce((s, v) => s + v, 0)).toBe(1882);
    expect(input.x.reduce((s, v) => s + v, 0)).toBe(2457);
  });

  it("measures every ranking's top-20% share of the holdout revenue and picks one no worse than past spend", () => {
    if (report.status !== "measured") throw new Error("not measured");
    const shares = Object.fromEntries(report.rankers.map((r) => [r.name, r.topShare]));
    console.log(`CDNOW top-20% shares of holdout revenue: ${JSON.stringify(shares)}; chosen ${JSON.stringify(report.choice)}`);
    expect(Object.keys(shares).sort()).toEqual(["bgnbd", "blend", "order_count", "pareto_nbd", "past_spend", "rfm"]);
    for (const share of Object.values(shares)) {
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThanOrEqual(1);
    }
    expect(report.choice.topShare!).toBeGreaterThanOrEqual(shares.past_spend);
    const holdoutRevenue = input.holdoutRevenue.reduce((s, v) => s + v, 0);
    expect(report.holdoutRevenue).toBeCloseTo(holdoutRevenue, 6);
  });
});

describe("top-20% share", () => {
  it("shares the boundary among tied customers", () => {
    const revenue = Float64Array.of(10, 0, 0, 0, 0, 0, 0, 0, 0, 10);
    // Everyone tied: the top 2 of 10 hold 2/10 of the revenue in expectation.
    expect(topShare(new Float64Array(10).fill(1), revenue, 20)).toBeCloseTo(0.2, 12);
    // Two clear leaders who bought everything.
    expect(topShare(Float64Array.of(9, 1, 1, 1, 1, 1, 1, 1, 1, 9), revenue, 20)).toBe(1);
    // One leader, then nine tied for the last place.
    expect(topShare(Float64Array.of(9, 1, 1, 1, 1, 1, 1, 1, 1, 1), revenue, 20)).toBeCloseTo(0.5 + 0.5 / 9, 12);
  });

  it("ranks RFM by summed quintiles with past spend breaking ties, and tabulates calibration by x", () => {
    const input = {
      length: 5,
      x: Float64Array.of(0, 1, 2, 9, 9),
      orders: Float64Array.of(1, 2, 3, 10, 10),
      pastSpend: Float64Array.of(10, 20, 30, 100, 90),
      daysSinceLastOrder: Float64Array.of(300, 200, 100, 5, 5),
      holdoutPurchases: Float64Array.of(0, 1, 1, 4, 6),
    } as unknown as BacktestInput;
    const rfm = rfmScore(input);
    expect(rfm[3]).toBeGreaterThan(rfm[4]);
    expect(rfm[4]).toBeGreaterThan(rfm[2]);
    const rows = calibrationTable(input, Float64Array.of(0.1, 0.9, 1.1, 4, 5));
    expect(rows.map((r) => r.x)).toEqual([0, 1, 2, 7]);
    expect(rows[3]).toEqual({ x: 7, customers: 2, actual: 5, predicted: 4.5 });
  });
});

/**
 * A wholesale-heavy shop: retail customers follow the BG/NBD story with $50 baskets; wholesalers buy
 * $1,500–$4,000 orders every few weeks and never leave, and many of them started recently, so in the
 * calibration period they have one or two orders. Gamma-Gamma gives a one-order customer the population's
 * mean basket, so the model under-ranks them; their past spend says who they are.
 */
function wholesaleShop(seed: number) {
  const random = seededRandom(seed);
  const retail = simulatedShop(seed, 2500);
  const wholesalers = Array.from({ length: 200 }, (_, i) => {
    const first = 1 + Math.floor(random() * 400);
    const gapDays = 14 + Math.floor(random() * 28);
    const basket = 1500 + random() * 2500;
    const orders = [];
    for (let d = first; d >= 1; d -= gapDays + Math.floor(random() * 7)) {
      const price = Math.round(basket * (0.8 + random() * 0.4) * 100) / 100;
      orders.push(order(d, { lines: [line({ unitPrice: price, unitCost: price * 0.7 })] }));
    }
    return customer(`wholesale-${i}`, orders);
  });
  return [...retail, ...wholesalers];
}

/**
 * A shop that follows the BG/NBD story and nothing else: purchase days from BG/NBD, and every basket
 * about $60 whoever buys it, so a customer's first order says nothing about their spend and who will
 * buy again is all there is to predict.
 */
function bgnbdShop(seed: number, customers: number) {
  const random = seededRandom(seed);
  return Array.from({ length: customers }, (_, i) => {
    const sim = simulateBgNbd(random, { r: 0.6, alpha: 8, a: 0.8, b: 2.5 }, 540);
    const orders = sim.purchaseDaysAgo.map((d) => order(d, { lines: [line({ unitPrice: Math.round((54 + random() * 12) * 100) / 100, unitCost: 30 })] }));
    return customer(`bg-${i}`, orders);
  });
}

const choose = (histories: ReturnType<typeof simulatedShop>) =>
  backtestShop(
    histories,
    histories.map((h) => computeFeatures(h, { asOf: AS_OF, defaultMarginRate: 0.4 })),
    { asOf: AS_OF, defaultMarginRate: 0.4 },
  );

describe("the choice of ranking", () => {
  it("falls on BG/NBD where customers follow the BG/NBD story", () => {
    for (const seed of [3, 17]) {
      const report = choose(bgnbdShop(seed, 4000));
      expect(report.status).toBe("measured");
      if (report.status !== "measured") continue;
      const shares = Object.fromEntries(report.rankers.map((r) => [r.name, r.topShare.toFixed(4)]));
      console.log(`BG/NBD shop seed ${seed}: ${JSON.stringify(shares)} → ${report.choice.kind} (${report.choice.reason})`);
      expect(report.choice.kind).toBe("bgnbd");
      expect(report.choice.topShare!).toBeGreaterThan(report.choice.pastSpendTopShare!);
    }
  }, 120_000);

  it("falls on the blend or on past spend where past spend predicts best", () => {
    for (const seed of [5, 23]) {
      const report = choose(wholesaleShop(seed));
      expect(report.status).toBe("measured");
      if (report.status !== "measured") continue;
      const shares = Object.fromEntries(report.rankers.map((r) => [r.name, r.topShare.toFixed(4)]));
      const blend = report.rankers.find((r) => r.name === "blend")!;
      console.log(`wholesale shop seed ${seed}: ${JSON.stringify(shares)} blend weight ${blend.modelWeight} → ${report.choice.kind} (${report.choice.reason})`);
      const bgnbd = report.rankers.find((r) => r.name === "bgnbd")!;
      const pastSpend = report.rankers.find((r) => r.name === "past_spend")!;
      expect(bgnbd.topShare).toBeLessThan(pastSpend.topShare);
      expect(["blend", "past_spend"]).toContain(report.choice.kind);
      expect(report.choice.topShare!).toBeGreaterThanOrEqual(pastSpend.topShare);
    }
  }, 120_000);

  it("says when there is not enough history, and leaves BG/NBD (or its priors) in charge", () => {
    const young = simulatedShop(9, 300).map((h) => ({ ...h, orders: h.orders.filter((o) => o.processedAt > daysBefore(AS_OF, 90)) }));
    const report = choose(young);
    expect(report).toMatchObject({ status: "insufficient", reason: "history_too_short", choice: { kind: "bgnbd", reason: "insufficient_history" } });
    const small = choose(simulatedShop(9, 60));
    expect(small).toMatchObject({ status: "insufficient", reason: "too_few_customers" });
  });
});
