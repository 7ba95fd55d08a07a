import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  collapseBgNbd,
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
  uncollapsedBgNbd,
} from "./bgnbd";
import {
  collapseGammaGamma,
  conditionalExpectedSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  populationMeanSpend,
} from "./gammaGamma";
import { CDNOW_DIR, readCdnowSummary } from "./testCdnow";

const DAY_MS = 86_400_000;
const dayOf = (yyyymmdd: string) =>
  Date.UTC(+yyyymmdd.slice(0, 4), +yyyymmdd.slice(4, 6) - 1, +yyyymmdd.slice(6, 8)) / DAY_MS;

/** Calibration summaries and holdout counts from the raw transaction log, same-day purchases merged. */
function readSampleLog() {
  const calibrationEnd = dayOf("19970930");
  const holdoutEnd = dayOf("19980630");
  const days = new Map<string, Set<number>>();
  for (const row of readFileSync(`${CDNOW_DIR}CDNOW_sample.txt`, "utf8").trim().split("\n")) {
    const [, id, date] = row.trim().split(/\s+/);
    const set = days.get(id) ?? new Set<number>();
    set.add(dayOf(date));
    days.set(id, set);
  }
  const customers = [...days.values()].map((set) => {
    const sorted = [...set].sort((a, b) => a - b);
    const calibration = sorted.filter((d) => d <= calibrationEnd);
    const first = sorted[0];
    return {
      x: calibration.length - 1,
      tx: (calibration[calibration.length - 1] - first) / 7,
      T: (calibrationEnd - first) / 7,
      holdout: sorted.filter((d) => d > calibrationEnd && d <= holdoutEnd).length,
    };
  });
  return { customers, horizonWeeks: (holdoutEnd - calibrationEnd) / 7 };
}

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const roundTo = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

describe("BG/NBD on CDNOW (Fader, Hardie & Lee 2005)", () => {
  const summary = readCdnowSummary();
  const collapsed = collapseBgNbd(summary.x, summary.tx, summary.T);
  const fit = fitBgNbd(collapsed);

  it("merges identical (x, t_x, T) rows into weighted rows", () => {
    expect(collapsed.length).toBe(1016);
    expect(collapsed.weight.reduce((s, w) => s + w, 0)).toBe(2357);
  });

  it("fits r, α, a, b within 0.1% of the published values and the log-likelihood within 0.01", () => {
    expect(fit.status).toBe("converged");
    expect(relative(fit.params.r, 0.2426)).toBeLessThan(0.001);
    expect(relative(fit.params.alpha, 4.4137)).toBeLessThan(0.001);
    expect(relative(fit.params.a, 0.793)).toBeLessThan(0.001);
    expect(relative(fit.params.b, 2.4262)).toBeLessThan(0.001);
    expect(Math.abs(fit.logLikelihood - -9582.4256)).toBeLessThan(0.01);
  });

  it("reaches the same optimum on uncollapsed rows", () => {
    const plain = fitBgNbd(uncollapsedBgNbd(summary.x, summary.tx, summary.T));
    expect(Math.abs(plain.logLikelihood - fit.logLikelihood)).toBeLessThan(1e-6);
    expect(relative(plain.params.b, fit.params.b)).toBeLessThan(1e-5);
  });

  it("reproduces the published customer-level predictions", () => {
    const p = fit.params;
    expect(Math.abs(conditionalExpectedPurchases(p, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.001);
    expect(Math.abs(probabilityAlive(p, 2, 30.43, 38.86) - 0.7266)).toBeLessThan(0.001);
    expect(Math.abs(conditionalExpectedPurchases(p, 52, 26, 30.857, 31) - 25.757)).toBeLessThan(0.001);
    expect(Math.abs(probabilityAlive(p, 26, 30.857, 31) - 0.9689)).toBeLessThan(0.001);
    expect(Math.abs(expectedPurchases(p, 52) - 1.444)).toBeLessThan(0.001);
  });

  it("reproduces the holdout table by calibration repeat purchases", () => {
    const { customers, horizonWeeks } = readSampleLog();
    expect(horizonWeeks).toBe(39);
    const exact = fitBgNbd(
      collapseBgNbd(
        customers.map((c) => c.x),
        customers.map((c) => c.tx),
        customers.map((c) => c.T),
      ),
    );
    // The README quotes −9582.429 for exact day counts.
    expect(Math.abs(exact.logLikelihood - -9582.429)).toBeLessThan(0.01);
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
    for (const [bucket, count, actual, expected] of published) {
      const members = customers.filter((c) => Math.min(c.x, 7) === bucket);
      const mean = (f: (c: (typeof customers)[number]) => number) =>
        members.reduce((s, c) => s + f(c), 0) / members.length;
      expect(members.length).toBe(count);
      expect(Math.abs(mean((c) => c.holdout) - actual)).toBeLessThan(0.001);
      const predicted = mean((c) => conditionalExpectedPurchases(fit.params, horizonWeeks, c.x, c.tx, c.T));
      expect(Math.abs(predicted - expected)).toBeLessThan(0.001);
    }
    expect(customers.reduce((s, c) => s + c.x, 0)).toBe(2457);
    expect(customers.reduce((s, c) => s + c.holdout, 0)).toBe(1882);
  });
});

describe("Gamma-Gamma spend model on CDNOW", () => {
  const summary = readCdnowSummary();
  const data = collapseGammaGamma(summary.x, summary.zbar);
  const fit = fitGammaGamma(data);

  it("fits p, q, γ within 0.1% and the full-density log-likelihood within 0.01", () => {
    expect(fit.customers).toBe(946);
    expect(relative(fit.params.p, 6.2488)).toBeLessThan(0.001);
    expect(relative(fit.params.q, 3.7446)).toBeLessThan(0.001);
    expect(relative(fit.params.gamma, 15.4477)).toBeLessThan(0.001);
    // −4055.92 is Σ log f(zbar | x) including the parameter-free −Σ log zbar (= −3140.85 here);
    // without that constant the same optimum reads −915.07.
    expect(Math.abs(fit.logLikelihood - -4055.92)).toBeLessThan(0.01);
    expect(Math.abs(gammaGammaLogLikelihood({ p: 6.2488, q: 3.7446, gamma: 15.4477 }, data) - -4055.92)).toBeLessThan(
      0.01,
    );
  });

  it("reproduces the population mean spend and customer 1's expected spend at the published precision", () => {
    expect(roundTo(populationMeanSpend(fit.params), 2)).toBe(35.17);
    // 24.6586 (24.6585 with the rounded published parameters): 24.66 is that figure to 2 decimals.
    const spend = conditionalExpectedSpend(fit.params, 2, 22.35);
    expect(Math.abs(roundTo(spend, 2) - 24.66)).toBeLessThan(0.001);
    expect(Math.abs(spend - 24.66)).toBeLessThan(0.005);
  });
});
