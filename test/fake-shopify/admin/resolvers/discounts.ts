import type { AdminContext } from "../context";
import { nowIso } from "../context";
import type { DiscountContext, DiscountRecord, DiscountValue, MinimumRequirement } from "../../store/records";
import { gid, parseGid } from "../../util/ids";
import { listConnection } from "../views/connection";
import { moneyV2 } from "../views/money";
import { customerView } from "../views/customer";
import { segmentView } from "./segments";
import { toCents } from "../../util/money";
import type { ConnectionArgs } from "../../util/connection";

type UserError = { field: string[]; message: string; code: string; extraInfo: null };

interface ContextInput {
  all?: "ALL" | null;
  customers?: { add?: string[] | null } | null;
  customerSegments?: { add?: string[] | null } | null;
}

interface CommonInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  context?: ContextInput | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  combinesWith?: { orderDiscounts?: boolean | null; productDiscounts?: boolean | null; shippingDiscounts?: boolean | null } | null;
  minimumRequirement?: {
    quantity?: { greaterThanOrEqualToQuantity?: string | null } | null;
    subtotal?: { greaterThanOrEqualToSubtotal?: string | number | null } | null;
  } | null;
}

interface BasicInput extends CommonInput {
  customerGets?: {
    value?: { percentage?: number | null; discountAmount?: { amount?: string | number | null; appliesOnEachItem?: boolean | null } | null } | null;
    items?: { all?: boolean | null } | null;
  } | null;
}

export function discountUsage(ctx: AdminContext, code: string, since: string): number {
  const wanted = code.toLowerCase();
  const from = Date.parse(since);
  let count = 0;
  for (const order of ctx.store.data.orders) {
    if (order.cancelledAt === null && Date.parse(order.createdAt) >= from && order.discountCodes.some((c) => c.toLowerCase() === wanted)) count++;
  }
  return count;
}

/** Shopify's DiscountStatus of a code at the fake's clock. */
export function discountStatus(ctx: Pick<AdminContext, "services">, d: DiscountRecord): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  const now = ctx.services.clock.now();
  if (Date.parse(d.startsAt) > now) return "SCHEDULED";
  if (d.endsAt !== null && Date.parse(d.endsAt) <= now) return "EXPIRED";
  return "ACTIVE";
}

function summary(d: DiscountRecord, currency: string): string {
  if (d.kind === "freeShipping") return "Free shipping on all products";
  if (d.value?.kind === "percentage") return `${Math.round(d.value.percentage * 10000) / 100}% off entire order`;
  if (d.value?.kind === "amount") return `${d.value.amount} ${currency} off ${d.value.appliesOnEachItem ? "each item" : "entire order"}`;
  return "";
}

export function discountNodeView(ctx: AdminContext, d: DiscountRecord): object {
  const currency = ctx.store.data.shop.currency;
  const usage = (): number => d.codes.reduce((sum, c) => sum + discountUsage(ctx, c.code, d.createdAt), 0);
  const contextView =
    d.context.kind === "all"
      ? { __typename: "DiscountBuyerSelectionAll", all: "ALL" }
      : d.context.kind === "customers"
        ? { __typename: "DiscountCustomers", customers: d.context.customerIds.flatMap((id) => { const c = ctx.store.customersById.get(id); return c ? [customerView(ctx, c)] : []; }) }
        : { __typename: "DiscountCustomerSegments", segments: d.context.segmentIds.flatMap((id) => { const s = ctx.store.segments.find((seg) => seg.id === id); return s ? [segmentView(s)] : []; }) };
  const minimum =
    d.minimumRequirement === null
      ? null
      : d.minimumRequirement.kind === "quantity"
        ? { __typename: "DiscountMinimumQuantity", greaterThanOrEqualToQuantity: d.minimumRequirement.quantity }
        : { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: moneyV2(toCents(d.minimumRequirement.subtotal), currency) };
  const codeDiscount = {
    __typename: d.kind === "basic" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping",
    title: d.title,
    status: discountStatus(ctx, d),
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    asyncUsageCount: usage,
    usageLimit: d.usageLimit,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    codes: (args: ConnectionArgs) =>
      listConnection(d.codes, args, (c) => c.id, (c) => ({ id: gid("DiscountRedeemCode", c.id), code: c.code, asyncUsageCount: discountUsage(ctx, c.code, d.createdAt) })),
    codesCount: { count: d.codes.length },
    customerGets: d.value
      ? {
          value:
            d.value.kind === "percentage"
              ? { __typename: "DiscountPercentage", percentage: d.value.percentage }
              : { __typename: "DiscountAmount", amount: moneyV2(toCents(d.value.amount), currency), appliesOnEachItem: d.value.appliesOnEachItem },
          items: { __typename: "AllDiscountItems", allItems: true },
        }
      : null,
    context: contextView,
    combinesWith: d.combinesWith,
    minimumRequirement: minimum,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    summary: summary(d, currency),
  };
  return { __typename: "DiscountCodeNode", id: gid("DiscountCodeNode", d.id), codeDiscount };
}

