import { describe, expect, it } from "vitest";
import { computeFeatures } from "./features";
import { AS_OF, customer, daysBefore, line, order } from "./testFactories";

const options = { asOf: AS_OF, defaultMarginRate: 0.5 };

describe("customer features", () => {
  it("summarises purchases BTYD-style: same-day orders merged, first purchase not a repeat", () => {
    const history = customer("c1", [order(70), order(70), order(35), order(0)]);
    const f = computeFeatures(history, options);
    expect(f.orders).toBe(4);
    expect(f.purchaseDays).toBe(3);
    expect(f.x).toBe(2);
    expect(f.tx).toBeCloseTo(10, 10);
    expect(f.T).toBeCloseTo(10, 10);
    expect(f.daysSinceLastOrder).toBe(0);
    expect(f.tenureDays).toBe(70);
    expect(f.monetary).toBe(400);
    expect(f.averageOrderValue).toBe(100);
    expect(f.repeatSpendMean).toBe(100);
    expect(f.regularityCv).toBe(0);
  });

  it("leaves cancelled orders and orders after asOf out of every figure", () => {
    const history = customer("c2", [
      order(50),
      order(20, { cancelled: true, discountCodes: ["X"], totalDiscounts: 10 }),
      order(-5),
    ]);
    const f = computeFeatures(history, options);
    expect(f.orders).toBe(1);
    expect(f.x).toBe(0);
    expect(f.discountedOrderShare).toBe(0);
    expect(f.monetary).toBe(100);
  });

  it("counts discount codes, automatic discounts and markdowns as discounted orders", () => {
    const history = customer("c3", [
      order(40, { discountCodes: ["WELCOME"], totalDiscounts: 10, lines: [line({ discountAllocated: 10 })] }),
      order(30, { hasAutomaticDiscount: true, totalDiscounts: 5, lines: [line({ discountAllocated: 5 })] }),
      order(20, { lines: [line({ unitPrice: 80, compareAtPrice: 100, unitCost: 40 })] }),
      order(10),
    ]);
    const f = computeFeatures(history, options);
    expect(f.discountedOrderShare).toBe(0.75);
    expect(f.codeOrderShare).toBe(0.25);
    expect(f.automaticOrderShare).toBe(0.25);
    expect(f.markdownOrderShare).toBe(0.25);
    // (10 + 5 + 20) off a list value of 100 + 100 + 100 + 100
    expect(f.discountDepth).toBeCloseTo(35 / 400, 12);
    expect(f.recentDiscountShare).toBeCloseTo(2 / 3, 12);
  });

  it("derives a line discount from the discounted unit price when no allocation is given", () => {
    const history = customer("c4", [order(5, { lines: [line({ quantity: 2, discountedUnitPrice: 90 })] })]);
    const f = computeFeatures(history, options);
    expect(f.discountedOrderShare).toBe(1);
    expect(f.monetary).toBe(180);
  });

  it("uses line costs for margin and flags it as estimated where the default margin filled a gap", () => {
    const known = computeFeatures(customer("c5", [order(5, { lines: [line({ unitCost: 25 })] })]), options);
    expect(known.marginRate).toBeCloseTo(0.75, 12);
    expect(known.marginEstimated).toBe(false);
    expect(known.knownCostShare).toBe(1);

    const mixed = computeFeatures(
      customer("c6", [order(5, { lines: [line({ unitCost: 25 }), line({ unitCost: null, unitPrice: 300 })] })]),
      options,
    );
    // 100 at cost 25 and 300 at the default 50% margin: (400 − 25 − 150) / 400
    expect(mixed.marginRate).toBeCloseTo(225 / 400, 12);
    expect(mixed.marginEstimated).toBe(true);
    expect(mixed.knownCostShare).toBeCloseTo(0.25, 12);
  });

  it("spreads an order discount that is not allocated to lines over the lines when computing margin", () => {
    const f = computeFeatures(
      customer("c7", [order(5, { lines: [line({ unitCost: 50 })], totalDiscounts: 20, discountCodes: ["ORDER20"] })]),
      options,
    );
    expect(f.monetary).toBe(80);
    expect(f.marginRate).toBeCloseTo(30 / 80, 12);
  });

  it("reports refunds and returns as rates and nets refunds out of monetary value", () => {
    const history = customer("c8", [
      order(30, { refunded: 50, returnedQuantity: 1, lines: [line({ quantity: 2 })] }),
      order(10, { lines: [line({ quantity: 2 })] }),
    ]);
    const f = computeFeatures(history, options);
    expect(f.refundRate).toBeCloseTo(50 / 400, 12);
    expect(f.returnRate).toBeCloseTo(1 / 4, 12);
    expect(f.monetary).toBe(350);
    expect(computeFeatures(customer("c9", [order(3)]), options).returnRate).toBeNull();
  });

  it("describes a customer without orders by consent and account age only", () => {
    const history = customer("c10", [], { createdAt: daysBefore(AS_OF, 12), acceptsMarketing: true });
    const f = computeFeatures(history, options);
    expect(f.orders).toBe(0);
    expect(f.tenureDays).toBe(12);
    expect(f.acceptsMarketing).toBe(true);
    expect(f.marginEstimated).toBe(true);
  });

  it("measures regularity as the coefficient of variation of the gaps between purchase days", () => {
    const f = computeFeatures(customer("c11", [order(40), order(30), order(0)]), options);
    // gaps 10 and 30: mean 20, population sd 10
    expect(f.regularityCv).toBeCloseTo(0.5, 12);
  });

  it("compares recent gaps and order values with earlier ones to show a customer trending up", () => {
    // purchase days 200, 120, 60, 30, 15 days ago: gaps 80, 60 | 30, 15
    const speeding = computeFeatures(
      customer("c12", [200, 120, 60, 30, 15].map((d, i) => order(d, { lines: [line({ unitPrice: 50 + 25 * i })] }))),
      options,
    );
    expect(speeding.gapTrend).toBeCloseTo(45 / 140, 12);
    // order values 50, 75 | 100 | 125, 150: the middle order is in neither half
    expect(speeding.spendTrend).toBeCloseTo(275 / 125, 12);

    // same-day orders are one purchase: gaps 30 | 30
    const sameDay = computeFeatures(customer("c13", [order(90), order(60), order(60), order(30)]), options);
    expect(sameDay.gapTrend).toBe(1);
    expect(sameDay.spendTrend).toBe(1);
    // an odd number of gaps leaves the middle one out: 40 | 20 | 10
    const oddGaps = computeFeatures(customer("c16", [order(100), order(60), order(40), order(30)]), options);
    expect(oddGaps.gapTrend).toBeCloseTo(10 / 40, 12);

    const two = computeFeatures(customer("c14", [order(60), order(20, { lines: [line({ unitPrice: 130 })] })]), options);
    expect(two.gapTrend).toBeNull();
    expect(two.spendTrend).toBeCloseTo(1.3, 12);
    expect(computeFeatures(customer("c15", [order(5)]), options).spendTrend).toBeNull();
  });
});
