import { z } from "zod";
import { shopifyIdParam } from "../ids";
import { GROUPS, type Group } from "../scoring";
import type { DiscountKind } from "./guardrails";

// The new-campaign form: what the browser posts, parsed into a campaign request or
// field errors keyed by input name.

export type Audience = { kind: "group"; group: Group } | { kind: "customers"; customerIds: bigint[] } | { kind: "all" };

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

export type FieldErrors = Partial<Record<string, string>>;

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
export const USAGE_LIMIT_MESSAGE = `The usage limit must be a whole number from 1 to ${MAX_USAGE_LIMIT.toLocaleString("en-US")}`;
export const optionalWholeNumber = (message: string) =>
  z
    .string()
    .optional()
    .refine((v) => blank(v) || /^\s*-?\d{1,12}\s*$/.test(v!), message)
    .transform((v) => (blank(v) ? null : Number(v)));
/** A calendar date (YYYY-MM-DD, checked against the calendar: 30 February is refused) or an ISO 8601 instant, years 2000 to 9999. */
export const dateTime = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success, `${what} is not a date`)
    .transform((v) => (v === "" ? null : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v)))
    .refine((d) => d === null || (d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 9999), `${what} must fall between the years 2000 and 9999`);

/** `?customers=1,2,3` from the customer list's bulk action; null when any part is not a Shopify id. */
export function parseCustomerIds(value: string | null | undefined): bigint[] | null {
  if (!value?.trim()) return [];
  const parts = value.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((p) => shopifyIdParam.safeParse(p).success)) return null;
  return [...new Set(parts)].map(BigInt);
}

const formSchema = z.object({
  title: z.string().trim().min(1, "Give the campaign a title").max(120, "Keep the title under 120 characters"),
  code: z
    .string()
    .trim()
    .min(3, "The code needs at least 3 characters")
    .max(64, "Keep the code under 64 characters")
    .regex(/^[A-Za-z0-9_-]+$/, "Use letters, digits, '-' or '_' in the code"),
  audience: z.string().regex(new RegExp(`^(group:(${GROUPS.join("|")})|customers|all)$`), "Choose an audience"),
  customers: z.string().optional(),
  excludeVolume: checkbox,
  discountKind: z.enum(["percentage", "fixed_amount", "free_shipping"], { message: "Choose a discount type" }),
  value: optionalDecimal("Enter the discount as a plain number, like 10 or 12.5"),
  shippingCost: optionalDecimal("Enter the shipping cost as a plain number, like 8 or 7.50"),
  startsAt: dateTime("The start"),
  endsAt: dateTime("The end"),
  usageLimit: optionalWholeNumber(USAGE_LIMIT_MESSAGE),
  oncePerCustomer: checkbox,
  combinesOrder: checkbox,
  combinesProduct: checkbox,
  combinesShipping: checkbox,
  controlPercent: optionalDecimal("Enter the control group as a plain number, like 10"),
});

export type CampaignForm = z.input<typeof formSchema>;

export function parseCampaignForm(fields: Record<string, string | undefined>, now: Date): { ok: true; request: CampaignRequest } | { ok: false; errors: FieldErrors } {
  const parsed = formSchema.safeParse(fields);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const f = parsed.data;

  let audience: Audience;
  if (f.audience === "customers") {
    const ids = parseCustomerIds(f.customers);
    if (ids === null) errors.customers = "Customer ids must be numbers separated by commas";
    else if (ids.length === 0) errors.customers = "Select at least one customer";
    else if (ids.length > MAX_CUSTOMER_IDS) errors.customers = `Select at most ${MAX_CUSTOMER_IDS} customers`;
    audience = { kind: "customers", customerIds: ids ?? [] };
  } else if (f.audience === "all") audience = { kind: "all" };
  else audience = { kind: "group", group: f.audience.slice("group:".length) as Group };

  let value = 0;
  if (f.discountKind !== "free_shipping") {
    if (f.value === null || !Number.isFinite(f.value) || f.value <= 0) errors.value = "Enter a discount greater than 0";
    else if (f.discountKind === "percentage" && f.value > 100) errors.value = "A percentage cannot exceed 100";
    else value = f.value;
  }
  const shipping = f.shippingCost ?? 8;
  if (!Number.isFinite(shipping) || shipping < 0) errors.shippingCost = "Enter a shipping cost of 0 or more";

  const startsAt = f.startsAt ?? now;
  if (f.endsAt && f.endsAt <= now) errors.endsAt = "The end must be in the future";
  else if (f.endsAt && f.endsAt <= startsAt) errors.endsAt = "The end must be after the start";
  if (f.usageLimit !== null && (f.usageLimit < 1 || f.usageLimit > MAX_USAGE_LIMIT)) errors.usageLimit = USAGE_LIMIT_MESSAGE;
  const controlPercent = f.controlPercent ?? 0;
  if (!Number.isFinite(controlPercent) || controlPercent < 0 || controlPercent > MAX_CONTROL_SHARE * 100) {
    errors.controlPercent = `The control group must be between 0 and ${MAX_CONTROL_SHARE * 100}%`;
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
