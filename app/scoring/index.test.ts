import { describe, expect, it } from "vitest";
import { InvalidScoringConfigError, scoreFeatures, scoreShop, type CustomerScore, type ShopScores } from "./index";
import { translate } from "../i18n/i18n";
import type { Reason } from "./classify";
import { AS_OF, archetype, archetypeShop, customer, line, order, simulatedShop } from "./testFactories";

const base = { asOf: AS_OF, defaultMarginRate: 0.5 };
const byId = (result: ShopScores) => new Map(result.customers.map((c) => [c.customerId, c]));
// Reasons are messages; these tests read them as an English-speaking merchant would.
const english = (r: Reason) => translate("en", r.message);
const texts = (c: CustomerScore) => c.reasons.map((r) => english(r));

describe("scoreShop on a shop of hand-built archetypes", () => {
  const result = scoreShop(archetypeShop(10), base);
  const scores = byId(result);

  it("labels every archetype with its intended group", () => {
    for (const kind of ["valued", "volume", "at_risk", "rising", "new", "occasional"] as const) {
      for (let k = 0; k < 10; k++) expect(scores.get(`${kind}-${k}`)?.group, `${kind}-${k}`).toBe(kind);
    }
    expect(result.store.groups).toEqual({ valued: 10, volume: 10, rising: 10, at_risk: 10, new: 10, occasional: 10 });
  });

  it("says which model it used, falling back to priors when the fit is degenerate", () => {
    // Perfectly regular synthetic buyers never drop out, so the MLE runs to a → 0.
    expect(result.model.kind).toBe("fallback");
    expect(result.model.fallbackReason).toBe("degenerate_fit");
    expect(result.model.params.a).toBe(0.8);
    expect(result.model.version).toBe("patron-scoring/2");
  });

  it("scores valued customers high on value and volume customers high on volume", () => {
    const valued = scores.get("valued-3")!;
    const volume = scores.get("volume-3")!;
    expect(valued.valueScore).toBeGreaterThan(70);
    expect(valued.volumeScore).toBeLessThan(40);
    expect(volume.volumeScore).toBeGreaterThan(80);
    expect(volume.valueScore).toBeLessThan(valued.valueScore);
  });

  it("explains groups in plain words with numbers", () => {
    const volume = scores.get("volume-0")!;
    expect(texts(volume)).toContain("100% of orders used a discount (codes 100%)");
    expect(texts(volume)).toContainEqual(expect.stringMatching(/^margin 6% vs store median \d+%$/));
    const atRisk = scores.get("at_risk-0")!;
    expect(atRisk.reasons[0]).toMatchObject({ code: "group", score: "group" });
    expect(english(atRisk.reasons[0])).toMatch(/^probability still active \d+%: 120 days since the last order, usually every 30 days$/);
    expect(texts(scores.get("new-0")!)[0]).toBe("first order 5 days ago");
    expect(texts(scores.get("occasional-0")!)[0]).toBe("one order, 500 days ago");
    expect(texts(scores.get("rising-0")!)[0]).toBe(
      "buying more often (recent gaps between orders 80% shorter); recent orders 25% larger than earlier ones; customer for 7 months",
    );
  });

  it("gives structured reasons with direction and impact, strongest first within each score", () => {
    const valued = scores.get("valued-0")!;
    const value = valued.reasons.filter((r) => r.score === "value");
    expect(value.length).toBe(3);
    for (let i = 1; i < value.length; i++) {
      expect(Math.abs(value[i - 1].impact)).toBeGreaterThanOrEqual(Math.abs(value[i].impact));
    }
    expect(value[0].direction).toBe("up");
    expect(new Set(valued.reasons.map((r) => english(r))).size).toBe(valued.reasons.length);
  });

  it("flags the top valued customers as VIP automatically and honours the merchant's own picks", () => {
    const withManual = scoreShop(archetypeShop(10), { ...base, manualVip: new Set(["volume-2"]) });
    const vips = withManual.customers.filter((c) => c.vip);
    expect(vips.map((c) => [c.customerId, c.vipSource])).toEqual([
      ["valued-9", "auto"],
      ["volume-2", "manual"],
    ]);
  });
});

