import {
  bgnbdObjective,
  collapseBgNbd,
  dropoutLogOdds,
  fitBgNbd,
  purchasesIfAlive,
  type BgNbdData,
  type BgNbdParams,
} from "./bgnbd";
import { collapseRows } from "./collapse";
import {
  collapseGammaGamma,
  conditionalExpectedSpend,
  discountedPurchasesIfAlive,
  fitGammaGamma,
  type GammaGammaParams,
} from "./gammaGamma";
import { minimizeNelderMead, type OptimizeStatus } from "./optimize";
import { fitParetoNbd, paretoDeathLogOdds, paretoPurchasesIfAlive, type ParetoNbdParams } from "./paretoNbd";
import type { ScoringConfig } from "./presets";

export const MODEL_VERSION = "patron-scoring/2";

/** "pareto_nbd" when the Pareto/NBD drives purchases and P(alive); BG/NBD parameters are kept either way. */
export type ModelKind = "bgnbd" | "pareto_nbd" | "fallback";
export type PurchaseModel = "bgnbd" | "pareto_nbd";

/**
 * What orders customers by value: a purchase model's CLV, blended with past spend when the backtest
 * found that ranks better. modelWeight 1 is the model alone, 0 past spend alone.
 */
export interface Ranking {
  purchaseModel: PurchaseModel;
  modelWeight: number;
}

export const DEFAULT_RANKING: Ranking = { purchaseModel: "bgnbd", modelWeight: 1 };
export type SpendModelKind = "gamma_gamma" | "prior";
export type FallbackReason = "too_few_repeat_customers" | "fit_failed" | "degenerate_fit";

export interface ShopModel {
  kind: ModelKind;
  fallbackReason: FallbackReason | null;
  /** The ranking asked for; kind says which purchase model actually served it. */
  ranking: Ranking;
  /** Set when the Pareto/NBD was asked for: its fit, whether or not it was usable. */
  pareto: { params: ParetoNbdParams; logLikelihood: number; status: OptimizeStatus; usable: boolean } | null;
  /** BG/NBD parameters in weeks: fitted, or the priors below when kind is "fallback". */
  params: BgNbdParams;
  logLikelihood: number | null;
  fitStatus: OptimizeStatus | null;
  /** Distinct (x, t_x, T) rows the likelihood was evaluated on. */
  fitRows: number;
  /** Time grid (weeks) the fit rounded t_x and T to; 0 when it used them as they are. */
  fitGridWeeks: number;
  customers: number;
  repeatCustomers: number;
  spendModel: SpendModelKind;
  spendFallbackReason: FallbackReason | null;
  ggParams: GammaGammaParams;
  ggLogLikelihood: number | null;
  timeUnit: "weeks";
  horizonWeeks: number;
  version: string;
}

/**
 * Priors for shops with too little history. a/(a+b) = 0.25 is the chance of dropping out after a
 * purchase seen in CDNOW-like retail data; r = 0.5 is moderate heterogeneity; α is set so that the
 * mean purchase rate r/α equals the shop's observed repeat rate (clamped to one purchase every two
 * years … one a week), so the priors scale to the shop's own rhythm.
 */
export const BGNBD_PRIOR = { r: 0.5, a: 0.8, b: 2.4 } as const;
/** p = 6, q = 4: spend varies ±40% around a customer's mean; γ is set so the population mean is the shop's. */
export const GAMMA_GAMMA_PRIOR = { p: 6, q: 4 } as const;

// A fit that runs to the boundary (e.g. a → 0: nobody ever drops out) explains the data by switching
// a process off; its predictions are not usable, so it counts as degenerate.
const PARAM_MIN = 1e-4;
const PARAM_MAX = 1e4;

export interface ModelInput {
  length: number;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  zbar: Float64Array;
  averageOrderValue: Float64Array;
  marginRate: Float64Array;
  /** Revenue so far (after discounts and refunds); only read when the ranking blends in past spend. */
  pastSpend?: Float64Array;
}

export interface Predictions {
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedSpend: Float64Array;
  clv: Float64Array;
}

function sane(values: number[]): boolean {
  return values.every((v) => Number.isFinite(v) && v > PARAM_MIN && v < PARAM_MAX);
}

function priorBgNbd(input: ModelInput): BgNbdParams {
  let repeat = 0;
  let exposure = 0;
  for (let i = 0; i < input.length; i++) {
    repeat += input.x[i];
    exposure += input.T[i];
  }
  const observed = exposure > 0 ? repeat / exposure : 1 / 52;
  const rate = Math.min(1, Math.max(1 / 104, observed));
  return { r: BGNBD_PRIOR.r, alpha: BGNBD_PRIOR.r / rate, a: BGNBD_PRIOR.a, b: BGNBD_PRIOR.b };
}

