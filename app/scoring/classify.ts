import type { CustomerFeatures } from "./features";
import type { ScoringConfig, Thresholds, ValueWeights, VolumeWeights } from "./presets";
import { GROUPS, type Group } from "./types";

export interface CustomerPrediction {
  /** Null for customers without an order: the purchase model says nothing about them. */
  pAlive: number | null;
  expectedPurchases: number;
  expectedSpend: number;
  clv: number;
}

/** Where a customer stands is always relative to their own shop. */
export interface ShopContext {
  customersWithOrders: number;
  sortedClv: Float64Array;
  sortedMarginRate: Float64Array;
  sortedOrdersPerYear: Float64Array;
  medianClv: number;
  medianMarginRate: number;
  medianOrdersPerYear: number;
  horizonWeeks: number;
}

export type ReasonCode =
  | "loyalty"
  | "clv"
  | "margin"
  | "low_discount"
  | "low_refunds"
  | "consent"
  | "tenure"
  | "frequency"
  | "discount"
  | "low_margin"
  | "price_sensitivity"
  | "group"
  | "held";

export interface Reason {
  code: ReasonCode;
  text: string;
  score: "value" | "volume" | "group";
  direction: "up" | "down" | "neutral";
  /** Points this component moved its score away from a neutral 50 (signed). */
  impact: number;
  /** Share of its score this component can move, in points (0–100). */
  weight: number;
}

export interface Classification {
  valueScore: number;
  volumeScore: number;
  group: Group;
  /** True when the previous group was kept although the evidence alone would now say otherwise. */
  held: boolean;
  reasons: Reason[];
}

