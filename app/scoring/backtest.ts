import { rankColumn } from "./classify";
import { computeFeatures, type CustomerFeatures, type FeatureOptions } from "./features";
import { fitShopModel, predict, type FittedShop, type ModelInput, type PurchaseModel } from "./model";
import type { ScoringConfig } from "./presets";
import { chooseRanking, type ModelChoice } from "./modelChoice";
import { shopDay, shopDayEnd } from "./days";
import type { CustomerHistory } from "./types";

export const MAX_HOLDOUT_WEEKS = 52;
/** Below this a holdout says more about the season than about the customers. */
export const MIN_HOLDOUT_WEEKS = 8;
/** Customers with an order before the cutoff; fewer and a top 20% is a handful of people. */
export const MIN_BACKTEST_CUSTOMERS = 100;
/** Customers who bought again in the holdout. */
export const MIN_HOLDOUT_BUYERS = 20;
export const TOP_FRACTION = 0.2;
/** Calibration rows x = 0 … 6 and 7+: the layout of Fader, Hardie & Lee's (2005) holdout comparison. */
export const CALIBRATION_BUCKETS = 8;
/** Blend weights tried, model share 0, 0.05, …, 1. */
const BLEND_STEPS = 20;

export type InsufficientReason = "history_too_short" | "too_few_customers" | "too_few_repeat_customers" | "too_few_holdout_buyers";

export type HoldoutPlan =
  | { ok: true; holdoutWeeks: number; cutoff: Date; historyWeeks: number }
  | { ok: false; reason: "history_too_short"; historyWeeks: number };

/**
 * How much of the most recent history to hold out: half of it in whole weeks, at most 52, counting the
 * first order's day and asOf's day as days of history (CDNOW, 1997-01-01 … 1998-06-30, gives 39 weeks).
 * The cutoff is the last instant of the shop's day before the holdout starts.
 */
export function planHoldout(firstOrderAt: Date | null, asOf: Date, timeZone?: string | null): HoldoutPlan {
  const dayOf = (d: Date) => shopDay(d, timeZone);
  if (firstOrderAt === null) return { ok: false, reason: "history_too_short", historyWeeks: 0 };
  const historyDays = dayOf(asOf) - dayOf(firstOrderAt) + 1;
  const historyWeeks = historyDays / 7;
  const holdoutWeeks = Math.min(MAX_HOLDOUT_WEEKS, Math.floor(historyDays / 14));
  if (holdoutWeeks < MIN_HOLDOUT_WEEKS) return { ok: false, reason: "history_too_short", historyWeeks };
  const cutoffDay = dayOf(asOf) - holdoutWeeks * 7;
  return { ok: true, holdoutWeeks, cutoff: shopDayEnd(cutoffDay, timeZone), historyWeeks };
}

/** Calibration summaries as of the cutoff and what each customer did in the holdout (columns). */
export interface BacktestInput {
  length: number;
  holdoutWeeks: number;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  zbar: Float64Array;
  averageOrderValue: Float64Array;
  /** Revenue before the cutoff. */
  pastSpend: Float64Array;
  orders: Float64Array;
  daysSinceLastOrder: Float64Array;
  holdoutPurchases: Float64Array;
  holdoutRevenue: Float64Array;
}

/**
 * Builds the backtest's columns from order histories with the same feature rules as scoring: features
 * as of the cutoff for the calibration, and the difference to features as of asOf for the holdout.
 * Customers whose last order is before the cutoff did nothing in the holdout and reuse `current`.
 */
export function buildBacktestInput(
  histories: readonly CustomerHistory[],
  current: readonly CustomerFeatures[],
  cutoff: Date,
  holdoutWeeks: number,
  options: Omit<FeatureOptions, "asOf">,
): BacktestInput {
  const cutoffMs = cutoff.getTime();
  const kept: CustomerFeatures[] = [];
  const after: CustomerFeatures[] = [];
  for (let i = 0; i < histories.length; i++) {
    const now = current[i];
    if (now.firstOrderAt === null || now.firstOrderAt.getTime() > cutoffMs) continue;
    if (now.lastOrderAt !== null && now.lastOrderAt.getTime() <= cutoffMs) {
      kept.push(now);
      after.push(now);
    } else {
      kept.push(computeFeatures(histories[i], { ...options, asOf: cutoff }));
      after.push(now);
    }
  }
  return columnsFrom(kept, after, holdoutWeeks);
}

