import { z } from "zod";
import { msg, type Message } from "../i18n/message";
import { parseListFilters, type ListFilters } from "../customers/filters";
import { shopifyIdParam } from "../ids";
import { GROUPS, type Group } from "../scoring";
import type { DiscountKind } from "./guardrails";

// The new-campaign form: what the browser posts, parsed into a campaign request or
// field errors keyed by input name. Errors are messages (keys under `campaignForm.errors`),
// shown in the merchant's language by the page.

/** `filter`: every customer the customer list shows for this filter, resolved when the campaign is created (a snapshot). */
export type Audience = { kind: "group"; group: Group } | { kind: "customers"; customerIds: bigint[] } | { kind: "filter"; filters: ListFilters } | { kind: "all" };

export interface CampaignRequest {
  title: string;
  code: string;
  audience: Audience;
  excludeVolume: boolean;
  discount: { kind: DiscountKind; value: number };
  shippingCostPerOrder: number;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  oncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  controlShare: number;
}

export type FieldErrors = Partial<Record<string, Message>>;

export const MAX_CUSTOMER_IDS = 5000;
/** The same cap as control-group.ts, kept here so the form module has no node:crypto in its imports. */
const MAX_CONTROL_SHARE = 0.5;

export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");
const blank = (v: string | undefined) => v === undefined || v.trim() === "";
/** Plain decimal notation only: `0x10`, `1e3` or `Infinity` are not read as numbers. */
export const optionalDecimal = (message: string) =>
  z
    .string()
    .optional()
    .refine((v) => blank(v) || /^\s*-?\d{1,12}(\.\d{1,4})?\s*$/.test(v!), message)
    .transform((v) => (blank(v) ? null : Number(v)));
/** The usage limit Shopify stores is a 32-bit integer. */
export const MAX_USAGE_LIMIT = 2_147_483_647;
const E = "campaignForm.errors.";
/** The values error messages name; a message without placeholders ignores them. */
const ERROR_VALUES: Record<string, number | { pct: number }> = { usageLimit: MAX_USAGE_LIMIT, controlRange: { pct: MAX_CONTROL_SHARE * 100 } };
/** The message of the error named `name` (a key under campaignForm.errors). */
export const fieldError = (name: string, values?: Message["values"]): Message => {
  const known = ERROR_VALUES[name];
  return msg(`${E}${name}`, values ?? (known === undefined ? undefined : { max: known }));
};
export const optionalWholeNumber = (message: string) =>
  z
    .string()
    .optional()
    .refine((v) => blank(v) || /^\s*-?\d{1,12}\s*$/.test(v!), message)
    .transform((v) => (blank(v) ? null : Number(v)));
/** A calendar date (YYYY-MM-DD, checked against the calendar: 30 February is refused) or an ISO 8601 instant, years 2000 to 9999. */
export const dateTime = (what: "start" | "end") =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success, `${what}NotDate`)
    .transform((v) => (v === "" ? null : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v)))
    .refine((d) => d === null || (d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 9999), `${what}Years`);

/** `?customers=1,2,3` from the customer list's bulk action; null when any part is not a Shopify id. */
export function parseCustomerIds(value: string | null | undefined): bigint[] | null {
  if (!value?.trim()) return [];
  const parts = value.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((p) => shopifyIdParam.safeParse(p).success)) return null;
  return [...new Set(parts)].map(BigInt);
}

/** The error a field shows when Zod rejects it before our own checks (a field missing from the post). */
const FIELD_FALLBACK: Record<string, string> = {
  title: "titleRequired",
  code: "codeTooShort",
  audience: "audience",
  discountKind: "discountKind",
  value: "valueNumber",
  shippingCost: "shippingNumber",
  startsAt: "startNotDate",
  endsAt: "endNotDate",
  usageLimit: "usageLimit",
  controlPercent: "controlNumber",
};

/** The new-campaign form's fields; the edit form takes the ones Shopify lets a live discount change. */
export const formSchema = z.object({
  title: z.string().trim().min(1, "titleRequired").max(120, "titleTooLong"),
  code: z.string().trim().min(3, "codeTooShort").max(64, "codeTooLong").regex(/^[A-Za-z0-9_-]+$/, "codeCharacters"),
  audience: z.string().regex(new RegExp(`^(group:(${GROUPS.join("|")})|customers|filter|all)$`), "audience"),
  customers: z.string().optional(),
  filter: z.string().max(1000, "filterTooLong").optional(),
  excludeVolume: checkbox,
  discountKind: z.enum(["percentage", "fixed_amount", "free_shipping"], { message: "discountKind" }),
  value: optionalDecimal("valueNumber"),
  shippingCost: optionalDecimal("shippingNumber"),
  startsAt: dateTime("start"),
  endsAt: dateTime("end"),
  usageLimit: optionalWholeNumber("usageLimit"),
  oncePerCustomer: checkbox,
  combinesOrder: checkbox,
  combinesProduct: checkbox,
  combinesShipping: checkbox,
  controlPercent: optionalDecimal("controlNumber"),
});