export function buildShopContext(
  columns: { clv: Float64Array; marginRate: Float64Array; ordersPerYear: Float64Array },
  horizonWeeks: number,
): ShopContext {
  const sortedClv = Float64Array.from(columns.clv).sort();
  const sortedMarginRate = Float64Array.from(columns.marginRate).sort();
  const sortedOrdersPerYear = Float64Array.from(columns.ordersPerYear).sort();
  return {
    customersWithOrders: sortedClv.length,
    sortedClv,
    sortedMarginRate,
    sortedOrdersPerYear,
    medianClv: median(sortedClv),
    medianMarginRate: median(sortedMarginRate),
    medianOrdersPerYear: median(sortedOrdersPerYear),
    horizonWeeks,
  };
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Mid-rank percentile in [0, 1]: ties share the middle of their run. */
export function percentileRank(sorted: Float64Array, value: number): number {
  const n = sorted.length;
  if (n === 0) return 0.5;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  const below = lo;
  hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return (below + lo) / 2 / n;
}

type ValueComponent = keyof ValueWeights;
type VolumeComponent = keyof VolumeWeights;
const VALUE_COMPONENTS: readonly ValueComponent[] = [
  "loyalty",
  "clv",
  "margin",
  "lowDiscount",
  "lowRefunds",
  "consent",
  "tenure",
];
const VOLUME_COMPONENTS: readonly VolumeComponent[] = ["frequency", "discount", "lowMargin", "priceSensitivity"];
const REASON_CODE: Record<ValueComponent | VolumeComponent, ReasonCode> = {
  loyalty: "loyalty",
  clv: "clv",
  margin: "margin",
  lowDiscount: "low_discount",
  lowRefunds: "low_refunds",
  consent: "consent",
  tenure: "tenure",
  frequency: "frequency",
  discount: "discount",
  lowMargin: "low_margin",
  priceSensitivity: "price_sensitivity",
};

export interface GroupMetrics {
  orders: number;
  tenureDays: number;
  valueScore: number;
  /** The value score with P(alive) taken as 1: the customer's profile if they are still buying. */
  valueIfActive: number;
  volumeScore: number;
  pAlive: number;
  discountShare: number;
  recentDiscountShare: number;
  /** Days since the last order as a multiple of the customer's own mean gap between purchases. */
  overdueRatio: number;
}

/** Groups in priority order: the first one whose conditions hold wins. */
const PRIORITY: readonly Group[] = ["new", "valued", "at_risk", "rising", "volume", "occasional"];
const RISING_RECENT_DROP = 0.25;

/**
 * Whether a customer meets a group's conditions with `slack` points of tolerance (negative = must
 * clear the bar by that much). Every condition loosens as slack grows, which is what makes
 * classification with hysteresis idempotent.
 */
export function qualifies(group: Group, m: GroupMetrics, t: Thresholds, slack: number): boolean {
  const p = slack / 100;
  switch (group) {
    case "new":
      return m.orders <= t.maxNewOrders && m.tenureDays < t.newWindowDays;
    case "valued":
      return (
        m.orders >= t.minValuedOrders &&
        m.valueScore >= t.valuedEnter - slack &&
        m.pAlive >= t.atRiskPAlive - p &&
        m.discountShare <= t.maxValuedDiscountShare + p
      );
    case "at_risk":
      return (
        m.orders >= t.minValuedOrders &&
        m.valueIfActive >= t.valuedEnter - slack &&
        m.discountShare <= t.maxValuedDiscountShare + p &&
        m.pAlive >= t.lostPAlive - p &&
        (m.pAlive < t.atRiskPAlive + p ||
          (m.valueScore < t.valuedEnter + slack && m.overdueRatio >= t.overdueGapMultiple - p * 10))
      );
    case "rising":
      return (
        m.orders >= 2 &&
        m.pAlive >= t.activePAlive - p &&
        m.valueScore >= t.risingEnter - slack &&
        (m.valueScore >= m.volumeScore - slack || m.recentDiscountShare <= m.discountShare - RISING_RECENT_DROP + p)
      );
    case "volume":
      return m.orders >= t.minVolumeOrders && m.pAlive >= t.activePAlive - p && m.volumeScore >= t.volumeEnter - slack;
    case "occasional":
      return true;
  }
}

/**
 * Without a previous group: the first group that qualifies. With one: move up to a higher-priority
 * group only if it qualifies by half the hysteresis band; otherwise stay while the previous group
 * still qualifies within half the band; otherwise take the first group that qualifies.
 */
export function decideGroup(
  m: GroupMetrics,
  t: Thresholds,
  previous: Group | undefined,
): { group: Group; held: boolean } {
  let nominal: Group = "occasional";
  for (const g of PRIORITY) {
    if (qualifies(g, m, t, 0)) {
      nominal = g;
      break;
    }
  }
  if (previous === undefined) return { group: nominal, held: false };
  const half = t.hysteresis / 2;
  for (const g of PRIORITY) {
    if (g === previous) break;
    if (qualifies(g, m, t, -half)) return { group: g, held: false };
  }
  if (qualifies(previous, m, t, half)) return { group: previous, held: previous !== nominal };
  return { group: nominal, held: false };
}

const pct = (v: number) => `${Math.round(v * 100)}%`;
const money = (v: number) => v.toFixed(2);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function duration(days: number): string {
  if (days < 60) return plural(days, "day");
  if (days < 730) return plural(Math.round(days / 30.44), "month");
  return `${(days / 365.25).toFixed(1)} years`;
}

function rank(p: number): string {
  return p >= 0.5
    ? `top ${Math.max(1, Math.round((1 - p) * 100))}% of customers`
    : `bottom ${Math.max(1, Math.round(p * 100))}% of customers`;
}

function horizonLabel(weeks: number): string {
  return weeks === 52 ? "12-month" : `${weeks}-week`;
}

interface Ranks {
  clv: number;
  margin: number;
  frequency: number;
}

/** Normalised weights per config, computed once per shop rather than per customer. */
interface PreparedWeights {
  value: Float64Array;
  volume: Float64Array;
}
const prepared = new WeakMap<ScoringConfig, PreparedWeights>();

function weightsOf(config: ScoringConfig): PreparedWeights {
  let w = prepared.get(config);
  if (!w) {
    const value = Float64Array.from(VALUE_COMPONENTS, (k) => config.valueWeights[k]);
    const volume = Float64Array.from(VOLUME_COMPONENTS, (k) => config.volumeWeights[k]);
    const vt = value.reduce((a, b) => a + b, 0);
    const ot = volume.reduce((a, b) => a + b, 0);
    w = { value: value.map((v) => v / vt), volume: volume.map((v) => v / ot) };
    prepared.set(config, w);
  }
  return w;
}

// Scratch space reused across customers: classification runs for millions of customers per shop.
const valueParts = new Float64Array(VALUE_COMPONENTS.length);
const volumeParts = new Float64Array(VOLUME_COMPONENTS.length);
const LOYALTY = 0;
const TWIN_OF_VOLUME: readonly number[] = [-1, VALUE_COMPONENTS.indexOf("lowDiscount"), VALUE_COMPONENTS.indexOf("margin"), -1];

function fillComponents(f: CustomerFeatures, pred: CustomerPrediction, ctx: ShopContext, t: Thresholds): Ranks {
  const hasOrders = f.orders > 0;
  const ranks = {
    clv: hasOrders ? percentileRank(ctx.sortedClv, pred.clv) : 0,
    margin: hasOrders ? percentileRank(ctx.sortedMarginRate, f.marginRate) : 0.5,
    frequency: hasOrders ? percentileRank(ctx.sortedOrdersPerYear, f.ordersPerYear) : 0,
  };
  const refundLevel = Math.max(f.refundRate, f.returnRate ?? 0);
  valueParts[LOYALTY] = (pred.pAlive ?? 0) * Math.min(1, f.x / t.loyalRepeatPurchases);
  valueParts[1] = ranks.clv;
  valueParts[2] = ranks.margin;
  valueParts[3] = hasOrders ? 1 - f.discountedOrderShare : 0.5;
  valueParts[4] = hasOrders ? 1 - Math.min(1, refundLevel / t.refundCap) : 0.5;
  valueParts[5] = f.acceptsMarketing ? 1 : 0;
  valueParts[6] = hasOrders ? Math.min(1, f.tenureDays / t.tenureTargetDays) : 0;
  volumeParts[0] = ranks.frequency;
  volumeParts[1] = f.discountedOrderShare;
  volumeParts[2] = hasOrders ? 1 - ranks.margin : 0.5;
  volumeParts[3] = Math.min(1, f.discountDepth / t.depthCap);
  return ranks;
}

function weighted(parts: Float64Array, weights: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < parts.length; i++) sum += parts[i] * weights[i];
  return 100 * sum;
}

