import type { CustomerHistory, OrderLine, OrderSummary } from "./types";

const DAY_MS = 86_400_000;

export const AS_OF = new Date("2025-06-30T12:00:00Z");

export function daysBefore(asOf: Date, days: number): Date {
  return new Date(asOf.getTime() - days * DAY_MS);
}

export function line(overrides: Partial<OrderLine> = {}): OrderLine {
  return { quantity: 1, unitPrice: 100, compareAtPrice: null, unitCost: 40, discountAllocated: 0, ...overrides };
}

let orderSeq = 0;

export function order(daysAgo: number, overrides: Partial<OrderSummary> = {}, asOf: Date = AS_OF): OrderSummary {
  orderSeq++;
  return {
    id: `o${orderSeq}`,
    processedAt: daysBefore(asOf, daysAgo),
    cancelled: false,
    lines: [line()],
    discountCodes: [],
    hasAutomaticDiscount: false,
    totalDiscounts: 0,
    refunded: 0,
    ...overrides,
  };
}

export function customer(
  customerId: string,
  orders: OrderSummary[],
  overrides: Partial<Omit<CustomerHistory, "orders">> = {},
): CustomerHistory {
  const firstOrder = orders.reduce((m, o) => Math.min(m, o.processedAt.getTime()), AS_OF.getTime());
  return { customerId, createdAt: new Date(firstOrder), acceptsMarketing: false, orders, ...overrides };
}

/** A discount-code order: 20% off via a code, allocated to its line. */
export function codeOrder(daysAgo: number, unitPrice = 100, unitCost = 70): OrderSummary {
  const discount = unitPrice * 0.2;
  return order(daysAgo, {
    lines: [line({ unitPrice, unitCost, discountAllocated: discount })],
    discountCodes: ["SAVE20"],
    totalDiscounts: discount,
  });
}
