import { msg, type Message } from "../i18n/message";
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
  clv: RankIndex;
  marginRate: RankIndex;
  ordersPerYear: RankIndex;
  medianClv: number;
  medianMarginRate: number;
  medianOrdersPerYear: number;
  /**
   * The store's cadence: the median of repeat customers' mean gap between purchase days, in days.
   * A customer whose orders all fall on one day (x = 0, so P(alive) = 1 by the model's
   * construction) is judged by their silence against it instead.
   */
  storeGapDays: number;
  horizonWeeks: number;
  /** Reason texts already rendered for this shop, by component or group (see textNode). */
  texts: Map<string, TextTrie>;
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

/** Reasons are frozen and shared between customers with the same reason (see textNode). */
export interface Reason {
  readonly code: ReasonCode;
  /** What the merchant reads, as a key in app/locales and its values: rendered in their language. */
  readonly message: Message;
  readonly score: "value" | "volume" | "group";
  readonly direction: "up" | "down" | "neutral";
  /** Points this component moved its score away from a neutral 50 (signed). */
  readonly impact: number;
  /** Share of its score this component can move, in points (0–100). */
  readonly weight: number;
}

export interface Classification {
  valueScore: number;
  volumeScore: number;
  group: Group;
  /** True when the previous group was kept although the evidence alone would now say otherwise. */
  held: boolean;
  reasons: Reason[];
}

/** Without repeat customers to learn a cadence from: a quarter, the usual BTYD calibration unit. */
const DEFAULT_STORE_GAP_DAYS = 91;

/**
 * The shop-wide figures reasons and groups compare against. `repeatGapsDays`: each repeat
 * customer's mean gap between purchase days (t_x·7/x); its median is the store's cadence.
 */
export function buildShopContext(
  columns: { clv: RankIndex; marginRate: RankIndex; ordersPerYear: RankIndex },
  horizonWeeks: number,
  repeatGapsDays: readonly number[] = [],
): ShopContext {
  const { clv, marginRate, ordersPerYear } = columns;
  const gaps = Float64Array.from(repeatGapsDays.filter((g) => g > 0)).sort();
  return {
    storeGapDays: gaps.length > 0 ? Math.max(1, median(gaps)) : DEFAULT_STORE_GAP_DAYS,
    customersWithOrders: clv.sorted.length,
    clv,
    marginRate,
    ordersPerYear,
    medianClv: median(clv.sorted),
    medianMarginRate: median(marginRate.sorted),
    medianOrdersPerYear: median(ordersPerYear.sorted),
    horizonWeeks,
    texts: new Map(),
  };
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

const RANK_BLOCK = 64;

/** A sorted column plus every 64th value, so rank look-ups touch a small cache-resident table first. */
export interface RankIndex {
  sorted: Float64Array;
  sample: Float64Array;
}

export function rankIndex(values: Float64Array): RankIndex {
  return indexSorted(Float64Array.from(values).sort());
}

function indexSorted(sorted: Float64Array): RankIndex {
  const sample = new Float64Array(Math.ceil(sorted.length / RANK_BLOCK));
  for (let j = 0; j < sample.length; j++) sample[j] = sorted[j * RANK_BLOCK];
  return { sorted, sample };
}

function block(sample: Float64Array, v: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sample.length;
  if (orEqual) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sample[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
  } else {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sample[mid] < v) lo = mid + 1;
      else hi = mid;
    }
  }
  return lo;
}

function midRankCount(index: RankIndex, v: number): number {
  const { sorted, sample } = index;
  // sample[j - 1] is below the bound and sample[j] at or past it, so the bound lies between them.
  const jLow = block(sample, v, false);
  let a = jLow === 0 ? 0 : (jLow - 1) * RANK_BLOCK + 1;
  let b = Math.min(sorted.length, jLow * RANK_BLOCK);
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid] < v) a = mid + 1;
    else b = mid;
  }
  const below = a;
  const jHigh = block(sample, v, true);
  a = Math.max(below, jHigh === 0 ? 0 : (jHigh - 1) * RANK_BLOCK + 1);
  b = Math.min(sorted.length, jHigh * RANK_BLOCK);
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid] <= v) a = mid + 1;
    else b = mid;
  }
  return (below + a) / 2;
}