function columnsFrom(calibration: readonly CustomerFeatures[], later: readonly CustomerFeatures[], holdoutWeeks: number): BacktestInput {
  const n = calibration.length;
  const input: BacktestInput = {
    length: n,
    holdoutWeeks,
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    zbar: new Float64Array(n),
    averageOrderValue: new Float64Array(n),
    pastSpend: new Float64Array(n),
    orders: new Float64Array(n),
    daysSinceLastOrder: new Float64Array(n),
    holdoutPurchases: new Float64Array(n),
    holdoutRevenue: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = calibration[i];
    const l = later[i];
    // A customer without holdout orders reuses today's features: only their age differs, by the holdout.
    const shift = c === l ? holdoutWeeks : 0;
    input.x[i] = c.x;
    input.tx[i] = c.tx;
    input.T[i] = c.T - shift;
    input.zbar[i] = c.repeatSpendMean;
    input.averageOrderValue[i] = c.averageOrderValue;
    input.pastSpend[i] = c.monetary;
    input.orders[i] = c.orders;
    input.daysSinceLastOrder[i] = (c.daysSinceLastOrder ?? 0) - 7 * shift;
    input.holdoutPurchases[i] = c === l ? 0 : l.purchaseDays - c.purchaseDays;
    input.holdoutRevenue[i] = c === l ? 0 : Math.max(0, l.monetary - c.monetary);
  }
  return input;
}

export type RankerName = "bgnbd" | "pareto_nbd" | "blend" | "past_spend" | "order_count" | "rfm";

export interface CalibrationRow {
  /** Calibration repeat purchases; 7 stands for 7 or more. */
  x: number;
  customers: number;
  /** Mean purchase days per customer in the holdout. */
  actual: number;
  predicted: number;
}

export interface RankerResult {
  name: RankerName;
  /** Share of holdout revenue bought by the top 20% of customers by this ranking (ties share the boundary). */
  topShare: number;
  /** Holdout revenue forecast against what happened; null for rankings that forecast nothing (RFM). */
  spend: { meanAbsoluteError: number; totalPredicted: number; totalActual: number } | null;
  calibration: CalibrationRow[] | null;
  /** Blend only: the model's weight (past spend has the rest) and which model it blends. */
  modelWeight?: number;
  blends?: PurchaseModel;
  /** Models only: whether the fit converged to usable parameters (otherwise priors or BG/NBD served). */
  fitted?: boolean;
}

export type BacktestReport =
  | {
      status: "measured";
      asOf: string;
      cutoff: string;
      holdoutWeeks: number;
      historyWeeks: number;
      customers: number;
      holdoutBuyers: number;
      holdoutRevenue: number;
      rankers: RankerResult[];
      choice: ModelChoice;
    }
  | {
      status: "insufficient";
      asOf: string;
      reason: InsufficientReason;
      historyWeeks: number;
      /** What the backtest needed and what there was, for the "not enough history yet" message. */
      needed: number;
      found: number;
      choice: ModelChoice;
    };

/** The ranking used when there is no backtest to go on: BG/NBD (or its priors) as before. */
export const DEFAULT_CHOICE: ModelChoice = {
  kind: "bgnbd",
  ranking: { purchaseModel: "bgnbd", modelWeight: 1 },
  reason: "not_measured",
  topShare: null,
  pastSpendTopShare: null,
};

/**
 * Fits the candidate models on the calibration period, forecasts the holdout, and measures every
 * ranking on it. Pure; deterministic for the same input.
 */
