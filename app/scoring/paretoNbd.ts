import type { BgNbdData } from "./bgnbd";
import { indexValues } from "./collapse";
import { minimizeBfgs, minimizeNelderMead, type OptimizeStatus } from "./optimize";
import { lgamma } from "./special";

/**
 * The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are They
 * and What Will They Do Next?", Management Science 33(1), 1–24, in the forms derived by Fader & Hardie
 * (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions"
 * (brucehardie.com/notes/009). Purchases while alive are Poisson(λ) with λ ~ Gamma(r, α); lifetimes are
 * exponential(μ) with μ ~ Gamma(s, β). Time unit: whatever x, t_x, T are in (Patron uses weeks).
 */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export interface ParetoNbdFit {
  params: ParetoNbdParams;
  logLikelihood: number;
  status: OptimizeStatus;
  iterations: number;
  evaluations: number;
  rows: number;
  customers: number;
}

/**
 * The fit stays inside this box (log-parameters): beyond it the ₂F₁ argument |α−β|/max(α,β) comes so
 * close to 1 that the series needs hundreds of thousands of terms, and such fits describe a shop no
 * better than the edge of the box does. A fit that ends on the edge is reported as degenerate.
 */
const LOG_PARAM_MIN = Math.log(1e-4);
const LOG_PARAM_MAX = Math.log(1e4);
const LOG_MAX_RATE_RATIO = Math.log(1e3);

/**
 * log ₂F₁(a, b; a+1; z) for 0 ≤ z < 1, the only hypergeometric the Pareto/NBD needs (c = a + 1).
 * Euler's transformation ₂F₁(a, b; c; z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) turns it into
 * (1−z)^(1−b) ₂F₁(1, a+1−b; a+1; z), with the prefactor kept as a logarithm (for b = r + x with x in the
 * hundreds the plain series' terms first grow past the double range). The remaining ₂F₁(1, q; C; z) is
 * Gauss's continued fraction, which near z = 1 needs on the order of 1/√(1−z) terms where the power
 * series needs 1/(1−z): a fit that wanders to |α−β| ≫ min(α, β) stays fast.
 */
export function logHyp2f1Shifted(a: number, b: number, z: number): number {
  if (z <= 0) return 0;
  return (1 - b) * Math.log1p(-z) + Math.log(hyp2f1OneContinuedFraction(a + 1 - b, a + 1, z));
}

const CF_MAX_TERMS = 20_000;

/**
 * ₂F₁(1, q; C; z) for 0 < q < C, 0 ≤ z < 1 by Gauss's continued fraction for F(a+1, b; c+1; z)/F(a, b; c; z)
 * at a = 0, b = q, c = C − 1: 1/(1 + k₁z/(1 + k₂z/(1 + …))) with k_{2m+1} = −(c+m)(b+m)/((c+2m)(c+2m+1)) and
 * k_{2m} = (b−c−m)·m/((c+2m−1)(c+2m)), evaluated by the modified Lentz method.
 */
export function hyp2f1OneContinuedFraction(q: number, C: number, z: number): number {
  const tiny = 1e-300;
  const c = C - 1;
  let f = tiny;
  let Cl = f;
  let D = 0;
  for (let j = 1; j <= CF_MAX_TERMS; j++) {
    let aj: number;
    if (j === 1) aj = 1;
    else {
      const k = j - 1;
      const m = k >> 1;
      aj = (k & 1) === 1 ? (-(c + m) * (q + m) * z) / ((c + 2 * m) * (c + 2 * m + 1)) : ((q - c - m) * m * z) / ((c + 2 * m - 1) * (c + 2 * m));
    }
    D = 1 + aj * D;
    if (D === 0) D = tiny;
    Cl = 1 + aj / Cl;
    if (Cl === 0) Cl = tiny;
    D = 1 / D;
    const delta = Cl * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/**
 * log F(t) = log ₂F₁(r+s+x, b₂; r+s+x+1; |α−β|/(max(α,β)+t)) − (r+s+x)·log(max(α,β)+t), with b₂ = s+1
 * when α ≥ β and r+x otherwise: the two halves of A₀ in Fader & Hardie (2005), eq. (23).
 */
function logF(p: ParetoNbdParams, x: number, t: number): number {
  const m = Math.max(p.alpha, p.beta);
  const rsx = p.r + p.s + x;
  const b2 = p.alpha >= p.beta ? p.s + 1 : p.r + x;
  const z = Math.abs(p.alpha - p.beta) / (m + t);
  return logHyp2f1Shifted(rsx, b2, z) - rsx * Math.log(m + t);
}

/** log(e^a − e^b) for a ≥ b; −∞ when they are equal. */
function logDiffExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (!(a > b)) return -Infinity;
  return a + Math.log1p(-Math.exp(b - a));
}

/** log A₀ = log(F(t_x) − F(T)) (Fader & Hardie 2005, eq. 23); −∞ when t_x = T. */
function logA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return logDiffExp(logF(p, x, tx), logF(p, x, T));
}

