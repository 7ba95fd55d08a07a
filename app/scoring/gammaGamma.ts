import { collapseRows, indexValues } from "./collapse";
import { minimizeBfgs, type OptimizeStatus } from "./optimize";
import { digamma, lgamma } from "./special";
import { probabilityAlive, purchasesIfAlive, type BgNbdParams } from "./bgnbd";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** Repeat customers only: x > 0 transactions with mean value zbar > 0. */
export interface GammaGammaData {
  length: number;
  x: Float64Array;
  zbar: Float64Array;
  weight: Float64Array;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  /**
   * Full log-likelihood of the zbar densities, including the (p·x − 1)·log zbar and p·x·log x terms,
   * i.e. Σ log f(zbar | x). This is the convention of Fader, Hardie & Lee's spreadsheet.
   */
  logLikelihood: number;
  status: OptimizeStatus;
  iterations: number;
  customers: number;
}

export function collapseGammaGamma(x: ArrayLike<number>, zbar: ArrayLike<number>): GammaGammaData {
  let kept = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > 0 && zbar[i] > 0 && Number.isFinite(zbar[i])) kept++;
  const keepX = new Float64Array(kept);
  const keepZ = new Float64Array(kept);
  for (let i = 0, k = 0; i < x.length; i++) {
    if (x[i] > 0 && zbar[i] > 0 && Number.isFinite(zbar[i])) {
      keepX[k] = x[i];
      keepZ[k] = zbar[i];
      k++;
    }
  }
  const c = collapseRows([keepX, keepZ]);
  return { length: c.length, x: c.columns[0], zbar: c.columns[1], weight: c.weight };
}

/**
 * log f(zbar | p, q, γ, x) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln zbar + px ln x − (px+q) ln(γ + x·zbar).
 * Only the last term needs a per-row logarithm at each evaluation; the rest is aggregated per distinct x.
 */
function makeObjective(data: GammaGammaData) {
  const xs = indexValues(data.x);
  const nx = xs.unique.length;
  const wx = new Float64Array(nx);
  const wxLogZ = new Float64Array(nx);
  let wLogZ = 0;
  for (let i = 0; i < data.length; i++) {
    const k = xs.index[i];
    const lz = Math.log(data.zbar[i]);
    wx[k] += data.weight[i];
    wxLogZ[k] += data.weight[i] * lz;
    wLogZ += data.weight[i] * lz;
  }
  const sumLog = new Float64Array(nx);
  const sumInv = new Float64Array(nx);
  const xz = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) xz[i] = data.x[i] * data.zbar[i];

  return (theta: Float64Array, grad: Float64Array): number => {
    const p = Math.exp(theta[0]);
    const q = Math.exp(theta[1]);
    const g = Math.exp(theta[2]);
    sumLog.fill(0);
    sumInv.fill(0);
    for (let i = 0; i < data.length; i++) {
      const k = xs.index[i];
      const v = g + xz[i];
      sumLog[k] += data.weight[i] * Math.log(v);
      sumInv[k] += data.weight[i] / v;
    }
    const lgQ = lgamma(q);
    const psiQ = digamma(q);
    const logG = Math.log(g);
    let ll = -wLogZ;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (let k = 0; k < nx; k++) {
      const xv = xs.unique[k];
      const px = p * xv;
      const w = wx[k];
      const logX = Math.log(xv);
      ll += w * (lgamma(px + q) - lgamma(px) - lgQ + q * logG + px * logX) + px * wxLogZ[k] - (px + q) * sumLog[k];
      const psiPXQ = digamma(px + q);
      gp += w * xv * (psiPXQ - digamma(px) + logX) + xv * wxLogZ[k] - xv * sumLog[k];
      gq += w * (psiPXQ - psiQ + logG) - sumLog[k];
      gg += (w * q) / g - (px + q) * sumInv[k];
    }
    grad[0] = -gp * p;
    grad[1] = -gq * q;
    grad[2] = -gg * g;
    return -ll;
  };
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, data: GammaGammaData): number {
  const objective = makeObjective(data);
  const theta = Float64Array.of(Math.log(params.p), Math.log(params.q), Math.log(params.gamma));
  return -objective(theta, new Float64Array(3));
}