describe("stability", () => {
  const shop = simulatedShop(11, 3000);

  it("is deterministic", () => {
    const a = scoreShop(shop, base);
    const b = scoreShop(shop, base);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  }, 120_000);

  it("never changes a group when the shop is rescored with no new data", () => {
    const first = scoreShop(shop, base);
    let previous = new Map(first.customers.map((c) => [c.customerId, c.group]));
    for (let round = 0; round < 3; round++) {
      const again = scoreShop(shop, { ...base, previous });
      for (const c of again.customers) expect(c.group).toBe(previous.get(c.customerId));
      previous = new Map(again.customers.map((c) => [c.customerId, c.group]));
    }
  }, 120_000);

  it("keeps a customer in their previous group while they sit inside the hysteresis band", () => {
    const first = scoreShop(shop, base);
    const t = first.config.thresholds;
    const borderline = first.customers.find(
      (c) =>
        c.group !== "valued" &&
        c.features.orders >= t.minValuedOrders &&
        c.features.tenureDays >= t.establishedDays &&
        c.valueScore >= t.valuedEnter - 2 &&
        c.features.discountedOrderShare <= t.maxValuedDiscountShare &&
        (c.pAlive ?? 0) >= t.atRiskPAlive &&
        c.features.daysSinceLastOrder! < (t.overdueGapMultiple * c.features.tx * 7) / c.features.x,
    );
    expect(borderline).toBeDefined();
    const previous = new Map([[borderline!.customerId, "valued" as const]]);
    const again = byId(scoreShop(shop, { ...base, previous })).get(borderline!.customerId)!;
    expect(again.group).toBe("valued");
    expect(again.held).toBe(true);
    expect(again.previousGroup).toBe("valued");
    expect(texts(again)[1]).toMatch(/^kept in valued: the evidence has not moved clearly/);
  }, 120_000);
});

describe("model selection", () => {
  it("fits BG/NBD and Gamma-Gamma when the shop has enough repeat customers, recovering the simulated truth", () => {
    // BG/NBD itself, whatever the backtest would pick for this shop (see the next test).
    const result = scoreShop(simulatedShop(5, 4000), { ...base, backtest: false });
    expect(result.model.kind).toBe("bgnbd");
    expect(result.backtest).toBeNull();
    expect(result.model.spendModel).toBe("gamma_gamma");
    expect(result.model.logLikelihood).toBeLessThan(0);
    expect(result.model.fitRows).toBeLessThan(result.model.customers);
    // simulated with r = 0.6, α = 8, a = 0.8, b = 2.5
    expect(result.model.params.r).toBeGreaterThan(0.4);
    expect(result.model.params.r).toBeLessThan(0.9);
    expect(result.model.params.a / (result.model.params.a + result.model.params.b)).toBeGreaterThan(0.15);
    expect(result.model.params.a / (result.model.params.a + result.model.params.b)).toBeLessThan(0.35);
  });

  it("ranks by the candidate its backtest chose, never one that did worse than past spend", () => {
    const result = scoreShop(simulatedShop(5, 4000), base);
    const backtest = result.backtest!;
    expect(backtest.status).toBe("measured");
    expect(result.model.ranking).toEqual(backtest.choice.ranking);
    expect(backtest.choice.topShare!).toBeGreaterThanOrEqual(backtest.choice.pastSpendTopShare!);
    const expectedKind = backtest.choice.ranking.purchaseModel === "pareto_nbd" ? ["pareto_nbd", "bgnbd"] : ["bgnbd"];
    expect(expectedKind).toContain(result.model.kind);
    if (result.model.kind === "pareto_nbd") expect(result.model.pareto!.usable).toBe(true);
  });

  it("blends past spend into CLV with the weight it is given, ranking by past spend at weight 0", () => {
    const shop = simulatedShop(5, 1500);
    const bySpend = scoreShop(shop, { ...base, backtest: false });
    const asFeatures = bySpend.customers.map((c) => c.features);
    const pastSpendOnly = scoreFeatures(asFeatures, { ranking: { purchaseModel: "bgnbd", modelWeight: 0 } });
    const buyers = pastSpendOnly.customers.filter((c) => c.features.orders > 0 && c.features.marginRate > 0);
    // At weight 0, CLV ÷ margin is past spend times one shop-wide factor.
    const ratios = buyers.map((c) => c.predictedClv / (c.features.marginRate * c.features.monetary)).filter(Number.isFinite);
    expect(Math.max(...ratios) - Math.min(...ratios)).toBeLessThan(1e-9 * Math.max(...ratios));
    // The total forecast is the model's either way.
    const total = (s: typeof bySpend) => s.customers.reduce((t, c) => t + (c.features.marginRate > 0 ? c.predictedClv / c.features.marginRate : 0), 0);
    expect(total(pastSpendOnly)).toBeCloseTo(total(scoreFeatures(asFeatures, {})), 3);
  });

  it("uses documented priors for a shop with its first few orders and still labels everyone", () => {
    const result = scoreShop(
      [archetype("valued", 0), archetype("volume", 0), archetype("new", 0), archetype("occasional", 0)],
      base,
    );
    expect(result.model.kind).toBe("fallback");
    expect(result.model.fallbackReason).toBe("too_few_repeat_customers");
    expect(result.model.spendModel).toBe("prior");
    const scores = byId(result);
    expect(scores.get("new-0")!.group).toBe("new");
    expect(scores.get("occasional-0")!.group).toBe("occasional");
    for (const c of result.customers) {
      expect(c.pAlive).toBeGreaterThan(0);
      expect(Number.isFinite(c.predictedClv)).toBe(true);
    }
  });

  it("scores a customer without orders without a purchase model", () => {
    const result = scoreShop([customer("prospect", [], { createdAt: AS_OF, acceptsMarketing: true })], base);
    expect(result.customers[0]).toMatchObject({ group: "new", pAlive: null, predictedClv: 0 });
    expect(result.store.customersWithOrders).toBe(0);
  });
});