export function runBacktest(
  input: BacktestInput,
  settings: ScoringConfig["model"],
  meta: { asOf: Date; cutoff: Date; historyWeeks: number },
): BacktestReport {
  const n = input.length;
  let repeat = 0;
  let buyers = 0;
  let holdoutRevenue = 0;
  for (let i = 0; i < n; i++) {
    if (input.x[i] > 0) repeat++;
    if (input.holdoutPurchases[i] > 0) buyers++;
    holdoutRevenue += input.holdoutRevenue[i];
  }
  const insufficient = (reason: InsufficientReason, needed: number, found: number): BacktestReport => ({
    status: "insufficient",
    asOf: meta.asOf.toISOString(),
    reason,
    historyWeeks: meta.historyWeeks,
    needed,
    found,
    choice: { ...DEFAULT_CHOICE, reason: "insufficient_history" },
  });
  if (n < MIN_BACKTEST_CUSTOMERS) return insufficient("too_few_customers", MIN_BACKTEST_CUSTOMERS, n);
  if (repeat < settings.minRepeatCustomers) return insufficient("too_few_repeat_customers", settings.minRepeatCustomers, repeat);
  if (buyers < MIN_HOLDOUT_BUYERS || !(holdoutRevenue > 0)) return insufficient("too_few_holdout_buyers", MIN_HOLDOUT_BUYERS, buyers);

  const H = input.holdoutWeeks;
  const modelInput: ModelInput = {
    length: n,
    x: input.x,
    tx: input.tx,
    T: input.T,
    zbar: input.zbar,
    averageOrderValue: input.averageOrderValue,
    marginRate: new Float64Array(n).fill(1),
  };
  const horizon = { ...settings, horizonWeeks: H, annualDiscountRate: 0 };
  const forecasts = new Map<PurchaseModel, { purchases: Float64Array; revenue: Float64Array; fitted: boolean }>();
  // One fit gives both candidates: asking for the Pareto/NBD fits BG/NBD and Gamma-Gamma on the same rows.
  const both = fitShopModel(modelInput, horizon, { purchaseModel: "pareto_nbd", modelWeight: 1 });
  const bgnbdKind = both.model.kind === "fallback" ? "fallback" : "bgnbd";
  const variants: [PurchaseModel, FittedShop | null][] = [
    ["bgnbd", { ...both, model: { ...both.model, kind: bgnbdKind } }],
    // A Pareto/NBD that could not be fitted is not a candidate (BG/NBD would have stood in for it).
    ["pareto_nbd", both.model.kind === "pareto_nbd" ? both : null],
  ];
  for (const [purchaseModel, fitted] of variants) {
    if (!fitted) continue;
    const p = predict(fitted, modelInput, horizon);
    const revenue = new Float64Array(n);
    for (let i = 0; i < n; i++) revenue[i] = p.expectedPurchases[i] * p.expectedSpend[i];
    forecasts.set(purchaseModel, { purchases: p.expectedPurchases, revenue, fitted: fitted.model.kind !== "fallback" });
  }

  const actual = input.holdoutRevenue;
  const rankers: RankerResult[] = [];
  for (const [name, f] of forecasts) {
    rankers.push({
      name,
      topShare: topShare(f.revenue, actual, holdoutRevenue),
      spend: spendError(f.revenue, actual),
      calibration: calibrationTable(input, f.purchases),
      fitted: f.fitted,
    });
  }

  // Baselines extrapolate each customer's own rate over the holdout, over at least the holdout's length.
  const runRatePurchases = new Float64Array(n);
  const runRateRevenue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tenure = Math.max(input.T[i] + 1 / 7, H);
    runRatePurchases[i] = ((input.x[i] + 1) * H) / tenure;
    runRateRevenue[i] = (input.pastSpend[i] * H) / tenure;
  }
  const pastSpend: RankerResult = {
    name: "past_spend",
    topShare: topShare(input.pastSpend, actual, holdoutRevenue),
    spend: spendError(runRateRevenue, actual),
    calibration: calibrationTable(input, runRatePurchases),
  };
  const orderCount: RankerResult = {
    name: "order_count",
    topShare: topShare(input.orders, actual, holdoutRevenue),
    spend: null,
    calibration: calibrationTable(input, runRatePurchases),
  };
  const rfm: RankerResult = { name: "rfm", topShare: topShare(rfmScore(input), actual, holdoutRevenue), spend: null, calibration: null };

  const models = rankers.slice();
  const base = chooseRanking(models, pastSpend);
  const blended: PurchaseModel = base.kind === "pareto_nbd" ? "pareto_nbd" : "bgnbd";
  const blend = blendResult(blended, forecasts.get(blended)!, input, actual, holdoutRevenue);
  rankers.push(blend, pastSpend, orderCount, rfm);
  const choice = chooseRanking([...models, blend], pastSpend);

  return {
    status: "measured",
    asOf: meta.asOf.toISOString(),
    cutoff: meta.cutoff.toISOString(),
    holdoutWeeks: H,
    historyWeeks: meta.historyWeeks,
    customers: n,
    holdoutBuyers: buyers,
    holdoutRevenue,
    rankers,
    choice,
  };
}

/**
 * The blend w·(model forecast) + (1−w)·k·(past spend), k scaling past spend to the model's total, at the
 * weight in 0, 0.05, …, 1 whose top 20% held the most holdout revenue (the largest such weight on ties).
 * The weight is fitted on the holdout it is measured on: one parameter, so the optimism is small, and
 * the choice only leaves a plain model for the blend when it gains more than a tolerance.
 */
