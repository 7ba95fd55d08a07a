import {
  type CustomerRecord,
  date,
  marketingState,
  money,
  optionalDate,
  optionalShopifyId,
  PayloadError,
  shopifyId,
} from "../sync/records";
import { addMoney } from "./money";
import { countedLine, type LineRecord, type OrderRecord, productRefund, type RefundRecord } from "./record";

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

/** Shop money of a REST amount: its `*_set.shop_money.amount` when present, else the plain field. */
function shopMoney(record: Json, field: string, what: string): string {
  const set = record[`${field}_set`];
  if (set && typeof set === "object") {
    const shop = (set as Json).shop_money;
    if (shop && typeof shop === "object" && (shop as Json).amount !== undefined) return money((shop as Json).amount, `${what}_set.shop_money.amount`);
  }
  return money(record[field] ?? "0", what);
}

function moneyReturned(transactions: Json[]): boolean {
  return transactions.some((t) => t.kind === "refund" && (t.status === undefined || t.status === null || t.status === "success"));
}

/**
 * A refund as Patron counts it (record.ts): the refunded goods ex tax when money went
 * back, else 0. `taxesIncluded` is the order's setting; a refunds/create payload does not
 * carry it, so the caller passes the stored order's (the order's own payload corrects it later).
 */
export function refundFromRest(
  payload: unknown,
  taxesIncluded = false,
  giftCardLineIds: ReadonlySet<string> = new Set(),
): RefundRecord & { orderId: bigint } {
  const r = object(payload, "refund");
  const lines = array(r.refund_line_items, "refund.refund_line_items");
  // A gift card refunded is a liability cancelled, not goods coming back.
  const isGiftCard = (l: Json) =>
    (l.line_item !== null && typeof l.line_item === "object" && (l.line_item as Json).gift_card === true) ||
    (l.line_item_id !== undefined && l.line_item_id !== null && giftCardLineIds.has(String(l.line_item_id)));
  const goods = lines.filter((l) => !isGiftCard(l)).map((l, i) => ({
    subtotal: shopMoney(l, "subtotal", `refund.refund_line_items[${i}].subtotal`),
    tax: shopMoney(l, "total_tax", `refund.refund_line_items[${i}].total_tax`),
  }));
  return {
    id: idOf(r, "refund"),
    orderId: shopifyId(r.order_id, "refund.order_id"),
    processedAt: date(r.processed_at ?? r.created_at, "refund.created_at"),
    amount: productRefund(goods, moneyReturned(array(r.transactions, "refund.transactions")), taxesIncluded),
    returnedQuantity: lines
      .filter((l) => l.restock_type === "return")
      .reduce((sum, l) => sum + Number(l.quantity ?? 0), 0),
  };
}

function count(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new PayloadError(`${what} is not a count`);
  return n;
}

function lineFromRest(l: Json, i: number, refunded: ReadonlyMap<string, number>, taxesIncluded: boolean): LineRecord & { giftCard: boolean } {
  const what = `line_items[${i}]`;
  const allocations = array(l.discount_allocations, `${what}.discount_allocations`);
  const quantity = count(l.quantity, `${what}.quantity`);
  const id = idOf(l, what);
  const counted = countedLine(
    {
      quantity,
      currentQuantity: l.current_quantity === undefined || l.current_quantity === null ? null : count(l.current_quantity, `${what}.current_quantity`),
      refundedQuantity: refunded.get(id.toString()) ?? 0,
      price: shopMoney(l, "price", `${what}.price`),
      discount: addMoney(allocations.map((a, j) => shopMoney(a, "amount", `${what}.discount_allocations[${j}].amount`))),
      tax: addMoney(array(l.tax_lines, `${what}.tax_lines`).map((t, j) => shopMoney(t, "price", `${what}.tax_lines[${j}].price`))),
      giftCard: l.gift_card === true,
    },
    taxesIncluded,
  );
  return {
    id,
    productId: optionalShopifyId(l.product_id, `${what}.product_id`),
    variantId: optionalShopifyId(l.variant_id, `${what}.variant_id`),
    title: text(l.title) ?? text(l.name) ?? "",
    sku: text(l.sku),
    price: shopMoney(l, "price", `${what}.price`),
    // REST line items carry neither; the processor fills them from the variant.
    compareAtPrice: null,
    unitCost: null,
    // REST line items name the vendor but not the product type: the processor reads it from the product.
    productType: null,
    vendor: text(l.vendor),
    giftCard: l.gift_card === true,
    ...counted,
  };
}

/** Units refunded per line id, over the refunds an order payload carries. */
function refundedUnits(refunds: Json[]): Map<string, number> {
  const units = new Map<string, number>();
  refunds.forEach((r, i) => {
    array(r.refund_line_items, `order.refunds[${i}].refund_line_items`).forEach((l, j) => {
      const id = shopifyId(l.line_item_id ?? (l.line_item as Json | undefined)?.id, `order.refunds[${i}].refund_line_items[${j}].line_item_id`).toString();
      units.set(id, (units.get(id) ?? 0) + count(l.quantity ?? 0, `order.refunds[${i}].refund_line_items[${j}].quantity`));
    });
  });
  return units;
}

export function orderFromRest(payload: unknown): OrderRecord {
  const o = object(payload, "order");
  const taxesIncluded = o.taxes_included === true;
  const rawRefunds = array(o.refunds, "order.refunds");
  const giftCardLineIds = new Set(
    array(o.line_items, "order.line_items")
      .filter((l) => l.gift_card === true)
      .map((l, i) => idOf(l, `line_items[${i}]`).toString()),
  );
  const refunds = rawRefunds.map((r) => {
    const { orderId: _orderId, ...refund } = refundFromRest({ ...r, order_id: r.order_id ?? o.id }, taxesIncluded, giftCardLineIds);
    return refund;
  });
  const refunded = refundedUnits(rawRefunds);
  const customer = o.customer === null || o.customer === undefined ? null : object(o.customer, "order.customer");
  const applications = array(o.discount_applications, "order.discount_applications");
  const createdAt = date(o.created_at, "order.created_at");
  const lines = array(o.line_items, "order.line_items")
    .map((l, i) => lineFromRest(l, i, refunded, taxesIncluded))
    .filter((l) => !l.giftCard)
    .map(({ giftCard: _giftCard, ...line }) => line);
  const record: OrderRecord = {
    id: idOf(o, "order"),
    customerId: customer ? idOf(customer, "order.customer") : null,
    name: text(o.name) ?? String(o.order_number ?? ""),
    currency: text(o.currency) ?? "USD",
    financialStatus: text(o.financial_status),
    processedAt: optionalDate(o.processed_at, "order.processed_at") ?? createdAt,
    createdAt,
    updatedAt: date(o.updated_at, "order.updated_at"),
    cancelledAt: optionalDate(o.cancelled_at, "order.cancelled_at"),
    test: o.test === true,
    taxesIncluded,
    subtotal: shopMoney(o, "subtotal_price", "order.subtotal_price"),
    totalPrice: shopMoney(o, "total_price", "order.total_price"),
    totalDiscounts: addMoney(lines.map((l) => l.discountAllocated)),
    totalRefunded: addMoney(refunds.map((r) => r.amount)),
    discountCodes: array(o.discount_codes, "order.discount_codes")
      .map((d) => text(d.code))
      .filter((code): code is string => code !== null),
    hasAutomaticDiscount: applications.some((a) => a.type === "automatic"),
    sourceName: text(o.source_name),
    lines,
    refunds,
  };
  return record;
}

