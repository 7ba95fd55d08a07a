import { describe, expect, it } from "vitest";
import {
  bgnbdLogLikelihood,
  collapseBgNbd,
  conditionalExpectedPurchases,
  expectedPurchases,
  probabilityAlive,
} from "./bgnbd";

const p = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 };

describe("BG/NBD numerics", () => {
  it("keeps the log-likelihood finite for very heavy buyers, where Γ itself would overflow", () => {
    const data = collapseBgNbd([400, 0, 3], [52, 0, 10], [52, 52, 52]);
    const ll = bgnbdLogLikelihood(p, data);
    // A density in t_x, so it may exceed 0; what matters is that it is finite.
    expect(Number.isFinite(ll)).toBe(true);
  });

  it("weights collapsed rows exactly like repeated rows", () => {
    const collapsed = collapseBgNbd([1, 1, 1, 0], [5, 5, 5, 0], [20, 20, 20, 20]);
    expect(collapsed.length).toBe(2);
    const single = collapseBgNbd([1], [5], [20]);
    const zero = collapseBgNbd([0], [0], [20]);
    expect(bgnbdLogLikelihood(p, collapsed)).toBeCloseTo(3 * bgnbdLogLikelihood(p, single) + bgnbdLogLikelihood(p, zero), 10);
  });

  it("stays accurate over long horizons, where the hypergeometric argument approaches 1", () => {
    // E[X(t)] grows without bound only through the active share; it is increasing and finite.
    let previous = 0;
    for (const t of [52, 520, 5200, 52000]) {
      const e = expectedPurchases(p, t);
      expect(Number.isFinite(e)).toBe(true);
      expect(e).toBeGreaterThan(previous);
      previous = e;
    }
    const heavy = conditionalExpectedPurchases(p, 5200, 200, 51, 52);
    expect(Number.isFinite(heavy)).toBe(true);
    expect(heavy).toBeGreaterThan(conditionalExpectedPurchases(p, 520, 200, 51, 52));
  });

  it("gives a customer who just bought P(alive) = 1 / (1 + a/(b+x−1)), falling as the silence grows", () => {
    const recent = probabilityAlive(p, 5, 30, 30);
    const lapsed = probabilityAlive(p, 5, 10, 30);
    expect(recent).toBeCloseTo(1 / (1 + p.a / (p.b + 4)), 12);
    expect(lapsed).toBeLessThan(recent);
  });
});

describe("BG/NBD where lifetimes broke (../shared/cases/13)", () => {
  // Reference values computed in 50-digit arithmetic (mpmath hyp2f1), from the case's check.mjs.
  const p302 = { r: 0.11, alpha: 2.24, a: 0.31, b: 0.5 };
  const close = (got: number, want: number) => expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-9);

  it("predicts for a + b < 1, where the 2F1's third parameter is negative (lifetimes#302)", () => {
    close(conditionalExpectedPurchases(p302, 30, 0, 0, 1), 0.564588615532785);
    close(conditionalExpectedPurchases(p302, 30, 1, 0.5, 1), 3.51036061640417);
  });

  it("stays finite for a daily buyer over four years (lifetimes#113)", () => {
    close(conditionalExpectedPurchases(p, 52, 1500, 104, 104), 612.079614192196);
    close(probabilityAlive(p, 1500, 100, 104), 6.0708389120383e-22);
    close(conditionalExpectedPurchases(p, 52, 1500, 100, 104), 3.71779931211169e-19);
  });
});

