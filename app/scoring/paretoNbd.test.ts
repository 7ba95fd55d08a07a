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
import { sampleGamma, seededRandom } from "./testFactories";

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

  it("agrees with direct integration over λ and μ for P(alive) and the conditional expectation", () => {
    // Monte Carlo over the gamma mixing distributions, weighting each draw by its individual likelihood
    // λ^x·[μ/(λ+μ)·e^(−(λ+μ)t_x) + λ/(λ+μ)·e^(−(λ+μ)T)] (Fader & Hardie 2005, Section 3).
    const random = seededRandom(2005);
    const p = PUBLISHED;
    const cases = [
      [0, 0, 32],
      [2, 20, 35],
      [5, 30, 38],
    ];
    const draws = 300_000;
    const lambdas = new Float64Array(draws);
    const mus = new Float64Array(draws);
    for (let k = 0; k < draws; k++) {
      lambdas[k] = sampleGamma(random, p.r, p.alpha);
      mus[k] = sampleGamma(random, p.s, p.beta);
    }
    for (const [x, tx, T] of cases) {
      let weight = 0;
      let alive = 0;
      let purchases = 0;
      for (let k = 0; k < draws; k++) {
        const l = lambdas[k];
        const m = mus[k];
        const a = Math.pow(l, x) * Math.exp(-(l + m) * T);
        weight += Math.pow(l, x) * ((m / (l + m)) * Math.exp(-(l + m) * tx)) + (a * l) / (l + m);
        alive += a;
        purchases += a * (l / m) * (1 - Math.exp(-m * 39));
      }
      expect(Math.abs(alive / weight - paretoProbabilityAlive(p, x, tx, T)), `P(alive) x=${x}`).toBeLessThan(0.01);
      const expected = paretoConditionalExpectedPurchases(p, 39, x, tx, T);
      expect(Math.abs(purchases / weight - expected) / expected, `E[Y(39)] x=${x}`).toBeLessThan(0.02);
    }
  });
});