function priorGammaGamma(input: ModelInput): GammaGammaParams {
  let total = 0;
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    if (input.averageOrderValue[i] > 0) {
      total += input.averageOrderValue[i];
      n++;
    }
  }
  const mean = n > 0 ? total / n : 1;
  const { p, q } = GAMMA_GAMMA_PRIOR;
  return { p, q, gamma: (mean * (q - 1)) / p };
}

/** Above this many distinct rows the fit rounds t_x and T to a coarser grid (predictions stay exact). */
export const MAX_FIT_ROWS = 100_000;
const FIT_GRIDS_WEEKS = [0.5, 1];

/**
 * Shops with day-level timestamps and many customers have nearly as many distinct (x, t_x, T) as
 * customers, which defeats collapsing. Rounding both times to a half-week or a week moves each by at
 * most half a grid step, far below the resolution the parameters are identified at, and brings the
 * row count back to something a fit handles in well under a second.
 */
export function fitRows(exact: BgNbdData): { data: BgNbdData; gridWeeks: number } {
  if (exact.length <= MAX_FIT_ROWS) return { data: exact, gridWeeks: 0 };
  let best = { data: exact, gridWeeks: 0 };
  const tx = new Float64Array(exact.length);
  const T = new Float64Array(exact.length);
  // Far above the limit a half-week grid cannot get there; skip straight to whole weeks.
  const grids = exact.length > 4 * MAX_FIT_ROWS ? FIT_GRIDS_WEEKS.slice(-1) : FIT_GRIDS_WEEKS;
  for (const grid of grids) {
    for (let i = 0; i < exact.length; i++) {
      tx[i] = Math.round(exact.tx[i] / grid) * grid;
      T[i] = Math.max(tx[i], Math.round(exact.T[i] / grid) * grid);
    }
    const c = collapseRows([exact.x, tx, T], exact.weight);
    best = {
      data: { length: c.length, x: c.columns[0], tx: c.columns[1], T: c.columns[2], weight: c.weight },
      gridWeeks: grid,
    };
    if (best.data.length <= MAX_FIT_ROWS) break;
  }
  return best;
}

/** Above this many distinct rows the Pareto/NBD is fitted on whole weeks (see paretoFitRows). */
export const PARETO_EXACT_ROWS = 5_000;

/**
 * Each Pareto/NBD likelihood evaluation costs two hypergeometric functions per distinct (x, t_x) and
 * (x, T) pair, and its gradient is numerical (nine evaluations), so it is fitted on whole weeks once a
 * shop has more than a few thousand distinct rows; like the BG/NBD grid, this moves t_x and T by at
 * most half a week. Predictions still use the exact rows.
 */
function paretoFitRows(exact: BgNbdData, bgnbdRows: BgNbdData, bgnbdGrid: number): BgNbdData {
  if (bgnbdRows.length <= PARETO_EXACT_ROWS || bgnbdGrid === 1) return bgnbdRows;
  const tx = new Float64Array(exact.length);
  const T = new Float64Array(exact.length);
  for (let i = 0; i < exact.length; i++) {
    tx[i] = Math.round(exact.tx[i]);
    T[i] = Math.max(tx[i], Math.round(exact.T[i]));
  }
  const c = collapseRows([exact.x, tx, T], exact.weight);
  return { length: c.length, x: c.columns[0], tx: c.columns[1], T: c.columns[2], weight: c.weight };
}

export interface FittedShop {
  model: ShopModel;
  rowOf: Int32Array;
  rows: { length: number; x: Float64Array; tx: Float64Array; T: Float64Array };
}

