import { describe, expect, it } from "vitest";
import { conditionalExpectedPurchases, probabilityAlive } from "./bgnbd";
import {
  conditionalExpectedSpend,
  customerLifetimeValue,
  discountedExpectedPurchases,
  populationMeanSpend,
} from "./gammaGamma";

const bg = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 };
const gg = { p: 6.2488, q: 3.7446, gamma: 15.4477 };

describe("spend model and CLV", () => {
  it("shrinks a customer's mean spend towards the population mean, less so with more purchases", () => {
    const mean = populationMeanSpend(gg);
    const few = conditionalExpectedSpend(gg, 1, 100);
    const many = conditionalExpectedSpend(gg, 20, 100);
    expect(few).toBeGreaterThan(mean);
    expect(few).toBeLessThan(many);
    expect(many).toBeLessThan(100);
    expect(conditionalExpectedSpend(gg, 0, 0)).toBe(mean);
    expect(populationMeanSpend({ p: 1, q: 0.5, gamma: 1 })).toBe(Infinity);
  });

  it("multiplies expected purchases, expected spend and margin", () => {
    const purchases = conditionalExpectedPurchases(bg, 52, 2, 30.43, 38.86);
    const clv = customerLifetimeValue(bg, 24.66, 2, 30.43, 38.86, { horizonWeeks: 52, margin: 0.3 });
    expect(clv).toBeCloseTo(purchases * 24.66 * 0.3, 10);
  });

  it("discounts later purchases: less than undiscounted, equal at a zero rate", () => {
    const plain = conditionalExpectedPurchases(bg, 104, 2, 30.43, 38.86);
    expect(discountedExpectedPurchases(bg, 104, 0, 2, 30.43, 38.86)).toBeCloseTo(plain, 12);
    const discounted = discountedExpectedPurchases(bg, 104, 0.1, 2, 30.43, 38.86);
    expect(discounted).toBeLessThan(plain);
    // Two years at 10%: every purchase is discounted by at most 1.1² and at least 1.1^(1/12).
    expect(discounted).toBeGreaterThan(plain / 1.21);
    expect(discounted).toBeLessThan(plain / Math.pow(1.1, 1 / 12));
    expect(probabilityAlive(bg, 0, 0, 10)).toBe(1);
  });
});

describe("Gamma-Gamma at its edges (../shared/cases/12)", () => {
  it("keeps the conditional expectation for repeats that net to zero, continuous with a tiny positive mean", () => {
    const prior = { p: 6, q: 4, gamma: 15 };
    expect(conditionalExpectedSpend(prior, 3, 0)).toBeCloseTo((6 * 15) / (6 * 3 + 4 - 1), 12);
    expect(conditionalExpectedSpend(prior, 3, 0)).toBeCloseTo(conditionalExpectedSpend(prior, 3, 1e-9), 6);
    expect(conditionalExpectedSpend(prior, 3, -5)).toBe(conditionalExpectedSpend(prior, 3, 0));
    expect(conditionalExpectedSpend(prior, 0, 0)).toBe(populationMeanSpend(prior));
  });
});