/**
 * log of the odds that the customer has died: (s/(r+s+x))·(α+T)^(r+x)·(β+T)^s·A₀, so that
 * P(alive) = 1/(1 + odds) (Fader & Hardie 2005, Section 5, with the likelihood of eqs. 22–23).
 */
export function paretoDeathLogOdds(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const la0 = logA0(p, x, tx, T);
  if (la0 === -Infinity) return -Infinity;
  return Math.log(p.s) - Math.log(p.r + p.s + x) + (p.r + x) * Math.log(p.alpha + T) + p.s * Math.log(p.beta + T) + la0;
}

export function paretoProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const d = paretoDeathLogOdds(p, x, tx, T);
  return d === -Infinity ? 1 : 1 / (1 + Math.exp(d));
}

/**
 * One customer's log-likelihood, Fader & Hardie (2005) eq. (22):
 * L = Γ(r+x)α^r β^s/Γ(r) · { 1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x)·A₀ }, every factor in log space and the
 * braces combined with log-sum-exp, so it stays finite for x in the hundreds.
 */
export function paretoNbdLogLikelihoodRow(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const head = lgamma(p.r + x) - lgamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta);
  const alive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const d = paretoDeathLogOdds(p, x, tx, T);
  // alive + log(1 + e^d): the dead branch is the alive one times the death odds.
  const tail = d === -Infinity ? 0 : d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d));
  return head + alive + tail;
}

/**
 * Negative log-likelihood in log-parameters over weighted rows. The hypergeometric parts depend on
 * (x, t_x) and (x, T) only, so they are evaluated once per distinct pair.
 */
export function paretoNbdObjective(data: BgNbdData): (theta: Float64Array) => number {
  const xs = indexValues(data.x);
  const pairTx = pairIndex(data.x, data.tx);
  const pairT = pairIndex(data.x, data.T);
  const logFTx = new Float64Array(pairTx.length);
  const logFT = new Float64Array(pairT.length);
  const nx = xs.unique.length;
  const lgX = new Float64Array(nx);
  return (theta) => {
    for (let k = 0; k < 4; k++) if (!(theta[k] >= LOG_PARAM_MIN && theta[k] <= LOG_PARAM_MAX)) return Infinity;
    if (Math.abs(theta[1] - theta[3]) > LOG_MAX_RATE_RATIO) return Infinity;
    const p = { r: Math.exp(theta[0]), alpha: Math.exp(theta[1]), s: Math.exp(theta[2]), beta: Math.exp(theta[3]) };
    for (let k = 0; k < pairTx.length; k++) logFTx[k] = logF(p, pairTx.x[k], pairTx.t[k]);
    for (let k = 0; k < pairT.length; k++) logFT[k] = logF(p, pairT.x[k], pairT.t[k]);
    for (let k = 0; k < nx; k++) lgX[k] = lgamma(p.r + xs.unique[k]);
    const common = -lgamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta);
    const logS = Math.log(p.s);
    let ll = 0;
    for (let i = 0; i < data.length; i++) {
      const x = data.x[i];
      const T = data.T[i];
      const w = data.weight[i];
      const alive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
      const la0 = logDiffExp(logFTx[pairTx.rowOf[i]], logFT[pairT.rowOf[i]]);
      let row = common + lgX[xs.index[i]] + alive;
      if (la0 !== -Infinity) {
        const d = logS - Math.log(p.r + p.s + x) - alive + la0;
        row += d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d));
      }
      ll += w * row;
    }
    return Number.isFinite(ll) ? -ll : Infinity;
  };
}