export function discountNodeByCode(ctx: AdminContext, code: string): object | null {
  const wanted = code.toLowerCase();
  const found = ctx.store.discounts.find((d) => d.codes.some((c) => c.code.toLowerCase() === wanted));
  return found ? discountNodeView(ctx, found) : null;
}

function validateCommon(ctx: AdminContext, input: CommonInput, root: string, errors: UserError[]): DiscountContext | null {
  const err = (field: string[], code: string, message: string): void => {
    errors.push({ field: [root, ...field], code, message, extraInfo: null });
  };
  if (!input.title?.trim()) err(["title"], "BLANK", "Title can't be blank");
  const code = input.code?.trim() ?? "";
  if (!code) err(["code"], "BLANK", "Code can't be blank");
  else if (code.length > 255) err(["code"], "TOO_LONG", "Code is too long (maximum is 255 characters)");
  else if (ctx.store.discounts.some((d) => d.codes.some((c) => c.code.toLowerCase() === code.toLowerCase())))
    err(["code"], "TAKEN", "Code must be unique. Please try a different code.");
  if (!input.startsAt) err(["startsAt"], "BLANK", "Starts at can't be blank");
  if (input.startsAt && Number.isNaN(Date.parse(input.startsAt))) err(["startsAt"], "INVALID", "Starts at is invalid");
  if (input.startsAt && input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt))
    err(["endsAt"], "INVALID_DATE_TIME_RANGE", "Ends at needs to be after starts_at");
  if (input.usageLimit != null && input.usageLimit <= 0) err(["usageLimit"], "GREATER_THAN", "Usage limit must be greater than 0");
  const context = input.context;
  const chosen = [context?.all != null, context?.customers != null, context?.customerSegments != null].filter(Boolean).length;
  if (!context || chosen === 0) {
    err(["context"], "MISSING_ARGUMENT", "Context must be specified");
    return null;
  }
  if (chosen > 1) {
    err(["context"], "CONFLICT", "Only one of all, customers or customerSegments can be specified");
    return null;
  }
  if (context.all) return { kind: "all" };
  if (context.customers) {
    const ids: string[] = [];
    for (const value of context.customers.add ?? []) {
      const parsed = parseGid(value);
      const customer = parsed?.type === "Customer" ? ctx.store.customersById.get(parsed.id) : undefined;
      if (!customer || customer.deletedAt) err(["context", "customers", "add"], "INVALID", `Customer ${value} does not exist`);
      else ids.push(customer.id);
    }
    if (ids.length === 0 && errors.length === 0) err(["context", "customers", "add"], "BLANK", "Customers can't be blank");
    return { kind: "customers", customerIds: ids };
  }
  const segmentIds: string[] = [];
  for (const value of context.customerSegments?.add ?? []) {
    const parsed = parseGid(value);
    const segment = parsed?.type === "Segment" ? ctx.store.segments.find((s) => s.id === parsed.id) : undefined;
    if (!segment) err(["context", "customerSegments", "add"], "INVALID", `Segment ${value} does not exist`);
    else segmentIds.push(segment.id);
  }
  if (segmentIds.length === 0 && errors.length === 0) err(["context", "customerSegments", "add"], "BLANK", "Customer segments can't be blank");
  return { kind: "segments", segmentIds };
}

function minimumOf(input: CommonInput): MinimumRequirement {
  const quantity = input.minimumRequirement?.quantity?.greaterThanOrEqualToQuantity;
  if (quantity != null) return { kind: "quantity", quantity: String(quantity) };
  const subtotal = input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal;
  if (subtotal != null) return { kind: "subtotal", subtotal: String(subtotal) };
  return null;
}

