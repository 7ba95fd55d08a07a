import { fieldError, formSchema, MAX_USAGE_LIMIT, type FieldErrors } from "./form";
import type { DiscountKind } from "./guardrails";

// Editing a live campaign: what the edit form posts, and the pure decision of what
// changes in Patron and in Shopify. The audience, code, start and discount type are
// fixed once a campaign exists (messages: campaign.edit.rules says why).

export interface EditRequest {
  title: string;
  value: number | null;
  endsAt: Date | null;
  usageLimit: number | null;
  oncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

const editSchema = formSchema.pick({
  title: true,
  value: true,
  endsAt: true,
  usageLimit: true,
  oncePerCustomer: true,
  combinesOrder: true,
  combinesProduct: true,
  combinesShipping: true,
});

/** The posted edit form → an EditRequest, or field errors keyed by input name. Shape checks only; `planEdit` judges it against the campaign. */
export function parseEditForm(fields: Record<string, string | undefined>): { ok: true; request: EditRequest } | { ok: false; errors: FieldErrors } {
  const parsed = editSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    // Ours are error names; Zod's own (a missing field's "expected string") contain spaces.
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= fieldError(issue.message.includes(" ") ? "invalid" : issue.message);
    return { ok: false, errors };
  }
  const f = parsed.data;
  return {
    ok: true,
    request: {
      title: f.title,
      value: f.value,
      endsAt: f.endsAt,
      usageLimit: f.usageLimit,
      oncePerCustomer: f.oncePerCustomer,
      combinesWith: { orderDiscounts: f.combinesOrder, productDiscounts: f.combinesProduct, shippingDiscounts: f.combinesShipping },
    },
  };
}

export interface EditableCampaign {
  discount: DiscountKind;
  /** Percentage points (0-100) or an amount; null for free shipping. */
  value: number | null;
  title: string;
  startsAt: Date;
  endsAt: Date | null;
  endedAt: Date | null;
  usageLimit: number | null;
  oncePerCustomer: boolean;
  combinesOrder: boolean;
  combinesProduct: boolean;
  combinesShipping: boolean;
}

/** The columns an edit writes, and the matching partial Shopify input (absent: unchanged, null: cleared). */
export interface EditPlan {
  changes: Partial<Pick<EditableCampaign, "title" | "value" | "endsAt" | "usageLimit" | "oncePerCustomer" | "combinesOrder" | "combinesProduct" | "combinesShipping">>;
  shopify: {
    title?: string;
    endsAt?: string | null;
    usageLimit?: number | null;
    appliesOncePerCustomer?: boolean;
    combinesWith?: EditRequest["combinesWith"];
    customerGets?: { value: { percentage: number } | { discountAmount: { amount: string; appliesOnEachItem: boolean } } };
  };
}

/** Shopify stores percentages as a fraction of 1 (0.1 for 10%); Patron keeps points. */
export const shopifyPercentage = (points: number) => Math.round(points * 100) / 10_000;

/**
 * What an edit changes, or why it cannot be made. Rules: an ended campaign is not
 * edited; a new end must be in the future and after the start; the value must fit the
 * discount type (free shipping has none). Returns an empty plan when nothing changed.
 */
export function planEdit(current: EditableCampaign, request: EditRequest, now: Date): { ok: true; plan: EditPlan } | { ok: false; errors: FieldErrors } {
  const endedAt = current.endedAt ?? (current.endsAt && current.endsAt <= now ? current.endsAt : null);
  if (endedAt) return { ok: false, errors: { form: fieldError("editEnded") } };
  const errors: FieldErrors = {};
  if (request.endsAt && request.endsAt <= now) errors.endsAt = fieldError("endInPast");
  else if (request.endsAt && request.endsAt <= current.startsAt) errors.endsAt = fieldError("endBeforeStart");
  if (request.usageLimit !== null && (request.usageLimit < 1 || request.usageLimit > MAX_USAGE_LIMIT)) errors.usageLimit = fieldError("usageLimit");
  let value = current.value;
  if (current.discount !== "free_shipping") {
    if (request.value === null || request.value <= 0) errors.value = fieldError("valuePositive");
    else if (current.discount === "percentage" && request.value > 100) errors.value = fieldError("percentOver100");
    else value = request.value;
  } else if (request.value !== null) errors.value = fieldError("valueFreeShipping");
  if (Object.keys(errors).length) return { ok: false, errors };

  const plan: EditPlan = { changes: {}, shopify: {} };
  if (request.title !== current.title) plan.changes.title = plan.shopify.title = request.title;
  if ((request.endsAt?.getTime() ?? null) !== (current.endsAt?.getTime() ?? null)) {
    plan.changes.endsAt = request.endsAt;
    plan.shopify.endsAt = request.endsAt?.toISOString() ?? null;
  }
  if (request.usageLimit !== current.usageLimit) plan.changes.usageLimit = plan.shopify.usageLimit = request.usageLimit;
  if (request.oncePerCustomer !== current.oncePerCustomer) plan.changes.oncePerCustomer = plan.shopify.appliesOncePerCustomer = request.oncePerCustomer;
  const c = request.combinesWith;
  if (c.orderDiscounts !== current.combinesOrder || c.productDiscounts !== current.combinesProduct || c.shippingDiscounts !== current.combinesShipping) {
    Object.assign(plan.changes, { combinesOrder: c.orderDiscounts, combinesProduct: c.productDiscounts, combinesShipping: c.shippingDiscounts });
    plan.shopify.combinesWith = c;
  }
  if (value !== null && value !== current.value) {
    plan.changes.value = value;
    plan.shopify.customerGets = {
      value: current.discount === "percentage" ? { percentage: shopifyPercentage(value) } : { discountAmount: { amount: value.toFixed(2), appliesOnEachItem: false } },
    };
  }
  return { ok: true, plan };
}

/** The Shopify input that puts back what `plan` changed, from the campaign as it was. */
export function revertInput(current: EditableCampaign, plan: EditPlan): EditPlan["shopify"] {
  const back: EditPlan["shopify"] = {};
  if ("title" in plan.shopify) back.title = current.title;
  if ("endsAt" in plan.shopify) back.endsAt = current.endsAt?.toISOString() ?? null;
  if ("usageLimit" in plan.shopify) back.usageLimit = current.usageLimit;
  if ("appliesOncePerCustomer" in plan.shopify) back.appliesOncePerCustomer = current.oncePerCustomer;
  if ("combinesWith" in plan.shopify) back.combinesWith = { orderDiscounts: current.combinesOrder, productDiscounts: current.combinesProduct, shippingDiscounts: current.combinesShipping };
  if ("customerGets" in plan.shopify && current.value !== null) {
    back.customerGets = {
      value: current.discount === "percentage" ? { percentage: shopifyPercentage(current.value) } : { discountAmount: { amount: current.value.toFixed(2), appliesOnEachItem: false } },
    };
  }
  return back;
}
