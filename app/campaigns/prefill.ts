import { z } from "zod";
import { GROUPS } from "../scoring/types";

// Links into the new-campaign form that fill some of its fields (a persona's play, say):
// `/app/campaigns/new?audience=group:volume&discountKind=percentage&value=10&days=14`.
// The merchant still reviews the guardrails and confirms; nothing is created by the link.

const onOff = z.enum(["on", "off"]).transform((v) => (v === "on" ? "on" : ""));

const prefillSchema = z.object({
  title: z.string().trim().min(1).max(120).optional(),
  audience: z.string().regex(new RegExp(`^(group:(${GROUPS.join("|")})|all)$`), "must be group:<group> or all").optional(),
  discountKind: z.enum(["percentage", "fixed_amount", "free_shipping"]).optional(),
  value: z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, "must be a plain number").optional(),
  days: z.coerce.number().int().min(1).max(365).optional(),
  oncePerCustomer: onOff.optional(),
  combinesOrder: onOff.optional(),
  combinesProduct: onOff.optional(),
  combinesShipping: onOff.optional(),
  excludeVolume: onOff.optional(),
  controlPercent: z.string().regex(/^\d{1,2}$/, "must be a whole percentage").optional(),
});

export type CampaignPrefill = z.input<typeof prefillSchema>;
export type PrefillResult = { ok: true; fields: Record<string, string> } | { ok: false; message: string };

/**
 * The form fields a link fills in, by input name; `days` becomes the end date counted from
 * `today` (UTC). Parameters it does not know (App Bridge's own, `customers`) are ignored.
 * A known parameter with a bad value is an error naming it.
 */
export function parseCampaignPrefill(params: URLSearchParams, today: Date): PrefillResult {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(prefillSchema.shape)) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = prefillSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `campaign link: ${issue.path.join(".")} ${issue.message}` };
  }
  const { days, ...rest } = parsed.data;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) fields[key] = value;
  if (days !== undefined) fields.endsAt = new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  return { ok: true, fields };
}

/** A link to the new-campaign form with these fields filled in. */
export function campaignLink(prefill: CampaignPrefill): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(prefill)) if (value !== undefined) params.set(key, String(value));
  return `/app/campaigns/new?${params.toString()}`;
}
