import { z } from "zod";

export const PRESET_NAMES = ["luxury", "discount_retail", "subscription", "b2b", "balanced"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const weight = z.number().finite().min(0).max(100);
const share = z.number().finite().min(0).max(1);
const score = z.number().finite().min(0).max(100);

const valueWeightsSchema = z.strictObject({
  loyalty: weight,
  clv: weight,
  margin: weight,
  lowDiscount: weight,
  lowRefunds: weight,
  consent: weight,
  tenure: weight,
});

const volumeWeightsSchema = z.strictObject({
  frequency: weight,
  discount: weight,
  lowMargin: weight,
  priceSensitivity: weight,
});

const thresholdsSchema = z.strictObject({
  /** Value score needed to enter `valued`. */
  valuedEnter: score,
  /** Value score from which an active, not yet established repeat customer can count as `rising`. */
  risingEnter: score,
  /** Volume score needed to enter `volume`. */
  volumeEnter: score,
  /** Width of the hysteresis band, in score points (and percentage points for probabilities and shares). */
  hysteresis: z.number().finite().min(0).max(30),
  /** Orders a `valued` (or `at_risk`) profile needs: loyalty shows in repeat purchases. */
  minValuedOrders: z.number().int().min(1).max(100),
  /**
   * Days since the first order before loyalty counts as established (`valued`, `at_risk`). Before that,
   * an active full-price customer on their way there is `rising`.
   */
  establishedDays: z.number().int().min(0).max(3650),
  /**
   * How clearly a not yet established customer must be trending up to count as `rising`: recent gaps
   * between orders at least this much shorter than earlier ones, or recent orders this much larger.
   */
  risingTrend: z.number().finite().gt(0).max(1),
  minVolumeOrders: z.number().int().min(2).max(100),
  maxValuedDiscountShare: share,
  /** P(alive) below which a valued customer becomes `at_risk`. */
  atRiskPAlive: share,
  /** P(alive) below which an at-risk customer silent for lostAfterDays is considered lapsed (`occasional`). */
  lostPAlive: share,
  /** Days without an order before a valued profile with a low P(alive) stops being `at_risk` and counts as lapsed. */
  lostAfterDays: z.number().int().min(1).max(3650),
  /** P(alive) that `volume` and `rising` require. */
  activePAlive: share,
  /** A valued profile counts as at risk (and volume and rising as inactive) once this many of its usual gaps have passed without an order. */
  overdueGapMultiple: z.number().finite().min(1).max(20),
  newWindowDays: z.number().int().min(0).max(3650),
  maxNewOrders: z.number().int().min(1).max(10),
  /** Repeat purchases that earn full loyalty credit. */
  loyalRepeatPurchases: z.number().int().min(1).max(100),
  tenureTargetDays: z.number().int().min(1).max(3650),
  /** Discount depth that counts as fully price-sensitive. */
  depthCap: z.number().finite().gt(0).max(1),
  /** Refund rate that wipes out the low-refunds credit. */
  refundCap: z.number().finite().gt(0).max(1),
});

const modelSchema = z.strictObject({
  horizonWeeks: z.number().finite().gt(0).max(520),
  annualDiscountRate: z.number().finite().min(0).max(1),
  /** Below this many repeat customers the shop is scored with priors instead of a fitted model. */
  minRepeatCustomers: z.number().int().min(5).max(100_000),
});

const vipSchema = z.strictObject({
  mode: z.enum(["off", "top_n", "top_percent"]),
  /** N customers for top_n, a percentage (0–100] of valued customers for top_percent. */
  value: z.number().finite().min(0).max(1_000_000),
});

const reasonsSchema = z.strictObject({
  /** Component reasons kept per score, strongest first; the group reason is always kept. */
  perScore: z.number().int().min(0).max(7),
});

const configShape = {
  valueWeights: valueWeightsSchema,
  volumeWeights: volumeWeightsSchema,
  thresholds: thresholdsSchema,
  model: modelSchema,
  vip: vipSchema,
  reasons: reasonsSchema,
};

const positiveTotal = (w: Record<string, number>) => Object.values(w).reduce((s, v) => s + v, 0) > 0;

export const scoringConfigSchema = z
  .strictObject({ preset: z.enum(PRESET_NAMES), ...configShape })
  .superRefine((c, ctx) => {
    if (!positiveTotal(c.valueWeights)) {
      ctx.addIssue({ code: "custom", path: ["valueWeights"], message: "at least one value weight must be positive" });
    }
    if (!positiveTotal(c.volumeWeights)) {
      ctx.addIssue({ code: "custom", path: ["volumeWeights"], message: "at least one volume weight must be positive" });
    }
    const t = c.thresholds;
    if (t.risingEnter >= t.valuedEnter) {
      ctx.addIssue({ code: "custom", path: ["thresholds", "risingEnter"], message: "must be below valuedEnter" });
    }
    if (t.lostPAlive >= t.atRiskPAlive) {
      ctx.addIssue({ code: "custom", path: ["thresholds", "lostPAlive"], message: "must be below atRiskPAlive" });
    }
    if (c.vip.mode === "top_percent" && c.vip.value > 100) {
      ctx.addIssue({ code: "custom", path: ["vip", "value"], message: "a percentage must be at most 100" });
    }
  });

export type ScoringConfig = z.infer<typeof scoringConfigSchema>;
export type ValueWeights = ScoringConfig["valueWeights"];
export type VolumeWeights = ScoringConfig["volumeWeights"];
export type Thresholds = ScoringConfig["thresholds"];

/** Per-shop tuning: any subset of any section, merged on top of a preset. */
export const scoringOverridesSchema = z.strictObject({
  valueWeights: valueWeightsSchema.partial().optional(),
  volumeWeights: volumeWeightsSchema.partial().optional(),
  thresholds: thresholdsSchema.partial().optional(),
  model: modelSchema.partial().optional(),
  vip: vipSchema.partial().optional(),
  reasons: reasonsSchema.partial().optional(),
});
export type ScoringOverrides = z.infer<typeof scoringOverridesSchema>;

const BALANCED: ScoringConfig = {
  preset: "balanced",
  valueWeights: { loyalty: 25, clv: 20, margin: 20, lowDiscount: 15, lowRefunds: 8, consent: 4, tenure: 8 },
  volumeWeights: { frequency: 35, discount: 30, lowMargin: 20, priceSensitivity: 15 },
  thresholds: {
    valuedEnter: 62,
    risingEnter: 48,
    volumeEnter: 55,
    hysteresis: 5,
    minValuedOrders: 4,
    establishedDays: 365,
    risingTrend: 0.25,
    minVolumeOrders: 4,
    maxValuedDiscountShare: 0.5,
    atRiskPAlive: 0.5,
    lostPAlive: 0.1,
    lostAfterDays: 365,
    activePAlive: 0.6,
    overdueGapMultiple: 2,
    newWindowDays: 60,
    maxNewOrders: 2,
    loyalRepeatPurchases: 3,
    tenureTargetDays: 365,
    depthCap: 0.3,
    refundCap: 0.5,
  },
  model: { horizonWeeks: 52, annualDiscountRate: 0, minRepeatCustomers: 30 },
  vip: { mode: "top_percent", value: 5 },
  reasons: { perScore: 3 },
};

/**
 * Luxury/premium: margin and full-price buying define a valued customer; discounts are a red flag; purchases
 *   are few, so fewer orders show loyalty and a silent customer is given longer before counting as lapsed.
 * Discount retail: discounts are normal, so they count less against value, and both valued and volume
 *   need more orders.
 * Subscription: loyalty and tenure dominate, a missed cycle matters sooner, and six months of renewals
 *   establish a customer.
 * B2B: few, large, regular orders; value and tenure dominate, consent hardly matters, purchase cycles are long.
 */
export const PRESETS: Record<PresetName, ScoringConfig> = {
  balanced: BALANCED,
  luxury: {
    ...BALANCED,
    preset: "luxury",
    valueWeights: { loyalty: 20, clv: 22, margin: 25, lowDiscount: 20, lowRefunds: 6, consent: 3, tenure: 4 },
    volumeWeights: { frequency: 25, discount: 35, lowMargin: 25, priceSensitivity: 15 },
    thresholds: {
      ...BALANCED.thresholds,
      valuedEnter: 60,
      risingEnter: 45,
      volumeEnter: 50,
      maxValuedDiscountShare: 0.3,
      minValuedOrders: 3,
      lostAfterDays: 540,
      newWindowDays: 90,
      loyalRepeatPurchases: 2,
      depthCap: 0.2,
    },
    vip: { mode: "top_percent", value: 10 },
  },
  discount_retail: {
    ...BALANCED,
    preset: "discount_retail",
    valueWeights: { loyalty: 30, clv: 25, margin: 20, lowDiscount: 5, lowRefunds: 10, consent: 5, tenure: 5 },
    volumeWeights: { frequency: 45, discount: 20, lowMargin: 20, priceSensitivity: 15 },
    thresholds: {
      ...BALANCED.thresholds,
      valuedEnter: 65,
      volumeEnter: 55,
      maxValuedDiscountShare: 0.75,
      minValuedOrders: 5,
      minVolumeOrders: 5,
      newWindowDays: 45,
      loyalRepeatPurchases: 4,
      depthCap: 0.4,
    },
    vip: { mode: "top_percent", value: 2 },
  },
  subscription: {
    ...BALANCED,
    preset: "subscription",
    valueWeights: { loyalty: 35, clv: 20, margin: 10, lowDiscount: 10, lowRefunds: 5, consent: 5, tenure: 15 },
    thresholds: {
      ...BALANCED.thresholds,
      atRiskPAlive: 0.6,
      activePAlive: 0.7,
      overdueGapMultiple: 1.5,
      minValuedOrders: 5,
      establishedDays: 180,
      lostAfterDays: 180,
      newWindowDays: 45,
      loyalRepeatPurchases: 6,
    },
    model: { ...BALANCED.model, horizonWeeks: 52 },
  },
  b2b: {
    ...BALANCED,
    preset: "b2b",
    valueWeights: { loyalty: 25, clv: 30, margin: 20, lowDiscount: 10, lowRefunds: 5, consent: 0, tenure: 10 },
    volumeWeights: { frequency: 30, discount: 25, lowMargin: 30, priceSensitivity: 15 },
    thresholds: {
      ...BALANCED.thresholds,
      minValuedOrders: 3,
      minVolumeOrders: 4,
      lostAfterDays: 730,
      newWindowDays: 120,
      tenureTargetDays: 730,
      activePAlive: 0.5,
    },
    vip: { mode: "top_n", value: 20 },
  },
};

/** A refusal: `issues` as "path: reason" lines (logs, the CLI), `zodIssues` for a form to word in the merchant's language. */
export interface ConfigRefusal {
  ok: false;
  issues: string[];
  zodIssues: readonly z.core.$ZodIssue[];
}

export type ConfigResult = { ok: true; config: ScoringConfig } | ConfigRefusal;

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`);
}

/** Validates untrusted per-shop overrides (e.g. from a settings form or the database). */
export function parseOverrides(input: unknown): { ok: true; overrides: ScoringOverrides } | ConfigRefusal {
  const parsed = scoringOverridesSchema.safeParse(input);
  return parsed.success ? { ok: true, overrides: parsed.data } : { ok: false, issues: describeIssues(parsed.error), zodIssues: parsed.error.issues };
}

export function resolveConfig(preset: PresetName, overrides: unknown = {}): ConfigResult {
  const parsedOverrides = parseOverrides(overrides);
  if (!parsedOverrides.ok) return parsedOverrides;
  const base = PRESETS[preset];
  const o = parsedOverrides.overrides;
  const merged = {
    preset,
    valueWeights: { ...base.valueWeights, ...o.valueWeights },
    volumeWeights: { ...base.volumeWeights, ...o.volumeWeights },
    thresholds: { ...base.thresholds, ...o.thresholds },
    model: { ...base.model, ...o.model },
    vip: { ...base.vip, ...o.vip },
    reasons: { ...base.reasons, ...o.reasons },
  };
  const parsed = scoringConfigSchema.safeParse(merged);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, issues: describeIssues(parsed.error), zodIssues: parsed.error.issues };
}
