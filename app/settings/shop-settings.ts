import { z } from "zod";
import { PRESET_NAMES, scoringOverridesSchema } from "../scoring";

// A shop's Patron settings, kept as JSON on Shop.settings. Unknown or missing keys
// fall back to the defaults, so older rows keep working as settings are added.
export const shopSettingsSchema = z.object({
  preset: z.enum(PRESET_NAMES).default("balanced"),
  overrides: scoringOverridesSchema.default({}),
  defaultMarginRate: z.number().min(0).max(1).default(0.4),
  tagPrefix: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9_-]*:$/i, "must be letters, digits, '-' or '_' and end with ':'")
    .default("patron:"),
  autoTagging: z.boolean().default(true),
  metafields: z.boolean().default(true),
  flowTrigger: z.boolean().default(true),
});

export type ShopSettings = z.infer<typeof shopSettingsSchema>;

export const DEFAULT_SETTINGS: ShopSettings = shopSettingsSchema.parse({});

/** Reads stored settings leniently: a bad stored value falls back to its default rather than stopping scoring. */
export function readSettings(stored: unknown): ShopSettings {
  const source = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(shopSettingsSchema.shape) as (keyof ShopSettings)[]) {
    const parsed = shopSettingsSchema.shape[key].safeParse(source[key]);
    settings[key] = parsed.success ? parsed.data : DEFAULT_SETTINGS[key];
  }
  return settings as ShopSettings;
}

export interface OverrideField {
  section: "valueWeights" | "volumeWeights" | "thresholds" | "vip";
  key: string;
  label: string;
  kind: "number" | "text";
  help?: string;
}

const field = (section: OverrideField["section"], key: string, label: string, help?: string, kind: OverrideField["kind"] = "number"): OverrideField => ({
  section,
  key,
  label,
  kind,
  help,
});

/** The scoring overrides the settings page offers: the ones a merchant has reason to tune. */
export const OVERRIDE_FIELDS: OverrideField[] = [
  field("valueWeights", "loyalty", "Loyalty (repeat purchases)"),
  field("valueWeights", "clv", "Predicted lifetime value"),
  field("valueWeights", "margin", "Margin"),
  field("valueWeights", "lowDiscount", "Buys without discounts"),
  field("valueWeights", "lowRefunds", "Few refunds"),
  field("valueWeights", "consent", "Marketing consent"),
  field("valueWeights", "tenure", "Tenure"),
  field("volumeWeights", "frequency", "Order frequency"),
  field("volumeWeights", "discount", "Discount use"),
  field("volumeWeights", "lowMargin", "Low margin"),
  field("volumeWeights", "priceSensitivity", "Discount depth"),
  field("thresholds", "valuedEnter", "Value score to become valued", "0–100"),
  field("thresholds", "risingEnter", "Value score to count as rising", "0–100, below the valued score"),
  field("thresholds", "volumeEnter", "Volume score to become volume", "0–100"),
  field("thresholds", "hysteresis", "Hysteresis band", "Points the evidence must move before a customer changes group (0–30)"),
  field("thresholds", "minValuedOrders", "Orders needed to be valued"),
  field("thresholds", "minVolumeOrders", "Orders needed to be volume"),
  field("thresholds", "maxValuedDiscountShare", "Most discounted orders a valued customer may have", "A share, 0–1"),
  field("thresholds", "atRiskPAlive", "At risk below this probability of being active", "0–1"),
  field("thresholds", "newWindowDays", "Days a first-time customer counts as new"),
  field("vip", "mode", "Automatic VIP", "off, top_n or top_percent", "text"),
  field("vip", "value", "Automatic VIP size", "N customers for top N; a percentage of valued customers for top %"),
];