export type CampaignForm = z.input<typeof formSchema>;

export function parseCampaignForm(fields: Record<string, string | undefined>, now: Date): { ok: true; request: CampaignRequest } | { ok: false; errors: FieldErrors } {
  const parsed = formSchema.safeParse(fields);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      // Ours are error names; Zod's own (a missing field's "expected string") contain spaces.
      errors[key] ??= fieldError(issue.message.includes(" ") ? (FIELD_FALLBACK[key] ?? "invalid") : issue.message);
    }
    return { ok: false, errors };
  }
  const f = parsed.data;

  let audience: Audience;
  if (f.audience === "customers") {
    const ids = parseCustomerIds(f.customers);
    if (ids === null) errors.customers = fieldError("customerIds");
    else if (ids.length === 0) errors.customers = fieldError("noCustomers");
    else if (ids.length > MAX_CUSTOMER_IDS) errors.customers = fieldError("tooManyCustomers", { max: MAX_CUSTOMER_IDS });
    audience = { kind: "customers", customerIds: ids ?? [] };
  } else if (f.audience === "filter") {
    const parsedFilter = parseListFilters(f.filter ?? "");
    if (!f.filter?.trim()) errors.filter = fieldError("noFilter");
    else if (!parsedFilter.ok) errors.filter = fieldError("badFilter", { error: parsedFilter.error });
    audience = parsedFilter.ok ? { kind: "filter", filters: parsedFilter.filters } : { kind: "all" };
  } else if (f.audience === "all") audience = { kind: "all" };
  else audience = { kind: "group", group: f.audience.slice("group:".length) as Group };

  let value = 0;
  if (f.discountKind !== "free_shipping") {
    if (f.value === null || !Number.isFinite(f.value) || f.value <= 0) errors.value = fieldError("valuePositive");
    else if (f.discountKind === "percentage" && f.value > 100) errors.value = fieldError("percentOver100");
    else value = f.value;
  }
  const shipping = f.shippingCost ?? 8;
  if (!Number.isFinite(shipping) || shipping < 0) errors.shippingCost = fieldError("shippingNegative");

  const startsAt = f.startsAt ?? now;
  if (f.endsAt && f.endsAt <= now) errors.endsAt = fieldError("endInPast");
  else if (f.endsAt && f.endsAt <= startsAt) errors.endsAt = fieldError("endBeforeStart");
  if (f.usageLimit !== null && (f.usageLimit < 1 || f.usageLimit > MAX_USAGE_LIMIT)) errors.usageLimit = fieldError("usageLimit");
  const controlPercent = f.controlPercent ?? 0;
  if (!Number.isFinite(controlPercent) || controlPercent < 0 || controlPercent > MAX_CONTROL_SHARE * 100) {
    errors.controlPercent = fieldError("controlRange");
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  return {
    ok: true,
    request: {
      title: f.title,
      code: f.code.toUpperCase(),
      audience,
      // A group audience is already one group: excluding volume only narrows mixed audiences.
      excludeVolume: audience.kind !== "group" && f.excludeVolume,
      discount: { kind: f.discountKind, value },
      shippingCostPerOrder: shipping,
      startsAt,
      endsAt: f.endsAt,
      usageLimit: f.usageLimit,
      oncePerCustomer: f.oncePerCustomer,
      combinesWith: { orderDiscounts: f.combinesOrder, productDiscounts: f.combinesProduct, shippingDiscounts: f.combinesShipping },
      controlShare: controlPercent / 100,
    },
  };
}

/**
 * The errors a form shows: a field's error once the merchant has touched that field, and
 * every error once they tried to go on (submitted). A pristine form shows none. Form-wide
 * errors (`form`) always show.
 */
export function visibleErrors(errors: FieldErrors, touched: ReadonlySet<string>, submitted: boolean): FieldErrors {
  if (submitted) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([key]) => key === "form" || touched.has(key)));
}