const INDEX_BITS = 2 ** 21;
const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/**
 * Mid-rank percentiles of a whole column at once. Each value's single-precision bit pattern (made
 * order-preserving) and its index are packed into one exact integer below 2^53, so one native
 * Float64Array sort orders the column. Values equal to 7 significant digits count as ties, which
 * moves a percentile by half the share of the customers merged: a shop-relative standing does not need
 * more. Linear passes and no per-customer binary search into a large array.
 */
export function rankColumn(values: Float64Array): { ranks: Float64Array; index: RankIndex } {
  const n = values.length;
  const ranks = new Float64Array(n);
  if (n > INDEX_BITS) {
    const index = rankIndex(values);
    for (let i = 0; i < n; i++) ranks[i] = percentileRank(index, values[i]);
    return { ranks, index };
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    f32[0] = values[i] === 0 ? 0 : values[i];
    const b = f32Bits[0];
    const key = b >>> 31 === 1 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    packed[i] = key * INDEX_BITS + i;
  }
  packed.sort();
  const sorted = new Float64Array(n);
  for (let k = 0; k < n; k++) sorted[k] = values[packed[k] % INDEX_BITS];
  let start = 0;
  while (start < n) {
    const key = Math.floor(packed[start] / INDEX_BITS);
    let end = start + 1;
    while (end < n && Math.floor(packed[end] / INDEX_BITS) === key) end++;
    const rank = (start + end) / 2 / n;
    for (let k = start; k < end; k++) ranks[packed[k] % INDEX_BITS] = rank;
    start = end;
  }
  // Values equal in single precision keep their packed (index) order; restore exact value order.
  for (let k = 1; k < n; k++) {
    if (sorted[k] < sorted[k - 1]) return { ranks, index: rankIndex(values) };
  }
  return { ranks, index: indexSorted(sorted) };
}

export function percentileRanks(values: Float64Array): Float64Array {
  return rankColumn(values).ranks;
}

/** Mid-rank percentile in [0, 1]: ties share the middle of their run. */
export function percentileRank(index: RankIndex, value: number): number {
  const n = index.sorted.length;
  if (n === 0) return 0.5;
  return midRankCount(index, value) / n;
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
  daysSinceLastOrder: number;
  /** Recent gaps between purchases over earlier ones (below 1: buying more often); null below three purchase days. */
  gapTrend: number | null;
  /** Recent order value over earlier order value (above 1: baskets growing); null below two orders. */
  spendTrend: number | null;
}

/** Groups in priority order: the first one whose conditions hold wins. */
const PRIORITY: readonly Group[] = ["new", "valued", "at_risk", "rising", "volume", "occasional"];
const RISING_RECENT_DROP = 0.25;
/** Two gaps (three purchase days) are the least that can show a customer speeding up. */
const MIN_RISING_ORDERS = 3;

const buyingMoreOften = (m: GroupMetrics, t: Thresholds, p: number) =>
  m.gapTrend !== null && m.gapTrend <= 1 - t.risingTrend + p;
const spendingMore = (m: GroupMetrics, t: Thresholds, p: number) =>
  m.spendTrend !== null && m.spendTrend >= 1 + t.risingTrend - p;
const fewerDiscounts = (m: GroupMetrics, p: number) => m.recentDiscountShare <= m.discountShare - RISING_RECENT_DROP + p;

/**
 * Whether a customer meets a group's conditions with `slack` points of tolerance (negative = must
 * clear the bar by that much). Every condition loosens as slack grows, which is what makes
 * classification with hysteresis idempotent. Day counts loosen by `slack` percent, gap multiples by a
 * tenth of a gap per point.
 *
 * valued: established (customer for establishedDays, minValuedOrders orders), value score at the bar,
 *   still active and not overdue against their own rhythm, mostly full price.
 * at_risk: the same profile if they were still buying, but P(alive) has fallen or they are overdue;
 *   lapsed (occasional) once P(alive) is below lostPAlive and they have been silent for lostAfterDays.
 * rising: not yet established, active, mostly full price, and trending toward valued: buying more
 *   often, spending more per order or using fewer discounts than before, or already at the valued bar.
 * volume: active, enough orders, volume score at the bar.
 */