function blendResult(
  blends: PurchaseModel,
  model: { purchases: Float64Array; revenue: Float64Array },
  input: BacktestInput,
  actual: Float64Array,
  total: number,
): RankerResult {
  const n = input.length;
  let forecast = 0;
  let past = 0;
  for (let i = 0; i < n; i++) {
    forecast += model.revenue[i];
    past += input.pastSpend[i];
  }
  const k = past > 0 ? forecast / past : 0;
  const score = new Float64Array(n);
  let bestWeight = 1;
  let best = -Infinity;
  for (let step = BLEND_STEPS; step >= 0; step--) {
    const w = step / BLEND_STEPS;
    for (let i = 0; i < n; i++) score[i] = w * model.revenue[i] + (1 - w) * k * input.pastSpend[i];
    const share = topShare(score, actual, total);
    if (share > best + 1e-12) {
      best = share;
      bestWeight = w;
    }
  }
  // The blend's purchases: the model's, scaled like its revenue so the calibration rows stay comparable.
  const revenue = new Float64Array(n);
  const purchases = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    revenue[i] = bestWeight * model.revenue[i] + (1 - bestWeight) * k * input.pastSpend[i];
    const perPurchase = model.purchases[i] > 0 ? model.revenue[i] / model.purchases[i] : 0;
    purchases[i] = perPurchase > 0 ? revenue[i] / perPurchase : model.purchases[i];
  }
  return {
    name: "blend",
    topShare: best,
    spend: spendError(revenue, actual),
    calibration: calibrationTable(input, purchases),
    modelWeight: bestWeight,
    blends,
  };
}

/** RFM cell score: recency, frequency and monetary quintiles (1–5 each) summed; past spend breaks ties. */
export function rfmScore(input: BacktestInput): Float64Array {
  const n = input.length;
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) recency[i] = -input.daysSinceLastOrder[i];
  const r = rankColumn(recency).ranks;
  const f = rankColumn(input.orders).ranks;
  const m = rankColumn(input.pastSpend).ranks;
  const quintile = (p: number) => Math.min(5, 1 + Math.floor(p * 5));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = quintile(r[i]) + quintile(f[i]) + quintile(m[i]) + m[i] * 1e-3;
  return out;
}

/**
 * Share of `total` held by the top fraction of customers by score. Customers tied at the boundary share
 * the remaining places: each contributes the tied group's mean revenue per place (the expectation under
 * a random tie-break), so heavily tied rankings such as order count are neither flattered nor punished.
 */
export function topShare(score: Float64Array, revenue: Float64Array, total: number, fraction = TOP_FRACTION): number {
  const n = score.length;
  if (n === 0 || !(total > 0)) return 0;
  const k = Math.max(1, Math.round(fraction * n));
  const threshold = kthLargest(score, k);
  let above = 0;
  let aboveRevenue = 0;
  let tied = 0;
  let tiedRevenue = 0;
  for (let i = 0; i < n; i++) {
    if (score[i] > threshold) {
      above++;
      aboveRevenue += revenue[i];
    } else if (score[i] === threshold) {
      tied++;
      tiedRevenue += revenue[i];
    }
  }
  const captured = aboveRevenue + (tied > 0 ? ((k - above) * tiedRevenue) / tied : 0);
  return captured / total;
}

let selectScratch = new Float64Array(0);

/** The k-th largest value (1-based) by Hoare's selection on a scratch copy: linear on average. */
function kthLargest(values: Float64Array, k: number): number {
  const n = values.length;
  if (selectScratch.length < n) selectScratch = new Float64Array(n);
  const a = selectScratch;
  a.set(values);
  const target = n - k;
  let lo = 0;
  let hi = n - 1;
  let seed = 0x9e3779b9;
  while (lo < hi) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const pivot = a[lo + (seed % (hi - lo + 1))];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}

function spendError(predicted: Float64Array, actual: Float64Array): NonNullable<RankerResult["spend"]> {
  let abs = 0;
  let totalPredicted = 0;
  let totalActual = 0;
  for (let i = 0; i < predicted.length; i++) {
    abs += Math.abs(predicted[i] - actual[i]);
    totalPredicted += predicted[i];
    totalActual += actual[i];
  }
  return { meanAbsoluteError: predicted.length > 0 ? abs / predicted.length : 0, totalPredicted, totalActual };
}

/** Mean actual and predicted holdout purchases by calibration repeat purchases (0 … 6, 7+). */
export function calibrationTable(input: Pick<BacktestInput, "length" | "x" | "holdoutPurchases">, predicted: Float64Array): CalibrationRow[] {
  const customers = new Float64Array(CALIBRATION_BUCKETS);
  const actual = new Float64Array(CALIBRATION_BUCKETS);
  const forecast = new Float64Array(CALIBRATION_BUCKETS);
  for (let i = 0; i < input.length; i++) {
    const b = Math.min(CALIBRATION_BUCKETS - 1, input.x[i]);
    customers[b]++;
    actual[b] += input.holdoutPurchases[i];
    forecast[b] += predicted[i];
  }
  const rows: CalibrationRow[] = [];
  for (let b = 0; b < CALIBRATION_BUCKETS; b++) {
    if (customers[b] === 0) continue;
    rows.push({ x: b, customers: customers[b], actual: actual[b] / customers[b], predicted: forecast[b] / customers[b] });
  }
  return rows;
}
