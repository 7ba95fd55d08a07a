import type { FakeCustomer, FakeLineItem, FakeOrder, FakeRefund, FakeTransaction } from "./model";
import { sumCents, toCents } from "../util/money";

export const DEFAULT_GATEWAY = "shopify_payments";

export const lineDiscountCents = (line: FakeLineItem): bigint => sumCents(line.discountAllocations.map((a) => toCents(a.amount)));
/** Price × the quantity first ordered (Shopify's `originalTotalSet`), removed units included. */
export const lineOriginalTotalCents = (line: FakeLineItem): bigint => toCents(line.originalUnitPrice) * BigInt(line.quantity);
/** Units still on the order after edits, before refunds. */
export const editedQuantity = (line: FakeLineItem): number => line.quantity - (line.removedQuantity ?? 0);
export const lineEditedTotalCents = (line: FakeLineItem): bigint => toCents(line.originalUnitPrice) * BigInt(editedQuantity(line));
/** The line's tax on the units still on the order (a line an edit removed carries none). */
export function lineTaxCents(line: FakeLineItem): bigint {
  const tax = sumCents((line.taxLines ?? []).map((t) => toCents(t.price)));
  if (line.quantity === 0 || !line.removedQuantity) return tax;
  return (tax * BigInt(editedQuantity(line))) / BigInt(line.quantity);
}

export function lineDiscountedUnitCents(line: FakeLineItem): bigint {
  if (line.quantity === 0) return toCents(line.originalUnitPrice);
  return toCents(line.originalUnitPrice) - lineDiscountCents(line) / BigInt(line.quantity);
}

export function refundedQuantity(order: FakeOrder, lineItemId: string): number {
  let quantity = 0;
  for (const refund of order.refunds) {
    for (const rli of refund.refundLineItems) if (rli.lineItemId === lineItemId) quantity += rli.quantity;
  }
  return quantity;
}

/** Shopify's `currentQuantity`: ordered, less units removed by edits and units refunded. */
export const currentQuantity = (order: FakeOrder, line: FakeLineItem): number =>
  Math.max(0, editedQuantity(line) - refundedQuantity(order, line.id));

export const gatewaysOf = (order: FakeOrder): string[] =>
  order.paymentGatewayNames && order.paymentGatewayNames.length > 0 ? order.paymentGatewayNames : [DEFAULT_GATEWAY];

/** The refund's transactions: explicit ones, or one of `totalRefunded` through the order's first gateway. */
export function refundTransactions(order: FakeOrder, refund: FakeRefund): FakeTransaction[] {
  if (refund.transactions) return refund.transactions;
  if (toCents(refund.totalRefunded) === 0n) return [];
  return [{ id: refund.id, kind: "refund", gateway: gatewaysOf(order)[0], amount: refund.totalRefunded, createdAt: refund.createdAt }];
}

export interface OrderTotals {
  lineItemsTotal: bigint;
  subtotal: bigint;
  totalDiscounts: bigint;
  shipping: bigint;
  tax: bigint;
  total: bigint;
  refunded: bigint;
  currentSubtotal: bigint;
  currentTotal: bigint;
  /** Tax less the tax on refunded goods and refunded shipping. */
  currentTax: bigint;
  refundedShipping: bigint;
}

/**
 * Shopify's subtotal is after line-level discounts and before shipping; tax is added on
 * top unless the order's taxes are included in the prices. Removed (edited-out) units
 * are not part of any total; refunds reduce only the `current*` figures.
 */
export function orderTotals(order: FakeOrder): OrderTotals {
  const lineItemsTotal = sumCents(order.lineItems.map(lineEditedTotalCents));
  const totalDiscounts = sumCents(order.lineItems.map(lineDiscountCents));
  const subtotal = lineItemsTotal - totalDiscounts;
  const shipping = toCents(order.shippingPrice);
  const tax = toCents(order.totalTax);
  const total = subtotal + shipping + (order.taxesIncluded ? 0n : tax);
  const refunded = sumCents(order.refunds.map((r) => toCents(r.totalRefunded)));
  const refundedLines = sumCents(order.refunds.flatMap((r) => r.refundLineItems.map((rli) => toCents(rli.subtotal))));
  const refundedTax = sumCents(
    order.refunds.flatMap((r) => [...r.refundLineItems.map((rli) => toCents(rli.totalTax ?? "0")), toCents(r.shipping?.tax ?? "0")]),
  );
  const refundedShipping = sumCents(order.refunds.map((r) => toCents(r.shipping?.amount ?? "0")));
  const currentTotal = total - refunded;
  return {
    lineItemsTotal,
    subtotal,
    totalDiscounts,
    shipping,
    tax,
    total,
    refunded,
    currentSubtotal: subtotal - refundedLines,
    currentTotal: currentTotal < 0n ? 0n : currentTotal,
    currentTax: tax - refundedTax < 0n ? 0n : tax - refundedTax,
    refundedShipping,
  };
}

/** The order's sale transactions: explicit ones, or one sale of the total through the first gateway. */
export function saleTransactions(order: FakeOrder): FakeTransaction[] {
  if (order.transactions) return order.transactions;
  if (order.financialStatus === "PENDING" || order.financialStatus === "AUTHORIZED" || order.financialStatus === "VOIDED") return [];
  return [{ id: order.id, kind: "sale", gateway: gatewaysOf(order)[0], amount: formatTotal(orderTotals(order).total), createdAt: order.processedAt }];
}

function formatTotal(cents: bigint): string {
  const whole = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, "0");
  return `${whole}.${fraction}`;
}

/** The buyer's currency and the rate from shop money to it (1 when they are the same). */
export interface Presentment {
  currency: string;
  /** Presentment units per shop unit, in millionths. */
  rateMicros: bigint;
}

export function presentmentOf(order: FakeOrder): Presentment {
  const currency = order.presentmentCurrency ?? order.currency;
  if (currency === order.currency || !order.presentmentRate) return { currency: order.currency, rateMicros: 1_000_000n };
  const [whole, fraction = ""] = order.presentmentRate.split(".");
  return { currency, rateMicros: BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6)) };
}

/** Shop cents in presentment cents, rounded half away from zero. */
export function toPresentmentCents(cents: bigint, p: Presentment): bigint {
  if (p.rateMicros === 1_000_000n) return cents;
  const scaled = cents * p.rateMicros;
  const half = scaled < 0n ? -500_000n : 500_000n;
  return (scaled + half) / 1_000_000n;
}

const countsAsSpend = (order: FakeOrder): boolean =>
  !order.test &&
  order.cancelledAt === null &&
  (order.financialStatus === "PAID" || order.financialStatus === "PARTIALLY_REFUNDED" || order.financialStatus === "REFUNDED");

export function customerSpendCents(orders: readonly FakeOrder[]): bigint {
  return sumCents(orders.filter(countsAsSpend).map((o) => orderTotals(o).currentTotal));
}

export const displayName = (customer: FakeCustomer): string =>
  [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || customer.phone || "";