function record(ctx: AdminContext, kind: DiscountRecord["kind"], input: CommonInput, context: DiscountContext, value: DiscountValue | null): DiscountRecord {
  const now = nowIso(ctx);
  const d: DiscountRecord = {
    id: ctx.store.newId(),
    kind,
    title: input.title?.trim() ?? "",
    codes: [{ id: ctx.store.newId(), code: input.code?.trim() ?? "" }],
    startsAt: input.startsAt ?? now,
    endsAt: input.endsAt ?? null,
    value,
    context,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    minimumRequirement: minimumOf(input),
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.discounts.push(d);
  ctx.store.touch();
  return d;
}

export function discountCodeBasicCreate(args: { basicCodeDiscount: BasicInput }, ctx: AdminContext) {
  const input = args.basicCodeDiscount;
  const errors: UserError[] = [];
  const context = validateCommon(ctx, input, "basicCodeDiscount", errors);
  const err = (field: string[], code: string, message: string): void => {
    errors.push({ field: ["basicCodeDiscount", "customerGets", ...field], code, message, extraInfo: null });
  };
  let value: DiscountValue | null = null;
  const gets = input.customerGets;
  const percentage = gets?.value?.percentage;
  const amount = gets?.value?.discountAmount;
  if (!gets?.value) err(["value"], "BLANK", "Value can't be blank");
  else if (percentage != null && amount != null) err(["value"], "CONFLICT", "Only one of percentage or discountAmount can be specified");
  else if (percentage != null) {
    if (percentage <= 0 || percentage > 1) err(["value", "percentage"], "VALUE_OUTSIDE_RANGE", "Value must be between 0.0 and 1.0");
    else value = { kind: "percentage", percentage };
  } else if (amount?.amount != null) {
    const cents = toCents(String(amount.amount));
    if (cents <= 0n) err(["value", "discountAmount", "amount"], "GREATER_THAN", "Value must be greater than 0");
    else value = { kind: "amount", amount: String(amount.amount), appliesOnEachItem: amount.appliesOnEachItem ?? false };
  } else err(["value"], "BLANK", "Value can't be blank");
  if (!gets?.items?.all) err(["items"], "INVALID", "Items must be { all: true }: the fake models order-wide discounts only");
  if (errors.length > 0 || !context) return { codeDiscountNode: null, userErrors: errors };
  return { codeDiscountNode: discountNodeView(ctx, record(ctx, "basic", input, context, value)), userErrors: [] };
}

export function discountCodeFreeShippingCreate(args: { freeShippingCodeDiscount: CommonInput }, ctx: AdminContext) {
  const errors: UserError[] = [];
  const context = validateCommon(ctx, args.freeShippingCodeDiscount, "freeShippingCodeDiscount", errors);
  if (errors.length > 0 || !context) return { codeDiscountNode: null, userErrors: errors };
  return { codeDiscountNode: discountNodeView(ctx, record(ctx, "freeShipping", args.freeShippingCodeDiscount, context, null)), userErrors: [] };
}

/** discountCodeDelete(id:): Shopify's answer shape; an unknown id is a userError on `id`. */
export function discountCodeDelete(args: { id: string }, ctx: AdminContext) {
  const parsed = parseGid(args.id);
  const index = parsed?.type === "DiscountCodeNode" ? ctx.store.discounts.findIndex((d) => d.id === parsed.id) : -1;
  if (index < 0) {
    return { deletedCodeDiscountId: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID", extraInfo: null }] };
  }
  ctx.store.discounts.splice(index, 1);
  ctx.store.touch();
  return { deletedCodeDiscountId: args.id, userErrors: [] };
}

const missing = (): UserError => ({ field: ["id"], message: "Discount does not exist", code: "INVALID", extraInfo: null });

function findDiscount(ctx: AdminContext, id: string): DiscountRecord | undefined {
  const parsed = parseGid(id);
  return parsed?.type === "DiscountCodeNode" ? ctx.store.discounts.find((d) => d.id === parsed.id) : undefined;
}

/**
 * Shopify's update reads only the fields the input names: an absent field keeps its
 * value, an explicit null (endsAt, usageLimit) clears it. The context changes by
 * add/remove lists, or is replaced by `all`.
 */
function applyCommon(ctx: AdminContext, d: DiscountRecord, input: CommonInput, root: string, errors: UserError[]): Partial<DiscountRecord> {
  const err = (field: string[], code: string, message: string): void => {
    errors.push({ field: [root, ...field], code, message, extraInfo: null });
  };
  const next: Partial<DiscountRecord> = {};
  if ("title" in input) {
    if (!input.title?.trim()) err(["title"], "BLANK", "Title can't be blank");
    else next.title = input.title.trim();
  }
  if ("code" in input) {
    const code = input.code?.trim() ?? "";
    if (!code) err(["code"], "BLANK", "Code can't be blank");
    else if (code.length > 255) err(["code"], "TOO_LONG", "Code is too long (maximum is 255 characters)");
    else if (ctx.store.discounts.some((o) => o !== d && o.codes.some((c) => c.code.toLowerCase() === code.toLowerCase())))
      err(["code"], "TAKEN", "Code must be unique. Please try a different code.");
    else next.codes = [{ id: d.codes[0]?.id ?? ctx.store.newId(), code }, ...d.codes.slice(1)];
  }
  if ("startsAt" in input) {
    if (!input.startsAt) err(["startsAt"], "BLANK", "Starts at can't be blank");
    else if (Number.isNaN(Date.parse(input.startsAt))) err(["startsAt"], "INVALID", "Starts at is invalid");
    else next.startsAt = input.startsAt;
  }
  if ("endsAt" in input) {
    if (input.endsAt != null && Number.isNaN(Date.parse(input.endsAt))) err(["endsAt"], "INVALID", "Ends at is invalid");
    else next.endsAt = input.endsAt ?? null;
  }
  const startsAt = next.startsAt ?? d.startsAt;
  const endsAt = next.endsAt !== undefined ? next.endsAt : d.endsAt;
  if (endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) err(["endsAt"], "INVALID_DATE_TIME_RANGE", "Ends at needs to be after starts_at");
  if ("usageLimit" in input) {
    if (input.usageLimit != null && input.usageLimit <= 0) err(["usageLimit"], "GREATER_THAN", "Usage limit must be greater than 0");
    else next.usageLimit = input.usageLimit ?? null;
  }
  if (input.appliesOncePerCustomer != null) next.appliesOncePerCustomer = input.appliesOncePerCustomer;
  if (input.combinesWith) {
    next.combinesWith = {
      orderDiscounts: input.combinesWith.orderDiscounts ?? d.combinesWith.orderDiscounts,
      productDiscounts: input.combinesWith.productDiscounts ?? d.combinesWith.productDiscounts,
      shippingDiscounts: input.combinesWith.shippingDiscounts ?? d.combinesWith.shippingDiscounts,
    };
  }
  if (input.minimumRequirement !== undefined) next.minimumRequirement = minimumOf(input);
  const context = input.context as (ContextInput & { customers?: { remove?: string[] | null }; customerSegments?: { remove?: string[] | null } }) | null | undefined;
  if (context) {
    const chosen = [context.all != null, context.customers != null, context.customerSegments != null].filter(Boolean).length;
    if (chosen > 1) err(["context"], "CONFLICT", "Only one of all, customers or customerSegments can be specified");
    else if (context.all) next.context = { kind: "all" };
    else if (context.customers) {
      const ids = new Set(d.context.kind === "customers" ? d.context.customerIds : []);
      for (const value of context.customers.add ?? []) {
        const parsed = parseGid(value);
        const customer = parsed?.type === "Customer" ? ctx.store.customersById.get(parsed.id) : undefined;
        if (!customer || customer.deletedAt) err(["context", "customers", "add"], "INVALID", `Customer ${value} does not exist`);
        else ids.add(customer.id);
      }
      for (const value of context.customers.remove ?? []) {
        const parsed = parseGid(value);
        if (parsed?.type === "Customer") ids.delete(parsed.id);
      }
      if (ids.size === 0) err(["context", "customers"], "BLANK", "Customers can't be blank");
      next.context = { kind: "customers", customerIds: [...ids] };
    } else if (context.customerSegments) {
      const ids = new Set(d.context.kind === "segments" ? d.context.segmentIds : []);
      for (const value of context.customerSegments.add ?? []) {
        const parsed = parseGid(value);
        const segment = parsed?.type === "Segment" ? ctx.store.segments.find((s) => s.id === parsed.id) : undefined;
        if (!segment) err(["context", "customerSegments", "add"], "INVALID", `Segment ${value} does not exist`);
        else ids.add(segment.id);
      }
      for (const value of context.customerSegments.remove ?? []) {
        const parsed = parseGid(value);
        if (parsed?.type === "Segment") ids.delete(parsed.id);
      }
      if (ids.size === 0) err(["context", "customerSegments"], "BLANK", "Customer segments can't be blank");
      next.context = { kind: "segments", segmentIds: [...ids] };
    }
  }
  return next;
}

function commitUpdate(ctx: AdminContext, d: DiscountRecord, next: Partial<DiscountRecord>): object {
  Object.assign(d, next, { updatedAt: nowIso(ctx) });
  ctx.store.touch();
  return discountNodeView(ctx, d);
}

/** discountCodeBasicUpdate(id:, basicCodeDiscount:): a partial update of an amount-off code. */
export function discountCodeBasicUpdate(args: { id: string; basicCodeDiscount: BasicInput }, ctx: AdminContext) {
  const d = findDiscount(ctx, args.id);
  if (!d) return { codeDiscountNode: null, userErrors: [missing()] };
  const input = args.basicCodeDiscount;
  const errors: UserError[] = [];
  if (d.kind !== "basic") {
    return { codeDiscountNode: null, userErrors: [{ field: ["id"], message: "Discount is not an amount off discount", code: "INVALID", extraInfo: null }] };
  }
  const next = applyCommon(ctx, d, input, "basicCodeDiscount", errors);
  const value = input.customerGets?.value;
  if (value) {
    const err = (field: string[], code: string, message: string): void => {
      errors.push({ field: ["basicCodeDiscount", "customerGets", "value", ...field], code, message, extraInfo: null });
    };
    if (value.percentage != null && value.discountAmount != null) err([], "CONFLICT", "Only one of percentage or discountAmount can be specified");
    else if (value.percentage != null) {
      if (value.percentage <= 0 || value.percentage > 1) err(["percentage"], "VALUE_OUTSIDE_RANGE", "Value must be between 0.0 and 1.0");
      else next.value = { kind: "percentage", percentage: value.percentage };
    } else if (value.discountAmount?.amount != null) {
      if (toCents(String(value.discountAmount.amount)) <= 0n) err(["discountAmount", "amount"], "GREATER_THAN", "Value must be greater than 0");
      else next.value = { kind: "amount", amount: String(value.discountAmount.amount), appliesOnEachItem: value.discountAmount.appliesOnEachItem ?? false };
    }
  }
  if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
  return { codeDiscountNode: commitUpdate(ctx, d, next), userErrors: [] };
}

/** discountCodeFreeShippingUpdate(id:, freeShippingCodeDiscount:): a partial update of a free-shipping code. */
export function discountCodeFreeShippingUpdate(args: { id: string; freeShippingCodeDiscount: CommonInput }, ctx: AdminContext) {
  const d = findDiscount(ctx, args.id);
  if (!d) return { codeDiscountNode: null, userErrors: [missing()] };
  if (d.kind !== "freeShipping") {
    return { codeDiscountNode: null, userErrors: [{ field: ["id"], message: "Discount is not a free shipping discount", code: "INVALID", extraInfo: null }] };
  }
  const errors: UserError[] = [];
  const next = applyCommon(ctx, d, args.freeShippingCodeDiscount, "freeShippingCodeDiscount", errors);
  if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
  return { codeDiscountNode: commitUpdate(ctx, d, next), userErrors: [] };
}

/**
 * discountCodeDeactivate(id:): Shopify ends the code now (endsAt becomes the current
 * time, status EXPIRED) and keeps it. An already-expired code is answered unchanged.
 */
export function discountCodeDeactivate(args: { id: string }, ctx: AdminContext) {
  const d = findDiscount(ctx, args.id);
  if (!d) return { codeDiscountNode: null, userErrors: [missing()] };
  const now = nowIso(ctx);
  if (d.endsAt === null || Date.parse(d.endsAt) > Date.parse(now)) {
    // A scheduled code ends before it starts: its window closes at once.
    if (Date.parse(d.startsAt) > Date.parse(now)) d.startsAt = now;
    d.endsAt = now;
    d.updatedAt = now;
    ctx.store.touch();
  }
  return { codeDiscountNode: discountNodeView(ctx, d), userErrors: [] };
}
