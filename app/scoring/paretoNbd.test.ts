import { describe, expect, it } from "vitest";
import { collapseBgNbd } from "./bgnbd";
import {
  fitParetoNbd,
  paretoConditionalExpectedPurchases,
  paretoExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdLogLikelihoodRow,
  paretoProbabilityAlive,
} from "./paretoNbd";
import { readCdnowSummary } from "./testCdnow";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const PUBLISHED = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

describe("Pareto/NBD on CDNOW (Schmittlein, Morrison & Colombo 1987)", () => {
  const summary = readCdnowSummary();
  const data = collapseBgNbd(summary.x, summary.tx, summary.T);
  const fit = fitParetoNbd(data);

  it("fits r and α within 0.1% of the published values and the log-likelihood within 0.01", () => {
    console.log(`Pareto/NBD on CDNOW: ${JSON.stringify(fit.params)} LL ${fit.logLikelihood} (${fit.status}, ${fit.evaluations} evaluations)`);
    expect(fit.status).toBe("converged");
    expect(relative(fit.params.r, PUBLISHED.r)).toBeLessThan(0.001);
    expect(relative(fit.params.alpha, PUBLISHED.alpha)).toBeLessThan(0.001);
    expect(Math.abs(fit.logLikelihood - -9594.97)).toBeLessThan(0.01);
  });

  it("finds the surface flat along s and β: the published point is within 0.01 of the optimum", () => {
    expect(Math.abs(paretoNbdLogLikelihood(PUBLISHED, data) - fit.logLikelihood)).toBeLessThan(0.01);
  });

  it("keeps the likelihood and P(alive) finite and in range for heavy buyers", () => {
    for (const x of [100, 300, 800]) {
      for (const [tx, T] of [
        [38, 39],
        [10, 39],
        [39, 39],
        [1, 78],
      ]) {
        const ll = paretoNbdLogLikelihoodRow(fit.params, x, tx, T);
        const alive = paretoProbabilityAlive(fit.params, x, tx, T);
        expect(Number.isFinite(ll), `LL x=${x} t_x=${tx} T=${T}`).toBe(true);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        expect(Number.isFinite(paretoConditionalExpectedPurchases(fit.params, 39, x, tx, T))).toBe(true);
      }
      // Buying steadily to the end: alive; silent for most of the window after hundreds of purchases: gone.
      expect(paretoProbabilityAlive(fit.params, x, 38.9, 39)).toBeGreaterThan(0.9);
      expect(paretoProbabilityAlive(fit.params, x, 10, 39)).toBeLessThan(1e-6);
    }
    const swapped = { r: 0.5, alpha: 20, s: 0.6, beta: 5 };
    expect(Number.isFinite(paretoNbdLogLikelihoodRow(swapped, 500, 20, 39))).toBe(true);
  });

  it("agrees with the population mean and with P(alive) = 1 for a customer just seen", () => {
    // E[X(t)] for a new customer equals the conditional expectation at x = 0, T = 0.
    expect(paretoExpectedPurchases(fit.params, 39)).toBeCloseTo(paretoConditionalExpectedPurchases(fit.params, 39, 0, 0, 0), 12);
    expect(paretoProbabilityAlive(fit.params, 3, 20, 20)).toBe(1);
    // The s → 1 limit is continuous.
    const near = (s: number) => paretoConditionalExpectedPurchases({ ...fit.params, s }, 39, 2, 30, 38);
    expect(Math.abs(near(1) - near(1 + 1e-7))).toBeLessThan(1e-5);
  });
});
