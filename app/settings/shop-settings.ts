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
