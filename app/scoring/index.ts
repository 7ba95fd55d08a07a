import { buildShopContext, classifyCustomer, rankColumn, selectAutoVip, type Ranks, type Reason } from "./classify";
import { shopDay } from "./days";
import { computeFeatures, type CustomerFeatures } from "./features";
import { buildBacktestInput, DEFAULT_CHOICE, MIN_HOLDOUT_WEEKS, planHoldout, runBacktest, type BacktestReport } from "./backtest";
import { fitShopModel, predict, type ModelInput, type Ranking, type ShopModel } from "./model";
import { resolveConfig, type PresetName, type ScoringConfig, type ScoringOverrides } from "./presets";
import { GROUPS, type CustomerHistory, type Group } from "./types";

export type { Reason, ReasonCode } from "./classify";
export { selectAutoVip, type VipCandidate } from "./classify";
export type { CustomerFeatures } from "./features";
export { computeFeatures } from "./features";
export type { ShopModel, ModelKind, SpendModelKind, FallbackReason, Ranking, PurchaseModel } from "./model";
export type { BacktestReport, RankerResult, RankerName, CalibrationRow, InsufficientReason } from "./backtest";
export type { ModelChoice, ChoiceKind, ChoiceReason } from "./modelChoice";
export { calendarDay, isTimeZone, shopDay } from "./days";
export { MODEL_VERSION, BGNBD_PRIOR, GAMMA_GAMMA_PRIOR } from "./model";
export type { BgNbdParams } from "./bgnbd";
export type { GammaGammaParams } from "./gammaGamma";
export {
  PRESETS,
  PRESET_NAMES,
  parseOverrides,
  resolveConfig,
  scoringOverridesSchema,
  type PresetName,
  type ScoringConfig,
  type ScoringOverrides,
} from "./presets";
export { GROUPS, type CustomerHistory, type Group, type OrderLine, type OrderSummary } from "./types";

export interface ScoreShopOptions {
  asOf: Date;
  preset?: PresetName;
  /** Per-shop tuning on top of the preset; validate untrusted input with parseOverrides first. */
  overrides?: ScoringOverrides;
  /** Margin rate (0–1) assumed where a line's unit cost is unknown. */
  defaultMarginRate: number;
  /** Each customer's group from the last scoring run, for hysteresis. */
  previous?: ReadonlyMap<string, Group>;
  manualVip?: ReadonlySet<string>;
  /** The shop's IANA time zone (Shop.ianaTimezone): days are the shop's days. UTC when absent. */
  timeZone?: string | null;
  /** Backtest the candidate rankings on the shop's recent history and use the best (default true). */
  backtest?: boolean;
}

export type ScoreFeaturesOptions = Omit<ScoreShopOptions, "asOf" | "defaultMarginRate" | "timeZone" | "backtest"> & {
  /** What ranks customers by value; BG/NBD CLV when not given. */
  ranking?: Ranking;
};

export interface CustomerScore {
  customerId: string;
  features: CustomerFeatures;
  /** 0–100, one decimal. */
  valueScore: number;
  volumeScore: number;
  group: Group;
  previousGroup: Group | null;
  /** The previous group was kept by hysteresis although the evidence alone would say otherwise. */
  held: boolean;
  vip: boolean;
  vipSource: "manual" | "auto" | null;
  /** The group reason first, then the strongest value and volume reasons. */
  reasons: Reason[];
  pAlive: number | null;
  /** E[purchases] over the model horizon (undiscounted). */
  expectedPurchases: number;
  expectedSpend: number;
  /** Expected gross profit over the horizon: purchases × spend × margin, discounted if configured. */
  predictedClv: number;
}

export interface StoreSummary {
  customers: number;
  customersWithOrders: number;
  repeatCustomers: number;
  medianMarginRate: number;
  medianOrdersPerYear: number;
  medianClv: number;
  groups: Record<Group, number>;
}

export interface ShopScores {
  model: ShopModel;
  /** The backtest behind model.ranking; null when scoring was not asked to run one. */
  backtest: BacktestReport | null;
  config: ScoringConfig;
  store: StoreSummary;
  customers: CustomerScore[];
}

