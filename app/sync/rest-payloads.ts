import {
  addMoney,
  type CustomerRecord,
  date,
  type LineRecord,
  marketingState,
  money,
  optionalDate,
  optionalShopifyId,
  type OrderRecord,
  PayloadError,
  type RefundRecord,
  shopifyId,
} from "./records";

// Mappers from Shopify's REST-shaped webhook payloads. Ids are read from
// admin_graphql_api_id where Shopify sends one (a string, so exact), else from the
// numeric id kept exact by parseLosslessJson.

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PayloadError(`${what} is not an object`);
  }
  return value as Json;
}

function array(value: unknown, what: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PayloadError(`${what} is not a list`);
  return value.map((item, i) => object(item, `${what}[${i}]`));
}

function idOf(record: Json, what: string): bigint {
  return shopifyId(record.admin_graphql_api_id ?? record.id, `${what}.id`);
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function customerFromRest(payload: unknown): CustomerRecord {
  const c = object(payload, "customer");
  return {
    id: idOf(c, "customer"),
    email: text(c.email),
    firstName: text(c.first_name),
    lastName: text(c.last_name),
    tags: typeof c.tags === "string" ? c.tags.split(",").map((t) => t.trim()).filter(Boolean) : [],
    emailMarketing: marketingState(object(c.email_marketing_consent ?? {}, "email_marketing_consent").state),
    smsMarketing: marketingState(object(c.sms_marketing_consent ?? {}, "sms_marketing_consent").state),
    createdAt: optionalDate(c.created_at, "customer.created_at"),
    updatedAt: date(c.updated_at, "customer.updated_at"),
  };
}

export function refundFromRest(payload: unknown): RefundRecord & { orderId: bigint } {
  const r = object(payload, "refund");
  const transactions = array(r.transactions, "refund.transactions").filter(
    (t) => t.kind === "refund" && (t.status === undefined || t.status === "success"),
  );
  const lines = array(r.refund_line_items, "refund.refund_line_items");
  const amount = transactions.length
    ? addMoney(transactions.map((t, i) => money(t.amount, `refund.transactions[${i}].amount`)))
    : addMoney(lines.map((l, i) => money(l.subtotal, `refund.refund_line_items[${i}].subtotal`)));
  return {
    id: idOf(r, "refund"),
    orderId: shopifyId(r.order_id, "refund.order_id"),
    processedAt: date(r.processed_at ?? r.created_at, "refund.created_at"),
    amount,
    returnedQuantity: lines
      .filter((l) => l.restock_type === "return")
      .reduce((sum, l) => sum + Number(l.quantity ?? 0), 0),
  };
}

function lineFromRest(l: Json, i: number): LineRecord {
  const allocations = array(l.discount_allocations, `line_items[${i}].discount_allocations`);
  const quantity = Number(l.quantity);
  if (!Number.isInteger(quantity) || quantity < 0) throw new PayloadError(`line_items[${i}].quantity is not a count`);
  return {
    id: idOf(l, `line_items[${i}]`),
    productId: optionalShopifyId(l.product_id, `line_items[${i}].product_id`),
    variantId: optionalShopifyId(l.variant_id, `line_items[${i}].variant_id`),
    title: text(l.title) ?? text(l.name) ?? "",
    sku: text(l.sku),
    quantity,
    price: money(l.price, `line_items[${i}].price`),
    // REST line items carry neither; the processor fills them from the variant.
    compareAtPrice: null,
    unitCost: null,
    discountAllocated: addMoney(allocations.map((a, j) => money(a.amount, `line_items[${i}].discount_allocations[${j}].amount`))),
  };
}

export function orderFromRest(payload: unknown): OrderRecord {
  const o = object(payload, "order");
  const refunds = array(o.refunds, "order.refunds").map((r) => {
    const { orderId: _orderId, ...refund } = refundFromRest({ ...r, order_id: r.order_id ?? o.id });
    return refund;
  });
  const customer = o.customer === null || o.customer === undefined ? null : object(o.customer, "order.customer");
  const applications = array(o.discount_applications, "order.discount_applications");
  const createdAt = date(o.created_at, "order.created_at");
  return {
    id: idOf(o, "order"),
    customerId: customer ? idOf(customer, "order.customer") : null,
    name: text(o.name) ?? String(o.order_number ?? ""),
    currency: text(o.currency) ?? "USD",
    financialStatus: text(o.financial_status),
    processedAt: optionalDate(o.processed_at, "order.processed_at") ?? createdAt,
    createdAt,
    updatedAt: date(o.updated_at, "order.updated_at"),
    cancelledAt: optionalDate(o.cancelled_at, "order.cancelled_at"),
    subtotal: money(o.subtotal_price ?? "0", "order.subtotal_price"),
    totalDiscounts: money(o.total_discounts ?? "0", "order.total_discounts"),
    totalPrice: money(o.total_price ?? "0", "order.total_price"),
    totalRefunded: addMoney(refunds.map((r) => r.amount)),
    discountCodes: array(o.discount_codes, "order.discount_codes")
      .map((d) => text(d.code))
      .filter((code): code is string => code !== null),
    hasAutomaticDiscount: applications.some((a) => a.type === "automatic"),
    lines: array(o.line_items, "order.line_items").map(lineFromRest),
    refunds,
  };
}
