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

/** A scoring override the settings page offers. Its label (and help, when `help`) are the locale keys `settings.fields.<section>.<key>.label` / `.help`. */
export interface OverrideField {
  section: "valueWeights" | "volumeWeights" | "thresholds" | "vip";
  key: string;
  /** "choice": one of `choices`, each labelled by `settings.fields.<section>.<key>.choices.<choice>`. */
  kind: "number" | "choice";
  help: boolean;
  choices?: readonly string[];
}

const field = (section: OverrideField["section"], key: string, help = false): OverrideField => ({ section, key, kind: "number", help });

/** The scoring overrides the settings page offers: the ones a merchant has reason to tune. */
export const OVERRIDE_FIELDS: OverrideField[] = [
  field("valueWeights", "loyalty"),
  field("valueWeights", "clv"),
  field("valueWeights", "margin"),
  field("valueWeights", "lowDiscount"),
  field("valueWeights", "lowRefunds"),
  field("valueWeights", "consent"),
  field("valueWeights", "tenure"),
  field("volumeWeights", "frequency"),
  field("volumeWeights", "discount"),
  field("volumeWeights", "lowMargin"),
  field("volumeWeights", "priceSensitivity"),
  field("thresholds", "valuedEnter", true),
  field("thresholds", "risingEnter", true),
  field("thresholds", "volumeEnter", true),
  field("thresholds", "hysteresis", true),
  field("thresholds", "minValuedOrders"),
  field("thresholds", "minVolumeOrders"),
  field("thresholds", "maxValuedDiscountShare", true),
  field("thresholds", "atRiskPAlive", true),
  field("thresholds", "newWindowDays"),
  { section: "vip", key: "mode", kind: "choice", help: false, choices: ["off", "top_n", "top_percent"] },
  field("vip", "value", true),
];