describe("configuration", () => {
  it("applies per-shop overrides on top of the preset", () => {
    const strict = scoreShop(archetypeShop(5), { ...base, overrides: { thresholds: { valuedEnter: 99, risingEnter: 98 } } });
    expect(strict.store.groups.valued).toBe(0);
  });

  it("rejects invalid overrides with the issues listed", () => {
    expect(() => scoreShop([], { ...base, overrides: { thresholds: { atRiskPAlive: 2 } } })).toThrow(
      InvalidScoringConfigError,
    );
  });

  it("says why a strong customer is not valued yet, and when a silent one counts as lapsed", () => {
    const fullPrice = (daysAgo: number) => order(daysAgo, { lines: [line({ unitPrice: 130, unitCost: 45 })] });
    const result = scoreShop(
      [
        customer("few", [700, 400, 60].map(fullPrice), { acceptsMarketing: true }),
        customer("steady", [210, 180, 150, 120, 90, 60, 30, 5].map(fullPrice), { acceptsMarketing: true }),
        customer("lapsed", Array.from({ length: 13 }, (_, i) => fullPrice(900 - 30 * i)), { acceptsMarketing: true }),
        ...archetypeShop(10),
      ],
      base,
    );
    const scores = byId(result);
    expect(scores.get("few")!.group).toBe("occasional");
    expect(texts(scores.get("few")!)[0]).toMatch(/^value score \d+ but only 3 orders \(valued from 4\)$/);
    expect(scores.get("steady")!.group).toBe("rising");
    expect(texts(scores.get("steady")!)[0]).toMatch(
      /^value score \d+ already, customer for 7 months: valued once established \(12 months\)$/,
    );
    expect(scores.get("lapsed")!.group).toBe("occasional");
    expect(texts(scores.get("lapsed")!)[0]).toMatch(/^probability still active \d+%, no order for 18 months: likely lapsed$/);
  });

  it("reads a discount-heavy customer the way the merchant would", () => {
    const orders = Array.from({ length: 9 }, (_, i) =>
      order(10 + i * 20, i < 7 ? { discountCodes: ["TEN"], totalDiscounts: 10, lines: [line({ discountAllocated: 10 })] } : {}),
    );
    const result = scoreShop([customer("deal-hunter", orders), ...archetypeShop(3)], base);
    const hunter = byId(result).get("deal-hunter")!;
    expect(texts(hunter)).toContain("78% of orders used a discount (codes 78%)");
  });
});

describe("customers whose orders all fall on one day (x = 0)", () => {
  // Several orders on one day, long ago: BG/NBD gives P(alive) = 1 for x = 0 by construction,
  // so their activity is judged by their silence against the store's cadence instead.
  const sameDayBulk = (id: string, daysAgo: number) =>
    customer(id, [0, 1, 2, 3, 4].map(() => order(daysAgo, { lines: [line({ unitPrice: 90, unitCost: 60 })] })));

  it("keeps P(alive) = 1 from the model, but never calls a long-silent one active", () => {
    const shop = [...archetypeShop(4), sameDayBulk("bulk-recent", 20), sameDayBulk("bulk-silent", 900)];
    const scores = scoreShop(shop, { asOf: AS_OF, defaultMarginRate: 0.4 });
    const silent = scores.customers.find((c) => c.customerId === "bulk-silent")!;
    expect(silent.features).toMatchObject({ orders: 5, purchaseDays: 1, x: 0 });
    expect(silent.pAlive).toBe(1);
    expect(["volume", "valued", "rising"]).not.toContain(silent.group);
    expect(silent.group).toBe("occasional");
    expect(english(silent.reasons[0])).toMatch(/^no repeat purchase, no order for 2\.5 years \(the store's customers usually return within \d+ days\): likely lapsed$/);
    for (const r of silent.reasons) expect(english(r)).not.toMatch(/probability still active/);
    const recent = scores.customers.find((c) => c.customerId === "bulk-recent")!;
    expect(english(recent.reasons[0])).not.toMatch(/lapsed/);
  });

  it("measures the store's cadence from its repeat customers", () => {
    const shop = archetypeShop(3);
    const scores = scoreShop([...shop, sameDayBulk("bulk-silent", 400)], { asOf: AS_OF, defaultMarginRate: 0.4 });
    const gaps = scores.customers.filter((c) => c.features.x > 0).map((c) => (c.features.tx * 7) / c.features.x).sort((a, b) => a - b);
    const median = gaps.length % 2 ? gaps[gaps.length >> 1] : (gaps[gaps.length / 2 - 1] + gaps[gaps.length / 2]) / 2;
    const reason = scores.customers.find((c) => c.customerId === "bulk-silent")!.reasons[0];
    const text = english(reason);
    expect(text).toContain(`usually return within ${Math.round(median)} days`);
  });
});