export function fitShopModel(
  input: ModelInput,
  settings: ScoringConfig["model"],
  ranking: Ranking = DEFAULT_RANKING,
): FittedShop {
  let repeatCustomers = 0;
  for (let i = 0; i < input.length; i++) if (input.x[i] > 0) repeatCustomers++;
  const collapsed = collapseBgNbd(input.x, input.tx, input.T);
  const { data: fitData, gridWeeks } = fitRows(collapsed);
  const base = {
    fitRows: fitData.length,
    fitGridWeeks: gridWeeks,
    customers: input.length,
    repeatCustomers,
    timeUnit: "weeks" as const,
    horizonWeeks: settings.horizonWeeks,
    version: MODEL_VERSION,
  };

  let bg: Pick<ShopModel, "kind" | "fallbackReason" | "params" | "logLikelihood" | "fitStatus">;
  if (repeatCustomers < settings.minRepeatCustomers) {
    bg = fallback("too_few_repeat_customers", priorBgNbd(input), null);
  } else {
    const fit = fitBgNbd(fitData);
    let { params, logLikelihood, status } = fit;
    if (status !== "converged" && Number.isFinite(logLikelihood)) {
      // BFGS can stall on a flat ridge; Nelder–Mead from its last point settles it.
      const start = [params.r, params.alpha, params.a, params.b].map(Math.log);
      const objective = bgnbdObjective(fitData);
      const unusedGradient = new Float64Array(4);
      const nm = minimizeNelderMead(
        (theta) => objective(theta, unusedGradient),
        start,
        { initialStep: 0.1, maxIterations: 4000 },
      );
      const [r, alpha, a, b] = Array.from(nm.x, Math.exp);
      params = { r, alpha, a, b };
      logLikelihood = -nm.value;
      status = nm.status;
    }
    const values = [params.r, params.alpha, params.a, params.b];
    if (status !== "converged" || !Number.isFinite(logLikelihood)) {
      bg = fallback("fit_failed", priorBgNbd(input), status);
    } else if (!sane(values)) {
      bg = fallback("degenerate_fit", priorBgNbd(input), status);
    } else {
      bg = { kind: "bgnbd", fallbackReason: null, params, logLikelihood, fitStatus: status };
    }
  }

  let pareto: ShopModel["pareto"] = null;
  if (ranking.purchaseModel === "pareto_nbd" && bg.kind === "bgnbd") {
    const fit = fitParetoNbd(paretoFitRows(collapsed, fitData, gridWeeks));
    const { r, alpha, s, beta } = fit.params;
    // On the edge of the fit's box (see paretoNbd.ts) the optimum lies outside it: usually s, β → ∞, a
    // dropout rate without heterogeneity, which the Pareto/NBD only reaches as a limit.
    const inside = [r, alpha, s, beta].every((v) => v > PARAM_MIN * 1.01 && v < PARAM_MAX * 0.99) && Math.abs(Math.log(alpha / beta)) < Math.log(990);
    const usable = fit.status === "converged" && Number.isFinite(fit.logLikelihood) && inside;
    pareto = { params: fit.params, logLikelihood: fit.logLikelihood, status: fit.status, usable };
    // An unusable Pareto/NBD fit leaves BG/NBD in charge: it was fitted on the same rows.
    if (usable) bg = { ...bg, kind: "pareto_nbd" };
  }

  let spend: Pick<ShopModel, "spendModel" | "spendFallbackReason" | "ggParams" | "ggLogLikelihood">;
  const ggData = collapseGammaGamma(input.x, input.zbar);
  let ggCustomers = 0;
  for (let i = 0; i < ggData.length; i++) ggCustomers += ggData.weight[i];
  if (ggCustomers < settings.minRepeatCustomers) {
    spend = spendFallback("too_few_repeat_customers", priorGammaGamma(input));
  } else {
    const fit = fitGammaGamma(ggData);
    const { p, q, gamma } = fit.params;
    if (fit.status !== "converged" || !Number.isFinite(fit.logLikelihood)) {
      spend = spendFallback("fit_failed", priorGammaGamma(input));
    } else if (!sane([p, q, gamma]) || q <= 1) {
      spend = spendFallback("degenerate_fit", priorGammaGamma(input));
    } else {
      spend = {
        spendModel: "gamma_gamma",
        spendFallbackReason: null,
        ggParams: fit.params,
        ggLogLikelihood: fit.logLikelihood,
      };
    }
  }
  return {
    model: { ...bg, ...spend, ...base, ranking, pareto },
    rowOf: collapsed.rowOf,
    rows: collapsed,
  };
}

function fallback(reason: FallbackReason, params: BgNbdParams, status: OptimizeStatus | null) {
  return { kind: "fallback" as const, fallbackReason: reason, params, logLikelihood: null, fitStatus: status };
}

function spendFallback(reason: FallbackReason, params: GammaGammaParams) {
  return {
    spendModel: "prior" as const,
    spendFallbackReason: reason,
    ggParams: params,
    ggLogLikelihood: null,
  };
}

/**
 * P(alive) and E[X(horizon)] once per distinct (x, t_x, T) row, with the hypergeometric part (which
 * does not depend on t_x) once per distinct (x, T); spend and CLV per customer.
 */