export function fitGammaGamma(data: GammaGammaData): GammaGammaFit {
  let customers = 0;
  let spend = 0;
  for (let i = 0; i < data.length; i++) {
    customers += data.weight[i];
    spend += data.weight[i] * data.zbar[i];
  }
  const mean = customers > 0 ? spend / customers : 1;
  const objective = makeObjective(data);
  const result = minimizeBfgs(objective, [0, 0, Math.log(mean)], { maxIterations: 400, gradientTolerance: 1e-11 });
  const [p, q, gamma] = Array.from(result.x, Math.exp);
  return {
    params: { p, q, gamma },
    logLikelihood: -result.value,
    status: result.status,
    iterations: result.iterations,
    customers,
  };
}

/** Population mean spend per transaction, p·γ/(q−1); infinite when q ≤ 1. */
export function populationMeanSpend(params: GammaGammaParams): number {
  return params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : Infinity;
}

/**
 * E[Z | x, zbar] = p(γ + x·zbar)/(p·x + q − 1) (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value", eq. 5): a credibility-weighted blend of the population mean and the customer's
 * own mean. Without repeats (x = 0) it is the population mean. Repeats that net to nothing (every
 * repeat fully refunded: zbar ≤ 0) keep the formula at zbar = 0, p·γ/(p·x + q − 1), which is where
 * it tends as zbar → 0: the customer has shown x times that they keep nothing, and the population
 * mean would rank them among the best.
 */
export function conditionalExpectedSpend(params: GammaGammaParams, x: number, zbar: number): number {
  if (x <= 0) return populationMeanSpend(params);
  const own = zbar > 0 ? zbar : 0;
  return (params.p * (params.gamma + x * own)) / (params.p * x + params.q - 1);
}

const WEEKS_PER_YEAR = 52;

/**
 * purchasesIfAlive with each month's increment discounted to the end of that month at an annual rate
 * (time in weeks). Like purchasesIfAlive it still has to be multiplied by P(alive).
 */
export function discountedPurchasesIfAlive(
  bgnbd: BgNbdParams,
  horizonWeeks: number,
  annualDiscountRate: number,
  x: number,
  T: number,
): number {
  if (annualDiscountRate <= 0) return purchasesIfAlive(bgnbd, horizonWeeks, x, T);
  const steps = Math.max(1, Math.round((horizonWeeks / WEEKS_PER_YEAR) * 12));
  const stepWeeks = horizonWeeks / steps;
  const stepFactor = Math.pow(1 + annualDiscountRate, stepWeeks / WEEKS_PER_YEAR);
  let total = 0;
  let previous = 0;
  let factor = 1;
  for (let k = 1; k <= steps; k++) {
    const cumulative = purchasesIfAlive(bgnbd, k * stepWeeks, x, T);
    factor *= stepFactor;
    total += (cumulative - previous) / factor;
    previous = cumulative;
  }
  return total;
}

export function discountedExpectedPurchases(
  bgnbd: BgNbdParams,
  horizonWeeks: number,
  annualDiscountRate: number,
  x: number,
  tx: number,
  T: number,
): number {
  return discountedPurchasesIfAlive(bgnbd, horizonWeeks, annualDiscountRate, x, T) * probabilityAlive(bgnbd, x, tx, T);
}

export interface ClvOptions {
  horizonWeeks: number;
  margin: number;
  annualDiscountRate?: number;
}

export function customerLifetimeValue(
  bgnbd: BgNbdParams,
  expectedSpend: number,
  x: number,
  tx: number,
  T: number,
  options: ClvOptions,
): number {
  const purchases = discountedExpectedPurchases(bgnbd, options.horizonWeeks, options.annualDiscountRate ?? 0, x, tx, T);
  return purchases * expectedSpend * options.margin;
}