function pairIndex(x: Float64Array, t: Float64Array) {
  const key = new Map<string, number>();
  const rowOf = new Int32Array(x.length);
  const xs: number[] = [];
  const ts: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const k = `${x[i]}|${t[i]}`;
    let j = key.get(k);
    if (j === undefined) {
      j = xs.length;
      key.set(k, j);
      xs.push(x[i]);
      ts.push(t[i]);
    }
    rowOf[i] = j;
  }
  return { length: xs.length, x: Float64Array.from(xs), t: Float64Array.from(ts), rowOf };
}

export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: BgNbdData): number {
  const theta = Float64Array.of(Math.log(params.r), Math.log(params.alpha), Math.log(params.s), Math.log(params.beta));
  return -paretoNbdObjective(data)(theta);
}

/**
 * Maximum-likelihood fit: BFGS on central-difference gradients in log-parameters, then Nelder–Mead from
 * its end point when BFGS stops short. The surface is flat along s and β (on CDNOW a wide range of
 * them is within 0.01 of the optimum), so convergence is judged on the log-likelihood, not on those two.
 */
export function fitParetoNbd(data: BgNbdData): ParetoNbdFit {
  let customers = 0;
  let repeat = 0;
  let exposure = 0;
  for (let i = 0; i < data.length; i++) {
    customers += data.weight[i];
    repeat += data.weight[i] * data.x[i];
    exposure += data.weight[i] * data.T[i];
  }
  const rate = repeat > 0 && exposure > 0 ? repeat / exposure : 1;
  const objective = paretoNbdObjective(data);
  const start = [0, Math.log(1 / rate), 0, Math.log(1 / rate)];
  const bfgs = minimizeBfgs(centralGradient(objective), start, { maxIterations: 300, gradientTolerance: 1e-9 });
  let best = { x: bfgs.x, value: bfgs.value, status: bfgs.status, iterations: bfgs.iterations, evaluations: bfgs.evaluations };
  if (bfgs.status !== "converged" && Number.isFinite(bfgs.value)) {
    const nm = minimizeNelderMead(objective, bfgs.x, { initialStep: 0.1, maxIterations: 4000 });
    best = {
      x: nm.x,
      value: nm.value,
      status: nm.value <= bfgs.value + 1e-9 && nm.status === "converged" ? "converged" : nm.status,
      iterations: bfgs.iterations + nm.iterations,
      evaluations: bfgs.evaluations + nm.evaluations,
    };
  }
  const [r, alpha, s, beta] = Array.from(best.x, Math.exp);
  return {
    params: { r, alpha, s, beta },
    logLikelihood: -best.value,
    status: best.status,
    iterations: best.iterations,
    evaluations: best.evaluations,
    rows: data.length,
    customers,
  };
}

// A step of 1e-5 in log-parameters balances truncation (h²) against rounding (ε·|f|/h) for |f| ~ 10⁴.
function centralGradient(f: (theta: Float64Array) => number) {
  const h = 1e-5;
  return (theta: Float64Array, grad: Float64Array): number => {
    const probe = Float64Array.from(theta);
    for (let i = 0; i < theta.length; i++) {
      probe[i] = theta[i] + h;
      const up = f(probe);
      probe[i] = theta[i] - h;
      const down = f(probe);
      probe[i] = theta[i];
      grad[i] = (up - down) / (2 * h);
    }
    return f(theta);
  };
}
/**
 * The part of E[Y(t) | x, t_x, T] that does not depend on t_x (Fader & Hardie 2005, eq. 41):
 * (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)], with its s → 1 limit
 * (r+x)/(α+T)·(β+T)·log((β+T+t)/(β+T)). Multiply by P(alive) for the conditional expectation.
 */
export function paretoPurchasesIfAlive(p: ParetoNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const bT = p.beta + T;
  const logRatio = Math.log(bT) - Math.log(bT + t);
  const s1 = p.s - 1;
  const factor = Math.abs(s1) < 1e-9 ? -logRatio : -Math.expm1(s1 * logRatio) / s1;
  return ((p.r + x) / (p.alpha + T)) * bT * factor;
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units (Fader & Hardie 2005, eq. 41). */
export function paretoConditionalExpectedPurchases(p: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  return paretoPurchasesIfAlive(p, t, x, T) * paretoProbabilityAlive(p, x, tx, T);
}

/** E[X(t)] for a customer just acquired: rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)] (Fader & Hardie 2005, eq. 27). */
export function paretoExpectedPurchases(p: ParetoNbdParams, t: number): number {
  return paretoPurchasesIfAlive(p, t, 0, 0);
}
