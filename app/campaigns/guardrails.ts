import { msg, type Message } from "../i18n/message";
import type { Group } from "../scoring";

// What a discount would cost and whether it should be sent at all. Pure: the
// audience's scores and the discount in, a projection and guardrails out.

export type DiscountKind = "percentage" | "fixed_amount" | "free_shipping";
export type AudienceKind = "group" | "customers" | "filter" | "all";

export interface AudienceCustomer {
  customerId: string;
  /** Null until the customer has been scored. */
  group: Group | null;
  vip: boolean;
  orders: number;
  /** Lifetime net revenue. */
  revenue: number;
  marginRate: number;
  /** Expected purchases over the model horizon. */
  expectedPurchases: number;
}

export interface DiscountTerms {
  kind: DiscountKind;
  /** Percentage points (0–100) or an amount off the order; ignored for free shipping. */
  value: number;
  /** What the merchant pays to ship an order, given away by free shipping. */
  shippingCostPerOrder: number;
  windowDays: number;
  oncePerCustomer: boolean;
  usageLimit: number | null;
}

export interface ProjectionContext {
  horizonWeeks: number;
  /** For customers without orders: the shop's average order value and default margin. */
  fallbackOrderValue: number;
  defaultMarginRate: number;
  /** Each customer given stands for this many (a sampled audience); 1 when all are given. */
  scale?: number;
}

export interface Projection {
  customers: number;
  expectedRedemptions: number;
  averageOrderValue: number;
  /** Revenue of the redeeming orders after the discount. */
  revenue: number;
  /** What the discount gives away on those orders. */
  discountCost: number;
  marginBefore: number;
  marginAfter: number;
  /** Margin after the discount as a share of revenue after it; null with no revenue. */
  marginRateAfter: number | null;
  /** Customers whose typical order would be sold at a loss with the discount. */
  lossMakingCustomers: number;
}

export type GuardrailCode =
  | "margin_negative"
  | "loss_making_customers"
  | "margin_thin"
  | "valued_in_audience"
  | "volume_in_broad_promotion"
  | "empty_audience"
  | "too_small_to_measure"
  | "control_too_small";

export type Severity = "block" | "warning" | "info";
export type Verdict = "ok" | "warn" | "block";

export interface Guardrail {
  code: GuardrailCode;
  severity: Severity;
  /** What the merchant reads (keys under `guardrails.`), in their language. */
  message: Message;
  suggestions?: Message[];
}

export const NON_DISCOUNT_PERKS: Message[] = ["earlyAccess", "freeGift", "thankYouNote", "prioritySupport"].map((perk) => msg(`guardrails.perks.${perk}`));

const THIN_MARGIN_RATE = 0.1;
const MIN_ARM_FOR_UPLIFT = 30;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Drops volume customers when the merchant keeps them out of a broad promotion. */
export function selectAudience<T extends Pick<AudienceCustomer, "group">>(customers: readonly T[], excludeVolume: boolean): T[] {
  return excludeVolume ? customers.filter((c) => c.group !== "volume") : [...customers];
}

function discountPerOrder(terms: DiscountTerms, orderValue: number): number {
  if (terms.kind === "percentage") return (orderValue * Math.min(Math.max(terms.value, 0), 100)) / 100;
  if (terms.kind === "fixed_amount") return Math.min(Math.max(terms.value, 0), orderValue);
  return Math.max(terms.shippingCostPerOrder, 0);
}

/**
 * Expected redemptions × order value × depth. A customer's purchases in the window
 * are their horizon's expected purchases scaled to the window's length; once per
 * customer, a redemption is the chance of at least one purchase (Poisson).
 */