export function predict(fitted: FittedShop, input: ModelInput, settings: ScoringConfig["model"]): Predictions {
  const { model, rows, rowOf } = fitted;
  const params = model.params;
  const pareto = model.kind === "pareto_nbd" && model.pareto ? model.pareto.params : null;
  const ifAliveAt = (t: number, x: number, T: number) =>
    pareto ? paretoPurchasesIfAlive(pareto, t, x, T) : purchasesIfAlive(params, t, x, T);
  const byAge = collapseRows([rows.x, rows.T]);
  const ageX = byAge.columns[0];
  const ageT = byAge.columns[1];
  const ifAlive = new Float64Array(byAge.length);
  const ifAliveDiscounted = new Float64Array(byAge.length);
  const discounting = settings.annualDiscountRate > 0;
  for (let k = 0; k < byAge.length; k++) {
    ifAlive[k] = ifAliveAt(settings.horizonWeeks, ageX[k], ageT[k]);
    ifAliveDiscounted[k] = !discounting
      ? ifAlive[k]
      : pareto
        ? discountedParetoIfAlive(pareto, settings.horizonWeeks, settings.annualDiscountRate, ageX[k], ageT[k])
        : discountedPurchasesIfAlive(params, settings.horizonWeeks, settings.annualDiscountRate, ageX[k], ageT[k]);
  }
  const rowAlive = new Float64Array(rows.length);
  const rowPurchases = new Float64Array(rows.length);
  const rowDiscounted = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const d = pareto ? paretoDeathLogOdds(pareto, rows.x[i], rows.tx[i], rows.T[i]) : dropoutLogOdds(params, rows.x[i], rows.tx[i], rows.T[i]);
    const alive = d === -Infinity ? 1 : 1 / (1 + Math.exp(d));
    const k = byAge.rowOf[i];
    rowAlive[i] = alive;
    rowPurchases[i] = ifAlive[k] * alive;
    rowDiscounted[i] = ifAliveDiscounted[k] * alive;
  }
  const n = input.length;
  const out: Predictions = {
    pAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const row = rowOf[i];
    const spend = conditionalExpectedSpend(model.ggParams, input.x[i], input.zbar[i]);
    const expectedSpend = Number.isFinite(spend) ? spend : input.averageOrderValue[i];
    out.pAlive[i] = rowAlive[row];
    out.expectedPurchases[i] = rowPurchases[row];
    out.expectedSpend[i] = expectedSpend;
    out.clv[i] = rowDiscounted[row] * expectedSpend * Math.max(0, input.marginRate[i]);
  }
  blendPastSpend(out.clv, input, model.ranking.modelWeight);
  return out;
}

/**
 * CLV = w·(model CLV) + (1−w)·k·(past spend)·margin, with k = Σ model forecast revenue / Σ past spend, so
 * both parts carry the same total and w alone sets how much each customer's past spend counts
 * (w = 0 ranks by past spend, shaped as a share of the model's forecast for the whole shop).
 */
function blendPastSpend(clv: Float64Array, input: ModelInput, modelWeight: number) {
  if (modelWeight >= 1 || !input.pastSpend) return;
  let forecast = 0;
  let past = 0;
  for (let i = 0; i < input.length; i++) {
    const margin = Math.max(0, input.marginRate[i]);
    if (margin > 0) forecast += clv[i] / margin;
    past += input.pastSpend[i];
  }
  const k = past > 0 ? forecast / past : 0;
  for (let i = 0; i < input.length; i++) {
    const margin = Math.max(0, input.marginRate[i]);
    clv[i] = modelWeight * clv[i] + (1 - modelWeight) * k * input.pastSpend[i] * margin;
  }
}

const WEEKS_PER_YEAR = 52;

/** The Pareto/NBD counterpart of discountedPurchasesIfAlive: monthly increments discounted at an annual rate. */
function discountedParetoIfAlive(p: ParetoNbdParams, horizonWeeks: number, annualDiscountRate: number, x: number, T: number) {
  const steps = Math.max(1, Math.round((horizonWeeks / WEEKS_PER_YEAR) * 12));
  const stepWeeks = horizonWeeks / steps;
  const stepFactor = Math.pow(1 + annualDiscountRate, stepWeeks / WEEKS_PER_YEAR);
  let total = 0;
  let previous = 0;
  let factor = 1;
  for (let k = 1; k <= steps; k++) {
    const cumulative = paretoPurchasesIfAlive(p, k * stepWeeks, x, T);
    factor *= stepFactor;
    total += (cumulative - previous) / factor;
    previous = cumulative;
  }
  return total;
}