export function qualifies(group: Group, m: GroupMetrics, t: Thresholds, slack: number): boolean {
  const p = slack / 100;
  switch (group) {
    case "new":
      return m.orders <= t.maxNewOrders && m.tenureDays < t.newWindowDays;
    case "valued":
      return (
        m.orders >= t.minValuedOrders &&
        m.tenureDays >= t.establishedDays * (1 - p) &&
        m.valueScore >= t.valuedEnter - slack &&
        m.pAlive >= t.atRiskPAlive - p &&
        m.overdueRatio < t.overdueGapMultiple + p * 10 &&
        m.discountShare <= t.maxValuedDiscountShare + p
      );
    case "at_risk":
      return (
        m.orders >= t.minValuedOrders &&
        m.tenureDays >= t.establishedDays * (1 - p) &&
        m.valueIfActive >= t.valuedEnter - slack &&
        m.discountShare <= t.maxValuedDiscountShare + p &&
        (m.pAlive >= t.lostPAlive - p || m.daysSinceLastOrder < t.lostAfterDays * (1 + p)) &&
        (m.pAlive < t.atRiskPAlive + p || m.overdueRatio >= t.overdueGapMultiple - p * 10)
      );
    case "rising":
      return (
        m.orders >= MIN_RISING_ORDERS &&
        m.tenureDays < t.establishedDays * (1 + p) &&
        m.pAlive >= t.activePAlive - p &&
        m.overdueRatio < t.overdueGapMultiple + p * 10 &&
        m.discountShare <= t.maxValuedDiscountShare + p &&
        m.valueScore >= t.risingEnter - slack &&
        (buyingMoreOften(m, t, p) || spendingMore(m, t, p) || fewerDiscounts(m, p) || m.valueScore >= t.valuedEnter - slack)
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

const pctValue = (v: number) => ({ pct: Math.round(v * 100) });
const days = (n: number): Message => msg("units.days", { count: n });

/** A duration as one whole number that renders as `durationMessage` does: days, months or tenths of years. */
function durationCode(days: number): number {
  if (days < 60) return days;
  if (days < 730) return 1000 + Math.round(days / 30.44);
  return 100_000 + Math.round((days / 365.25) * 10);
}

function durationMessage(code: number): Message {
  if (code < 1000) return days(code);
  if (code < 100_000) return msg("units.months", { count: code - 1000 });
  return msg("units.years", { years: ((code - 100_000) / 10).toFixed(1) });
}

const duration = (d: number) => durationMessage(durationCode(d));

function horizonMessage(weeks: number): Message {
  return weeks === 52 ? msg("units.horizon12Months") : msg("units.horizonWeeks", { count: weeks });
}

export interface Ranks {
  clv: number;
  margin: number;
  frequency: number;
}

const NO_ORDER_RANKS: Ranks = Object.freeze({ clv: 0, margin: 0.5, frequency: 0 });

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

function fillComponents(
  f: CustomerFeatures,
  pred: CustomerPrediction,
  ctx: ShopContext,
  t: Thresholds,
  known: Ranks | undefined,
): Ranks {
  const hasOrders = f.orders > 0;
  const ranks = hasOrders
    ? (known ?? {
        clv: percentileRank(ctx.clv, pred.clv),
        margin: percentileRank(ctx.marginRate, f.marginRate),
        frequency: percentileRank(ctx.ordersPerYear, f.ordersPerYear),
      })
    : NO_ORDER_RANKS;
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

/**
 * Reason texts are rendered from a few whole numbers (the ones the text shows), and cached per shop on
 * exactly those numbers: most customers share their texts, so a million customers cost a few thousand
 * strings rather than millions.
 */
interface TextTrie {
  next: Map<number, TextTrie>;
  text: Message | null;
  /** Frozen reasons with this text, by impact in tenths of a point: shared across customers. */
  reasons: Map<number, Reason> | null;
}

const newTrie = (): TextTrie => ({ next: new Map(), text: null, reasons: null });
const parts = new Float64Array(6);

function textNode(ctx: ShopContext, kind: string, count: number): TextTrie {
  let node: TextTrie | undefined = ctx.texts.get(kind);
  if (node === undefined) {
    node = newTrie();
    ctx.texts.set(kind, node);
  }
  for (let i = 0; i < count; i++) {
    let child: TextTrie | undefined = node.next.get(parts[i]);
    if (child === undefined) {
      child = newTrie();
      node.next.set(parts[i], child);
    }
    node = child;
  }
  return node;
}

const pctOf = (v: number) => Math.round(v * 100);
const pctText = (n: number) => ({ pct: n });

/** Percentile as shown: 1..50 = top N%, 101..150 = bottom N%. */
function rankCode(p: number): number {
  return p >= 0.5 ? Math.max(1, Math.round((1 - p) * 100)) : 100 + Math.max(1, Math.round(p * 100));
}

function rankMessage(code: number): Message {
  return code <= 100 ? msg("reasons.rank.top", { share: pctText(code) }) : msg("reasons.rank.bottom", { share: pctText(code - 100) });
}

/** Two significant figures: a reason is read, not reconciled; the exact figure is in predictedClv. */
function roughly(v: number): number {
  if (Math.abs(v) < 100) return Math.round(v);
  const magnitude = Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 1);
  return Math.round(v / magnitude) * magnitude;
}

function componentParts(
  component: ValueComponent | VolumeComponent,
  f: CustomerFeatures,
  pred: CustomerPrediction,
  ranks: Ranks,
): number {
  switch (component) {
    case "loyalty":
      parts[0] = f.x;
      parts[1] = pctOf(pred.pAlive ?? 0);
      return 2;
    case "clv":
      parts[0] = roughly(pred.clv);
      parts[1] = rankCode(ranks.clv);
      return 2;
    case "margin":
    case "lowMargin":
      parts[0] = pctOf(f.marginRate);
      parts[1] = f.marginEstimated ? pctOf(1 - f.knownCostShare) : -1;
      return 2;
    case "lowDiscount":
    case "discount":
      parts[0] = f.orders === 0 ? -1 : pctOf(f.discountedOrderShare);
      parts[1] = f.discountedOrderShare > 0 ? 1 : 0;
      parts[2] = f.codeOrderShare > 0 ? pctOf(f.codeOrderShare) : -1;
      parts[3] = f.automaticOrderShare > 0 ? pctOf(f.automaticOrderShare) : -1;
      parts[4] = f.markdownOrderShare > 0 ? pctOf(f.markdownOrderShare) : -1;
      return 5;
    case "lowRefunds":
      parts[0] = f.refundRate === 0 && !f.returnRate ? -1 : pctOf(f.refundRate);
      parts[1] = f.returnRate ? pctOf(f.returnRate) : -1;
      return 2;
    case "consent":
      parts[0] = f.acceptsMarketing ? 1 : 0;
      return 1;
    case "tenure":
      parts[0] = f.orders === 0 ? -1 : f.tenureDays;
      return 1;
    case "frequency":
      parts[0] = Math.round(f.ordersPerYear * 10);
      return 1;
    case "priceSensitivity":
      parts[0] = f.discountDepth === 0 ? -1 : pctOf(f.discountDepth);
      return 1;
  }
}

function renderComponent(component: ValueComponent | VolumeComponent, p: Float64Array, ctx: ShopContext): Message {
  switch (component) {
    case "loyalty":
      return p[0] === 0 ? msg("reasons.loyalty.noRepeat") : msg("reasons.loyalty.active", { active: pctText(p[1]), count: p[0] });
    case "clv":
      return msg("reasons.clv", { horizon: horizonMessage(ctx.horizonWeeks), profit: p[0], rank: rankMessage(p[1]) });
    case "margin":
    case "lowMargin": {
      const values = { margin: pctText(p[0]), median: pctValue(ctx.medianMarginRate) };
      return p[1] >= 0 ? msg("reasons.margin.estimated", { ...values, uncosted: pctText(p[1]) }) : msg("reasons.margin.known", values);
    }
    case "lowDiscount":
    case "discount": {
      if (p[0] === -1) return msg("reasons.noOrders");
      if (p[1] === 0) return msg("reasons.discount.none");
      const detail = [
        p[2] >= 0 ? msg("reasons.discount.codes", { share: pctText(p[2]) }) : null,
        p[3] >= 0 ? msg("reasons.discount.automatic", { share: pctText(p[3]) }) : null,
        p[4] >= 0 ? msg("reasons.discount.markdowns", { share: pctText(p[4]) }) : null,
      ].filter((x) => x !== null);
      return detail.length > 0
        ? msg("reasons.discount.detailed", { share: pctText(p[0]), detail: { list: detail, style: "items" } })
        : msg("reasons.discount.some", { share: pctText(p[0]) });
    }
    case "lowRefunds":
      if (p[0] === -1) return msg("reasons.refunds.none");
      return p[1] >= 0 ? msg("reasons.refunds.withReturns", { refunds: pctText(p[0]), returns: pctText(p[1]) }) : msg("reasons.refunds.some", { refunds: pctText(p[0]) });
    case "consent":
      return p[0] === 1 ? msg("reasons.consent.yes") : msg("reasons.consent.no");
    case "tenure":
      return p[0] === -1 ? msg("reasons.noOrders") : msg("reasons.tenure", { duration: duration(p[0]) });
    case "frequency":
      return msg("reasons.frequency", { perYear: (p[0] / 10).toFixed(1), median: ctx.medianOrdersPerYear.toFixed(1) });
    case "priceSensitivity":
      return p[0] === -1 ? msg("reasons.depth.fullPrice") : msg("reasons.depth.average", { depth: pctText(p[0]) });
  }
}

function componentReason(
  component: ValueComponent | VolumeComponent,
  part: number,
  weight: number,
  score: "value" | "volume",
  f: CustomerFeatures,
  pred: CustomerPrediction,
  ranks: Ranks,
  ctx: ShopContext,
): Reason {
  const node = textNode(ctx, component, componentParts(component, f, pred, ranks));
  if (node.text === null) node.text = renderComponent(component, parts, ctx);
  const impactTenths = Math.round(1000 * weight * (part - 0.5));
  if (node.reasons === null) node.reasons = new Map();
  let reason = node.reasons.get(impactTenths);
  if (reason === undefined) {
    const impact = impactTenths / 10;
    reason = Object.freeze({
      code: REASON_CODE[component],
      message: node.text,
      score,
      direction: impact > 0.05 ? "up" : impact < -0.05 ? "down" : "neutral",
      impact,
      weight: round1(100 * weight),
    } as const);
    node.reasons.set(impactTenths, reason);
  }
  return reason;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Marks in `taken` (bit i) the `limit` components with the largest |impact|, ties in declaration order,
 * skipping those in `excluded`. Bitmasks keep this allocation-free.
 */
function strongest(parts: Float64Array, weights: Float64Array, limit: number, excluded: number): number {
  let taken = 0;
  for (let n = 0; n < limit; n++) {
    let best = -1;
    let bestImpact = -1;
    for (let i = 0; i < parts.length; i++) {
      if (weights[i] <= 0 || (taken | excluded) & (1 << i)) continue;
      const impact = Math.abs(weights[i] * (parts[i] - 0.5));
      if (impact > bestImpact) {
        best = i;
        bestImpact = impact;
      }
    }
    if (best === -1) break;
    taken |= 1 << best;
    order[n] = best;
  }
  return taken;
}
const order = new Int32Array(8);

function groupParts(group: Group, f: CustomerFeatures, pred: CustomerPrediction, m: GroupMetrics, t: Thresholds, ctx: ShopContext): number {
  switch (group) {
    case "new":
      parts[0] = f.orders === 0 ? 0 : 1;
      parts[1] = f.tenureDays;
      return 2;
    case "valued":
      parts[0] = Math.round(m.valueScore);
      parts[1] = f.x === 0 ? -1 : pctOf(m.pAlive);
      parts[2] = f.x === 0 ? (f.daysSinceLastOrder ?? 0) : -1;
      return 3;
    case "at_risk":
      parts[0] = f.x === 0 ? -1 : pctOf(m.pAlive);
      parts[1] = f.daysSinceLastOrder ?? 0;
      parts[2] = Math.round(f.x === 0 ? ctx.storeGapDays : meanGapDays(f));
      return 3;
    case "rising": {
      const recent = fewerDiscounts(m, 0);
      // Trends to the nearest 5%: they are read as a direction and a size, and it keeps texts shared.
      parts[0] = buyingMoreOften(m, t, 0) ? 5 * Math.round(pctOf(1 - m.gapTrend!) / 5) : -1;
      parts[1] = spendingMore(m, t, 0) ? 5 * Math.round(pctOf(m.spendTrend! - 1) / 5) : -1;
      parts[2] = recent ? pctOf(m.recentDiscountShare) : -1;
      parts[3] = recent ? pctOf(m.discountShare) : -1;
      parts[4] = durationCode(f.tenureDays);
      parts[5] = parts[0] < 0 && parts[1] < 0 && parts[2] < 0 ? Math.round(m.valueScore) : -1;
      return 6;
    }
    case "volume":
      parts[0] = Math.round(m.volumeScore);
      parts[1] = f.orders;
      return 2;
    case "occasional":
      if (f.orders <= 1) {
        parts[0] = f.orders;
        parts[1] = f.daysSinceLastOrder ?? 0;
      } else if (f.x === 0 && m.pAlive < t.atRiskPAlive) {
        parts[0] = 5;
        parts[1] = durationCode(f.daysSinceLastOrder ?? 0) * 10_000 + Math.round(ctx.storeGapDays);
      } else if (pred.pAlive !== null && pred.pAlive < t.lostPAlive) {
        parts[0] = 2;
        parts[1] = pctOf(pred.pAlive) * 1_000_000 + durationCode(f.daysSinceLastOrder ?? 0);
      } else if (f.orders < t.minValuedOrders && m.valueScore >= t.valuedEnter) {
        parts[0] = 4;
        parts[1] = Math.round(m.valueScore) * 1000 + f.orders;
      } else {
        parts[0] = 3;
        parts[1] = Math.round(m.valueScore) * 1000 + Math.round(m.volumeScore);
      }
      return 2;
  }
}

function renderGroup(group: Group, p: Float64Array, t: Thresholds): Message {
  switch (group) {
    case "new":
      return p[0] === 0 ? msg("reasons.group.new.signedUp", { ago: days(p[1]) }) : msg("reasons.group.new.firstOrder", { ago: days(p[1]) });
    case "valued":
      return p[1] < 0
        ? msg("reasons.group.valued.oneDay", { score: p[0], from: t.valuedEnter, ago: days(p[2]) })
        : msg("reasons.group.valued.active", { score: p[0], from: t.valuedEnter, active: pctText(p[1]) });
    case "at_risk":
      return p[0] < 0
        ? msg("reasons.group.atRisk.noRepeat", { since: days(p[1]), usual: days(p[2]) })
        : msg("reasons.group.atRisk.overdue", { active: pctText(p[0]), since: days(p[1]), usual: days(p[2]) });
    case "rising": {
      const since = durationMessage(p[4]);
      if (p[5] >= t.valuedEnter) {
        return msg("reasons.group.rising.established", { score: p[5], since, established: duration(t.establishedDays) });
      }
      // Kept in rising by hysteresis, no trend clearing its bar any more.
      if (p[5] >= 0) return msg("reasons.group.rising.kept", { score: p[5], from: t.valuedEnter, since });
      const trends = [
        p[0] >= 0 ? msg("reasons.group.rising.moreOften", { shorter: pctText(p[0]) }) : null,
        p[1] >= 0 ? msg("reasons.group.rising.larger", { larger: pctText(p[1]) }) : null,
        p[2] >= 0 ? msg("reasons.group.rising.fewerDiscounts", { recent: pctText(p[2]), before: pctText(p[3]) }) : null,
      ].filter((x) => x !== null);
      return msg("reasons.group.rising.trends", { trends: { list: trends, style: "clauses" }, since });
    }
    case "volume":
      return msg("reasons.group.volume", { score: p[0], from: t.volumeEnter, count: p[1] });
    case "occasional":
      if (p[0] === 0) return msg("reasons.group.occasional.noOrders");
      if (p[0] === 1) return msg("reasons.group.occasional.oneOrder", { ago: days(p[1]) });
      if (p[0] === 2) {
        const code = p[1] % 1_000_000;
        return msg("reasons.group.occasional.lapsed", { active: pctText((p[1] - code) / 1_000_000), silence: durationMessage(code) });
      }
      if (p[0] === 5) {
        return msg("reasons.group.occasional.lapsedNoRepeat", { silence: durationMessage(Math.floor(p[1] / 10_000)), usual: days(p[1] % 10_000) });
      }
      if (p[0] === 4) {
        return msg("reasons.group.occasional.fewOrders", { score: Math.floor(p[1] / 1000), count: p[1] % 1000, from: t.minValuedOrders });
      }
      return msg("reasons.group.occasional.neither", { value: Math.floor(p[1] / 1000), volume: p[1] % 1000 });
  }
}

function groupReason(
  group: Group,
  f: CustomerFeatures,
  pred: CustomerPrediction,
  m: GroupMetrics,
  t: Thresholds,
  ctx: ShopContext,
): Reason {
  const node = textNode(ctx, group, groupParts(group, f, pred, m, t, ctx));
  if (node.text === null) node.text = renderGroup(group, parts, t);
  if (node.reasons === null) node.reasons = new Map();
  let reason = node.reasons.get(0);
  if (reason === undefined) {
    reason = Object.freeze({ code: "group", message: node.text, score: "group", direction: "neutral", impact: 0, weight: 0 } as const);
    node.reasons.set(0, reason);
  }
  return reason;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

function meanGapDays(f: CustomerFeatures): number {
  return f.x > 0 ? (f.tx * 7) / f.x : 0;
}

/**
 * What stands in for P(alive) in the group rules when x = 0: BG/NBD gives exactly 1 there
 * (no repeat, so no evidence of dropping out), which would keep a customer silent for years
 * "active". Instead: 1 within the store's usual gap between purchases, then decaying by e
 * for each further gap of silence (0.37 at two gaps, 0.14 at three, 0.05 at four).
 */
export function silenceActivity(f: Pick<CustomerFeatures, "daysSinceLastOrder">, ctx: Pick<ShopContext, "storeGapDays">): number {
  const silence = f.daysSinceLastOrder ?? 0;
  return silence <= ctx.storeGapDays ? 1 : Math.exp(-(silence - ctx.storeGapDays) / ctx.storeGapDays);
}

export function classifyCustomer(
  f: CustomerFeatures,
  pred: CustomerPrediction,
  ctx: ShopContext,
  config: ScoringConfig,
  previous?: Group,
  /** Percentiles already computed for the whole shop (see percentileRanks); looked up in ctx otherwise. */
  knownRanks?: Ranks,
): Classification {
  const t = config.thresholds;
  const w = weightsOf(config);
  const ranks = fillComponents(f, pred, ctx, t, knownRanks);
  const valueScore = weighted(valueParts, w.value);
  const volumeScore = weighted(volumeParts, w.volume);
  const valueIfActive = valueScore + 100 * w.value[LOYALTY] * (Math.min(1, f.x / t.loyalRepeatPurchases) - valueParts[LOYALTY]);
  const metrics: GroupMetrics = {
    orders: f.orders,
    tenureDays: f.tenureDays,
    valueScore,
    valueIfActive,
    volumeScore,
    pAlive: f.orders > 0 && f.x === 0 ? silenceActivity(f, ctx) : (pred.pAlive ?? 0),
    discountShare: f.discountedOrderShare,
    recentDiscountShare: f.recentDiscountShare,
    overdueRatio:
      f.x > 0 && f.tx > 0
        ? (f.daysSinceLastOrder ?? 0) / meanGapDays(f)
        : f.orders > 0 && f.x === 0
          ? (f.daysSinceLastOrder ?? 0) / ctx.storeGapDays
          : 0,
    daysSinceLastOrder: f.daysSinceLastOrder ?? 0,
    gapTrend: f.gapTrend,
    spendTrend: f.spendTrend,
  };
  const validPrevious = previous !== undefined && GROUPS.includes(previous) ? previous : undefined;
  const { group, held } = decideGroup(metrics, t, validPrevious);
  const reasons: Reason[] = [groupReason(group, f, pred, metrics, t, ctx)];
  if (held) {
    reasons.push({
      code: "held",
      message: msg("reasons.held", { group: msg(`groups.inSentence.${group}`), band: t.hysteresis }),
      score: "group",
      direction: "neutral",
      impact: 0,
      weight: 0,
    });
  }
  const limit = config.reasons.perScore;
  const valueTaken = strongest(valueParts, w.value, limit, 0);
  const valueCount = popcount(valueTaken);
  for (let n = 0; n < valueCount; n++) {
    const i = order[n];
    reasons.push(componentReason(VALUE_COMPONENTS[i], valueParts[i], w.value[i], "value", f, pred, ranks, ctx));
  }
  // The same fact (discount share, margin) often drives both scores; say it once, under the value score.
  let twins = 0;
  for (let i = 0; i < TWIN_OF_VOLUME.length; i++) {
    if (TWIN_OF_VOLUME[i] >= 0 && valueTaken & (1 << TWIN_OF_VOLUME[i])) twins |= 1 << i;
  }
  const volumeCount = popcount(strongest(volumeParts, w.volume, limit, twins));
  for (let n = 0; n < volumeCount; n++) {
    const i = order[n];
    reasons.push(componentReason(VOLUME_COMPONENTS[i], volumeParts[i], w.volume[i], "volume", f, pred, ranks, ctx));
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
