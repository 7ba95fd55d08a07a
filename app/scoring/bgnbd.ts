import { collapseRows, indexValues } from "./collapse";
import { minimizeBfgs, type OptimizeStatus } from "./optimize";
import { digamma, lgamma, scaledHyp2f1 } from "./special";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Calibration summaries: x repeat purchases, t_x time of last purchase, T age, all in the same time unit. */
export interface BgNbdData {
  length: number;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  status: OptimizeStatus;
  iterations: number;
  evaluations: number;
  rows: number;
  customers: number;
}

const toFloat64 = (v: ArrayLike<number>) => (v instanceof Float64Array ? v : Float64Array.from(v));

export function collapseBgNbd(
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
): BgNbdData & { rowOf: Int32Array } {
  const c = collapseRows([toFloat64(x), toFloat64(tx), toFloat64(T)]);
  return { length: c.length, x: c.columns[0], tx: c.columns[1], T: c.columns[2], weight: c.weight, rowOf: c.rowOf };
}

export function uncollapsedBgNbd(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): BgNbdData {
  return {
    length: x.length,
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    weight: new Float64Array(x.length).fill(1),
  };
}

/**
 * Negative log-likelihood and its gradient in log-parameters. Terms that depend only on x, T or t_x
 * are computed once per distinct value, so a row costs one exp and one log1p.
 */
export function bgnbdObjective(data: BgNbdData) {
  const xs = indexValues(data.x);
  const Ts = indexValues(data.T);
  const txs = indexValues(data.tx);
  const nx = xs.unique.length;
  const wx = new Float64Array(nx);
  for (let i = 0; i < data.length; i++) wx[xs.index[i]] += data.weight[i];
  const perX = new Float64Array(nx);
  const dAx = new Float64Array(nx);
  const dBx = new Float64Array(nx);
  const logBx = new Float64Array(nx);
  const logT = new Float64Array(Ts.unique.length);
  const invT = new Float64Array(Ts.unique.length);
  const logTx = new Float64Array(txs.unique.length);
  const invTx = new Float64Array(txs.unique.length);
  const { x, weight } = data;
  const xIdx = xs.index;
  const TIdx = Ts.index;
  const txIdx = txs.index;

  return (theta: Float64Array, grad: Float64Array): number => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const a = Math.exp(theta[2]);
    const b = Math.exp(theta[3]);
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    const lgR = lgamma(r);
    const lgAB = lgamma(a + b);
    const lgB = lgamma(b);
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let k = 0; k < nx; k++) {
      const xv = xs.unique[k];
      const psiABX = digamma(a + b + xv);
      perX[k] = lgamma(r + xv) - lgR + r * logAlpha + lgAB + lgamma(b + xv) - lgB - lgamma(a + b + xv);
      logBx[k] = xv > 0 ? logA - Math.log(b + xv - 1) : -Infinity;
      const w = wx[k];
      ll += w * perX[k];
      gr += w * (digamma(r + xv) - psiR + logAlpha);
      gAlpha += (w * r) / alpha;
      dAx[k] = psiAB - psiABX;
      ga += w * dAx[k];
      gb += w * (psiAB + digamma(b + xv) - psiB - psiABX);
      dBx[k] = xv > 0 ? -1 / (b + xv - 1) : 0;
    }
    for (let k = 0; k < logT.length; k++) {
      logT[k] = Math.log(alpha + Ts.unique[k]);
      invT[k] = 1 / (alpha + Ts.unique[k]);
    }
    for (let k = 0; k < logTx.length; k++) {
      logTx[k] = Math.log(alpha + txs.unique[k]);
      invTx[k] = 1 / (alpha + txs.unique[k]);
    }
    for (let i = 0; i < data.length; i++) {
      const w = weight[i];
      const rx = r + x[i];
      const ti = TIdx[i];
      const a3 = -rx * logT[ti];
      const k = xIdx[i];
      if (x[i] === 0) {
        ll += w * a3;
        gr -= w * logT[ti];
        gAlpha -= w * rx * invT[ti];
        continue;
      }
      const si = txIdx[i];
      const a4 = logBx[k] - rx * logTx[si];
      let lse: number;
      let p4: number;
      if (a3 >= a4) {
        const e = Math.exp(a4 - a3);
        lse = a3 + Math.log1p(e);
        p4 = e / (1 + e);
      } else {
        const e = Math.exp(a3 - a4);
        lse = a4 + Math.log1p(e);
        p4 = 1 / (1 + e);
      }
      const p3 = 1 - p4;
      ll += w * lse;
      gr -= w * (p3 * logT[ti] + p4 * logTx[si]);
      gAlpha -= w * rx * (p3 * invT[ti] + p4 * invTx[si]);
      ga += (w * p4) / a;
      gb += w * p4 * dBx[k];
    }
    grad[0] = -gr * r;
    grad[1] = -gAlpha * alpha;
    grad[2] = -ga * a;
    grad[3] = -gb * b;
    return -ll;
  };
}

export function bgnbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  const objective = bgnbdObjective(data);
  const theta = Float64Array.of(Math.log(params.r), Math.log(params.alpha), Math.log(params.a), Math.log(params.b));
  return -objective(theta, new Float64Array(4));
}

export function fitBgNbd(data: BgNbdData): BgNbdFit {
  let customers = 0;
  let repeat = 0;
  let exposure = 0;
  for (let i = 0; i < data.length; i++) {
    customers += data.weight[i];
    repeat += data.weight[i] * data.x[i];
    exposure += data.weight[i] * data.T[i];
  }
  const rate = repeat > 0 && exposure > 0 ? repeat / exposure : 1;
  const objective = bgnbdObjective(data);
  const start = [0, Math.log(1 / rate), 0, 0];
  const result = minimizeBfgs(objective, start, { maxIterations: 400, gradientTolerance: 1e-11 });
  const [r, alpha, a, b] = Array.from(result.x, Math.exp);
  return {
    params: { r, alpha, a, b },
    logLikelihood: -result.value,
    status: result.status,
    iterations: result.iterations,
    evaluations: result.evaluations,
    rows: data.length,
    customers,
  };
}

/** log of a/(b+x−1)·((α+T)/(α+t_x))^(r+x): the odds that the customer has dropped out; −∞ when x = 0. */
export function dropoutLogOdds(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x <= 0) return -Infinity;
  return (
    Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx))
  );
}

export function probabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  const d = dropoutLogOdds(p, x, tx, T);
  return d === -Infinity ? 1 : 1 / (1 + Math.exp(d));
}

/**
 * The part of E[X(t) | x, t_x, T] that does not depend on t_x:
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))].
 * Dividing by 1 + exp(dropoutLogOdds) gives the conditional expectation.
 */
export function purchasesIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const a = Math.abs(p.a - 1) < 1e-9 ? 1 + 1e-9 : p.a;
  const c = a + p.b + x - 1;
  const z = t / (p.alpha + T + t);
  return (c / (a - 1)) * (1 - scaledHyp2f1(p.r + x, p.r + x, p.b + x, c, z));
}

/** E[X(t) | x, t_x, T]: expected purchases in the next t time units. */
export function conditionalExpectedPurchases(
  p: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const numerator = purchasesIfAlive(p, t, x, T);
  const d = dropoutLogOdds(p, x, tx, T);
  return d === -Infinity ? numerator : numerator / (1 + Math.exp(d));
}

export function expectedPurchases(p: BgNbdParams, t: number): number {
  return conditionalExpectedPurchases(p, t, 0, 0, 0);
}