export function projectCost(customers: readonly AudienceCustomer[], terms: DiscountTerms, ctx: ProjectionContext): Projection {
  const scale = ctx.scale ?? 1;
  const windowShare = Math.max(terms.windowDays, 0) / Math.max(ctx.horizonWeeks * 7, 1);
  let redemptions = 0;
  let revenueBefore = 0;
  let discount = 0;
  let marginBefore = 0;
  let lossMaking = 0;
  for (const c of customers) {
    const orderValue = c.orders > 0 ? c.revenue / c.orders : ctx.fallbackOrderValue;
    const marginRate = c.orders > 0 ? c.marginRate : ctx.defaultMarginRate;
    const purchases = Math.max(c.expectedPurchases, 0) * windowShare;
    const uses = terms.oncePerCustomer ? 1 - Math.exp(-purchases) : purchases;
    const off = discountPerOrder(terms, orderValue);
    if (orderValue * marginRate - off < 0) lossMaking += scale;
    redemptions += uses * scale;
    revenueBefore += uses * orderValue * scale;
    discount += uses * off * scale;
    marginBefore += uses * orderValue * marginRate * scale;
  }
  // A usage limit caps redemptions; the cap falls evenly on every expected use.
  const capped = terms.usageLimit !== null && redemptions > terms.usageLimit ? terms.usageLimit / redemptions : 1;
  const shipping = terms.kind === "free_shipping";
  const revenue = (revenueBefore - (shipping ? 0 : discount)) * capped;
  const marginAfter = (marginBefore - discount) * capped;
  return {
    customers: Math.round(customers.length * scale),
    expectedRedemptions: round2(redemptions * capped),
    averageOrderValue: redemptions > 0 ? round2(revenueBefore / redemptions) : round2(ctx.fallbackOrderValue),
    revenue: round2(revenue),
    discountCost: round2(discount * capped),
    marginBefore: round2(marginBefore * capped),
    marginAfter: round2(marginAfter),
    marginRateAfter: revenue > 0 ? Math.round((marginAfter / revenue) * 1000) / 1000 : null,
    lossMakingCustomers: Math.round(lossMaking),
  };
}

export interface GuardrailInput {
  audience: AudienceKind;
  /** The customers who would get the code (hold-outs removed, volume excluded if asked). */
  customers: readonly Pick<AudienceCustomer, "group" | "vip">[];
  /** Volume customers in the audience before any exclusion. */
  volumeBeforeExclusion: number;
  excludeVolume: boolean;
  controlShare: number;
  projection: Projection;
  /** Each customer given stands for this many. */
  scale?: number;
  /** The shop's currency (ISO 4217), for the amounts the messages name. */
  currency: string;
}

export function guardrails(input: GuardrailInput): Guardrail[] {
  const out: Guardrail[] = [];
  const scale = input.scale ?? 1;
  const p = input.projection;
  const count = (pred: (c: Pick<AudienceCustomer, "group" | "vip">) => boolean) => Math.round(input.customers.filter(pred).length * scale);
  const money = (n: number) => ({ amount: round2(n), currency: input.currency });

  if (p.customers === 0) {
    out.push({ code: "empty_audience", severity: "block", message: msg("guardrails.emptyAudience") });
    return out;
  }
  if (p.expectedRedemptions > 0 && p.marginAfter < 0) {
    out.push({
      code: "margin_negative",
      severity: "block",
      message: msg("guardrails.marginNegative", { margin: money(p.marginBefore), cost: money(p.discountCost) }),
    });
  } else if (p.lossMakingCustomers > 0) {
    out.push({
      code: "loss_making_customers",
      severity: "warning",
      message: msg("guardrails.lossMaking", { losing: p.lossMakingCustomers, customers: p.customers }),
    });
  }
  if (p.marginRateAfter !== null && p.marginAfter >= 0 && p.marginRateAfter < THIN_MARGIN_RATE) {
    out.push({
      code: "margin_thin",
      severity: "warning",
      message: msg("guardrails.marginThin", { rate: { pct: Math.round(p.marginRateAfter * 100) } }),
    });
  }

  const valued = count((c) => c.group === "valued" || c.group === "at_risk" || c.vip);
  if (valued > 0) {
    out.push({
      code: "valued_in_audience",
      severity: "warning",
      message: msg("guardrails.valuedInAudience", { count: valued }),
      suggestions: NON_DISCOUNT_PERKS,
    });
  }
  if (input.audience !== "group" && !input.excludeVolume && input.volumeBeforeExclusion > 0) {
    out.push({
      code: "volume_in_broad_promotion",
      severity: "warning",
      message: msg("guardrails.volumeInPromotion", { count: input.volumeBeforeExclusion }),
    });
  }
  if (p.expectedRedemptions < 1) {
    out.push({ code: "too_small_to_measure", severity: "info", message: msg("guardrails.tooSmall") });
  }
  const holdouts = Math.round((p.customers / Math.max(1 - input.controlShare, 1e-9)) * input.controlShare);
  if (input.controlShare > 0 && holdouts < MIN_ARM_FOR_UPLIFT) {
    out.push({
      code: "control_too_small",
      severity: "info",
      message: msg("guardrails.controlTooSmall", { holdouts, needed: MIN_ARM_FOR_UPLIFT }),
    });
  }
  return out;
}

export function verdict(rails: readonly Guardrail[]): Verdict {
  if (rails.some((r) => r.severity === "block")) return "block";
  if (rails.some((r) => r.severity === "warning")) return "warn";
  return "ok";
}
