import type { FakeCustomer, FakeLineItem, FakeOrder } from "./model";
import { sumCents, toCents } from "../util/money";

export const lineDiscountCents = (line: FakeLineItem): bigint => sumCents(line.discountAllocations.map((a) => toCents(a.amount)));
export const lineOriginalTotalCents = (line: FakeLineItem): bigint => toCents(line.originalUnitPrice) * BigInt(line.quantity);

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
}

/** Shopify's subtotal is after line-level discounts and before shipping and tax. */
export function orderTotals(order: FakeOrder): OrderTotals {
  const lineItemsTotal = sumCents(order.lineItems.map(lineOriginalTotalCents));
  const totalDiscounts = sumCents(order.lineItems.map(lineDiscountCents));
  const subtotal = lineItemsTotal - totalDiscounts;
  const shipping = toCents(order.shippingPrice);
  const tax = toCents(order.totalTax);
  const total = subtotal + shipping + tax;
  const refunded = sumCents(order.refunds.map((r) => toCents(r.totalRefunded)));
  const refundedLines = sumCents(order.refunds.flatMap((r) => r.refundLineItems.map((rli) => toCents(rli.subtotal))));
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
  };
}

const countsAsSpend = (order: FakeOrder): boolean =>
  order.cancelledAt === null && (order.financialStatus === "PAID" || order.financialStatus === "PARTIALLY_REFUNDED" || order.financialStatus === "REFUNDED");

export function customerSpendCents(orders: readonly FakeOrder[]): bigint {
  return sumCents(orders.filter(countsAsSpend).map((o) => orderTotals(o).currentTotal));
}

export const displayName = (customer: FakeCustomer): string =>
  [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || customer.phone || "";