function componentText(
  component: ValueComponent | VolumeComponent,
  f: CustomerFeatures,
  pred: CustomerPrediction,
  ranks: Ranks,
  ctx: ShopContext,
): string {
  switch (component) {
    case "loyalty":
      return f.x === 0
        ? "no repeat purchase yet"
        : `probability still active ${pct(pred.pAlive ?? 0)} after ${plural(f.x, "repeat purchase")}`;
    case "clv":
      return `predicted ${horizonLabel(ctx.horizonWeeks)} gross profit ${money(pred.clv)} (${rank(ranks.clv)})`;
    case "margin":
    case "lowMargin": {
      const base = `margin ${pct(f.marginRate)} vs store median ${pct(ctx.medianMarginRate)}`;
      return f.marginEstimated ? `${base} (estimated: ${pct(1 - f.knownCostShare)} of revenue has no cost)` : base;
    }
    case "lowDiscount":
    case "discount": {
      if (f.discountedOrderShare === 0) return f.orders === 0 ? "no orders yet" : "no order used a discount";
      const parts = [
        f.codeOrderShare > 0 ? `codes ${pct(f.codeOrderShare)}` : "",
        f.automaticOrderShare > 0 ? `automatic ${pct(f.automaticOrderShare)}` : "",
        f.markdownOrderShare > 0 ? `markdowns ${pct(f.markdownOrderShare)}` : "",
      ].filter((s) => s !== "");
      const detail = parts.length > 0 ? ` (${parts.join(", ")})` : "";
      return `${pct(f.discountedOrderShare)} of orders used a discount${detail}`;
    }
    case "lowRefunds": {
      if (f.refundRate === 0 && !f.returnRate) return "no refunds";
      const returns = f.returnRate ? `, ${pct(f.returnRate)} of items returned` : "";
      return `refunds ${pct(f.refundRate)} of spend${returns}`;
    }
    case "consent":
      return f.acceptsMarketing ? "accepts marketing" : "does not accept marketing";
    case "tenure":
      return f.orders === 0 ? "no orders yet" : `customer for ${duration(f.tenureDays)}`;
    case "frequency":
      return `${f.ordersPerYear.toFixed(1)} orders a year vs store median ${ctx.medianOrdersPerYear.toFixed(1)}`;
    case "priceSensitivity":
      return f.discountDepth === 0
        ? "always paid full price"
        : `average discount depth ${pct(f.discountDepth)} off list price`;
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function componentReason(
  component: ValueComponent | VolumeComponent,
  part: number,
  weight: number,
  score: "value" | "volume",
  text: string,
): Reason {
  const impact = 100 * weight * (part - 0.5);
  return {
    code: REASON_CODE[component],
    text,
    score,
    direction: impact > 0.05 ? "up" : impact < -0.05 ? "down" : "neutral",
    impact: round1(impact),
    weight: round1(100 * weight),
  };
}

/** Indices of the `limit` components with the largest |impact|, ties in declaration order. */
function strongest(parts: Float64Array, weights: Float64Array, limit: number, skip: (i: number) => boolean): number[] {
  const chosen: number[] = [];
  while (chosen.length < limit) {
    let best = -1;
    let bestImpact = -1;
    for (let i = 0; i < parts.length; i++) {
      if (weights[i] <= 0 || chosen.includes(i) || skip(i)) continue;
      const impact = Math.abs(weights[i] * (parts[i] - 0.5));
      if (impact > bestImpact) {
        best = i;
        bestImpact = impact;
      }
    }
    if (best === -1) break;
    chosen.push(best);
  }
  return chosen;
}

function groupText(group: Group, f: CustomerFeatures, pred: CustomerPrediction, m: GroupMetrics, t: Thresholds): string {
  const score = (v: number) => Math.round(v).toString();
  switch (group) {
    case "new":
      return f.orders === 0
        ? `signed up ${plural(f.tenureDays, "day")} ago, no order yet`
        : `first order ${plural(f.tenureDays, "day")} ago`;
    case "valued":
      return `value score ${score(m.valueScore)} (valued from ${t.valuedEnter}), probability still active ${pct(m.pAlive)}`;
    case "at_risk":
      return `probability still active ${pct(m.pAlive)}: ${plural(f.daysSinceLastOrder ?? 0, "day")} since the last order, usually every ${plural(Math.round(meanGapDays(f)), "day")}`;
    case "rising": {
      const recent =
        m.recentDiscountShare <= m.discountShare - RISING_RECENT_DROP
          ? `; recent orders used fewer discounts (${pct(m.recentDiscountShare)} vs ${pct(m.discountShare)})`
          : "";
      const gap = Math.max(1, Math.ceil(t.valuedEnter - m.valueScore));
      return `value score ${score(m.valueScore)}, ${plural(gap, "point")} short of valued${recent}`;
    }
    case "volume":
      return `volume score ${score(m.volumeScore)} (volume from ${t.volumeEnter}) over ${plural(f.orders, "order")}`;
    case "occasional":
      if (f.orders === 0) return "no orders";
      if (f.orders === 1) return `one order, ${plural(f.daysSinceLastOrder ?? 0, "day")} ago`;
      if (pred.pAlive !== null && pred.pAlive < t.lostPAlive) {
        return `probability still active ${pct(pred.pAlive)}: likely lapsed`;
      }
      return `value score ${score(m.valueScore)} and volume score ${score(m.volumeScore)}: neither stands out`;
  }
}

function meanGapDays(f: CustomerFeatures): number {
  return f.x > 0 ? (f.tx * 7) / f.x : 0;
}

export function classifyCustomer(
  f: CustomerFeatures,
  pred: CustomerPrediction,
  ctx: ShopContext,
  config: ScoringConfig,
  previous?: Group,
): Classification {
  const t = config.thresholds;
  const w = weightsOf(config);
  const ranks = fillComponents(f, pred, ctx, t);
  const valueScore = weighted(valueParts, w.value);
  const volumeScore = weighted(volumeParts, w.volume);
  const valueIfActive = valueScore + 100 * w.value[LOYALTY] * (Math.min(1, f.x / t.loyalRepeatPurchases) - valueParts[LOYALTY]);
  const metrics: GroupMetrics = {
    orders: f.orders,
    tenureDays: f.tenureDays,
    valueScore,
    valueIfActive,
    volumeScore,
    pAlive: pred.pAlive ?? 0,
    discountShare: f.discountedOrderShare,
    recentDiscountShare: f.recentDiscountShare,
    overdueRatio: f.x > 0 && f.tx > 0 ? (f.daysSinceLastOrder ?? 0) / meanGapDays(f) : 0,
  };
  const validPrevious = previous !== undefined && GROUPS.includes(previous) ? previous : undefined;
  const { group, held } = decideGroup(metrics, t, validPrevious);
  const reasons: Reason[] = [
    { code: "group", text: groupText(group, f, pred, metrics, t), score: "group", direction: "neutral", impact: 0, weight: 0 },
  ];
  if (held) {
    reasons.push({
      code: "held",
      text: `kept in ${group.replace("_", " ")}: the evidence has not moved clearly (${t.hysteresis}-point band)`,
      score: "group",
      direction: "neutral",
      impact: 0,
      weight: 0,
    });
  }
  const limit = config.reasons.perScore;
  const valueChosen = strongest(valueParts, w.value, limit, () => false);
  for (const i of valueChosen) {
    const k = VALUE_COMPONENTS[i];
    reasons.push(componentReason(k, valueParts[i], w.value[i], "value", componentText(k, f, pred, ranks, ctx)));
  }
  // The same fact (discount share, margin) often drives both scores; say it once, under the value score.
  const volumeChosen = strongest(volumeParts, w.volume, limit, (i) => valueChosen.includes(TWIN_OF_VOLUME[i]));
  for (const i of volumeChosen) {
    const k = VOLUME_COMPONENTS[i];
    reasons.push(componentReason(k, volumeParts[i], w.volume[i], "volume", componentText(k, f, pred, ranks, ctx)));
  }
  return { valueScore: round1(valueScore), volumeScore: round1(volumeScore), group, held, reasons };
}

export interface VipCandidate {
  customerId: string;
  group: Group;
  predictedClv: number;
  valueScore: number;
}

/** Top N or top X% of valued customers by predicted CLV (then value score, then id, for determinism). */
export function selectAutoVip(customers: readonly VipCandidate[], vip: ScoringConfig["vip"]): Set<string> {
  if (vip.mode === "off" || vip.value <= 0) return new Set();
  const valued = customers.filter((c) => c.group === "valued");
  const count = vip.mode === "top_n" ? Math.floor(vip.value) : Math.ceil((valued.length * vip.value) / 100);
  valued.sort(
    (a, b) =>
      b.predictedClv - a.predictedClv ||
      b.valueScore - a.valueScore ||
      (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0),
  );
  return new Set(valued.slice(0, count).map((c) => c.customerId));
}