export class InvalidScoringConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid scoring configuration: ${issues.join("; ")}`);
    this.name = "InvalidScoringConfigError";
  }
}

/**
 * Scores every customer of a shop from their order histories, as of the end of asOf's day
 * in the shop's calendar: customers first seen after that day are left out, as are orders.
 * Deterministic for the same input.
 */
export function scoreShop(histories: readonly CustomerHistory[], options: ScoreShopOptions): ShopScores {
  const featureOptions = {
    asOf: options.asOf,
    defaultMarginRate: options.defaultMarginRate,
    timeZone: options.timeZone,
  };
  const asOfDay = shopDay(options.asOf, options.timeZone);
  // First seen: signed up or first ordered, whichever came first.
  const seenBy = (h: CustomerHistory) =>
    (h.createdDay ?? shopDay(h.createdAt, options.timeZone)) <= asOfDay ||
    h.orders.some((o) => (o.day ?? shopDay(o.processedAt, options.timeZone)) <= asOfDay);
  const seen = histories.filter(seenBy);
  const features = seen.map((h) => computeFeatures(h, featureOptions));
  if (options.backtest === false) return scoreFeatures(features, options);
  const backtest = backtestShop(seen, features, options);
  return { ...scoreFeatures(features, { ...options, ranking: backtest.choice.ranking }), backtest };
}

/** Holds out the recent history, measures every candidate ranking on it and picks one (see backtest.ts). */
export function backtestShop(
  histories: readonly CustomerHistory[],
  features: readonly CustomerFeatures[],
  options: ScoreShopOptions,
): BacktestReport {
  const resolved = resolveConfig(options.preset ?? "balanced", options.overrides ?? {});
  if (!resolved.ok) throw new InvalidScoringConfigError(resolved.issues);
  let first: Date | null = null;
  for (const f of features) if (f.firstOrderAt && (first === null || f.firstOrderAt < first)) first = f.firstOrderAt;
  const plan = planHoldout(first, options.asOf, options.timeZone);
  if (!plan.ok) {
    return {
      status: "insufficient",
      asOf: options.asOf.toISOString(),
      reason: plan.reason,
      historyWeeks: plan.historyWeeks,
      needed: 2 * MIN_HOLDOUT_WEEKS,
      found: plan.historyWeeks,
      choice: { ...DEFAULT_CHOICE, reason: "insufficient_history" },
    };
  }
  const input = buildBacktestInput(histories, features, plan.cutoff, plan.holdoutWeeks, {
    defaultMarginRate: options.defaultMarginRate,
    timeZone: options.timeZone,
  });
  return runBacktest(input, resolved.config.model, { asOf: options.asOf, cutoff: plan.cutoff, historyWeeks: plan.historyWeeks });
}

/** The same as scoreShop, from features already computed (e.g. kept up to date incrementally). */
export function scoreFeatures(
  features: readonly CustomerFeatures[],
  options: ScoreFeaturesOptions,
): ShopScores {
  const resolved = resolveConfig(options.preset ?? "balanced", options.overrides ?? {});
  if (!resolved.ok) throw new InvalidScoringConfigError(resolved.issues);
  const config = resolved.config;

  const buyers: number[] = [];
  for (let i = 0; i < features.length; i++) if (features[i].orders > 0) buyers.push(i);
  const n = buyers.length;
  const input: ModelInput = {
    length: n,
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    zbar: new Float64Array(n),
    averageOrderValue: new Float64Array(n),
    marginRate: new Float64Array(n),
    pastSpend: new Float64Array(n),
  };
  const ordersPerYear = new Float64Array(n);
  const repeatGapsDays: number[] = [];
  for (let j = 0; j < n; j++) {
    const f = features[buyers[j]];
    if (f.x > 0) repeatGapsDays.push((f.tx * 7) / f.x);
    input.x[j] = f.x;
    input.tx[j] = f.tx;
    input.T[j] = f.T;
    input.zbar[j] = f.repeatSpendMean;
    input.averageOrderValue[j] = f.averageOrderValue;
    input.marginRate[j] = f.marginRate;
    input.pastSpend![j] = f.monetary;
    ordersPerYear[j] = f.ordersPerYear;
  }
  const fitted = fitShopModel(input, config.model, options.ranking);
  const predictions = predict(fitted, input, config.model);
  const clv = rankColumn(predictions.clv);
  const margin = rankColumn(input.marginRate);
  const frequency = rankColumn(ordersPerYear);
  const ctx = buildShopContext(
    { clv: clv.index, marginRate: margin.index, ordersPerYear: frequency.index },
    config.model.horizonWeeks,
    repeatGapsDays,
  );

  const clvRanks = clv.ranks;
  const marginRanks = margin.ranks;
  const frequencyRanks = frequency.ranks;
  const ranks: Ranks = { clv: 0, margin: 0, frequency: 0 };

  const groups = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
  const customers: CustomerScore[] = new Array(features.length);
  let j = 0;
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const hasOrders = f.orders > 0;
    const pred = hasOrders
      ? {
          pAlive: predictions.pAlive[j],
          expectedPurchases: predictions.expectedPurchases[j],
          expectedSpend: predictions.expectedSpend[j],
          clv: predictions.clv[j],
        }
      : { pAlive: null, expectedPurchases: 0, expectedSpend: 0, clv: 0 };
    if (hasOrders) {
      ranks.clv = clvRanks[j];
      ranks.margin = marginRanks[j];
      ranks.frequency = frequencyRanks[j];
      j++;
    }
    const previousGroup = options.previous?.get(f.customerId) ?? null;
    const c = classifyCustomer(f, pred, ctx, config, previousGroup ?? undefined, ranks);
    groups[c.group]++;
    customers[i] = {
      customerId: f.customerId,
      features: f,
      valueScore: c.valueScore,
      volumeScore: c.volumeScore,
      group: c.group,
      previousGroup,
      held: c.held,
      vip: false,
      vipSource: null,
      reasons: c.reasons,
      pAlive: pred.pAlive,
      expectedPurchases: pred.expectedPurchases,
      expectedSpend: pred.expectedSpend,
      predictedClv: pred.clv,
    };
  }

  const autoVip = selectAutoVip(customers, config.vip);
  for (const c of customers) {
    if (options.manualVip?.has(c.customerId)) {
      c.vip = true;
      c.vipSource = "manual";
    } else if (autoVip.has(c.customerId)) {
      c.vip = true;
      c.vipSource = "auto";
    }
  }

  return {
    model: fitted.model,
    backtest: null,
    config,
    store: {
      customers: features.length,
      customersWithOrders: n,
      repeatCustomers: fitted.model.repeatCustomers,
      medianMarginRate: ctx.medianMarginRate,
      medianOrdersPerYear: ctx.medianOrdersPerYear,
      medianClv: ctx.medianClv,
      groups,
    },
    customers,
  };
}
