import type { OrderLine, OrderSummary } from "../scoring/types";
import { fromCents, scaleCents, toCents } from "./money";

/*
 * The one order record. Every source (REST webhook payloads in ./rest.ts, Admin GraphQL
 * nodes of the bulk backfill and reconciliation in ./graphql.ts, the orders-export CSV in
 * ./export.ts) maps into it, sync stores it, and scoring reads it through orderSummary().
 * The money rules live here and in the mappers beside it:
 *
 * - Shop money only: amounts are in the shop's currency (`*_set.shop_money`, `shopMoney`),
 *   never the customer's presentment currency.
 * - A line counts its sold units: ordered minus removed by order edits. Refunded units stay
 *   sold; the refund takes them off (so a restock-only refund keeps the revenue).
 * - Product revenue of a line = price × sold units − its discounts − the tax inside the
 *   price when the shop's prices include tax (`taxesIncluded`). Cost is ex tax, so margin is.
 * - A refund reduces product revenue by its refunded goods (refund line items' subtotal,
 *   ex tax), and only when money went back (a successful refund transaction). Refunded
 *   shipping, refunded tax and order adjustments are not product revenue.
 * - Gift card lines are not goods (a sold gift card is a liability): an order of gift cards
 *   only is an order with no product revenue. Paying with a gift card is payment.
 * - Test orders (`test: true`) are not orders: sync never stores them.
 * - A 0.00 line is never a markdown, whatever its compare-at price (scoring/features.ts).
 * - Cancelled orders stay stored and are left out of scoring; fully refunded orders count
 *   as purchases whose product revenue nets to 0.
 */

export interface LineRecord {
  id: bigint;
  productId: bigint | null;
  variantId: bigint | null;
  title: string;
  sku: string | null;
  /** Units sold: ordered minus removed by order edits (refunded units are still sold). */
  quantity: number;
  /** Unit price before discounts, shop money, as charged (tax included when the shop's prices include it). */
  price: string;
  compareAtPrice: string | null;
  /** Discounts on the sold units, shop money. */
  discountAllocated: string;
  /** Tax inside price × quantity − discountAllocated when the shop's prices include tax; "0.00" otherwise. */
  taxIncluded: string;
  /** Unit cost at the time of the order, ex tax, shop money; null when unknown. */
  unitCost: string | null;
  /** The product's type and vendor (Shopify's Product.productType / vendor); null when unknown or blank. */
  productType: string | null;
  vendor: string | null;
}

export interface RefundRecord {
  id: bigint;
  processedAt: Date;
  /** Product revenue returned: refunded goods ex tax, shop money; "0.00" when no money moved. */
  amount: string;
  /** Units that came back (restock type "return"), whether or not money moved. */
  returnedQuantity: number;
}

export interface OrderRecord {
  id: bigint;
  customerId: bigint | null;
  name: string;
  /** The shop's currency: every amount of the record is in it. */
  currency: string;
  financialStatus: string | null;
  processedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  /** Shopify's test flag (test mode, bogus gateway): such an order is never stored or scored. */
  test: boolean;
  /** The order's prices include tax (the shop's setting when it was placed). */
  taxesIncluded: boolean;
  /** Shopify's own subtotal and total, shop money, for display only. */
  subtotal: string;
  totalPrice: string;
  /** Discounts on the goods counted (the lines' allocations; shipping discounts are not product discounts). */
  totalDiscounts: string;
  /** Sum of the refunds' product amounts. */
  totalRefunded: string;
  discountCodes: string[];
  hasAutomaticDiscount: boolean;
  /** Where the order was placed: Shopify's `sourceName` / `source_name` ("web", "pos", "shopify_draft_order", an app's id); null when not given. */
  sourceName: string | null;
  /** Goods lines only: gift card lines are left out. */
  lines: LineRecord[];
  refunds: RefundRecord[];
}

/** What a source says about one line before the rules apply; amounts in shop money. */
export interface SourceLine {
  /** Units ordered, including any later removed by an edit. */
  quantity: number;
  /** Shopify's current quantity (ordered − removed − refunded); null when the source has none. */
  currentQuantity: number | null;
  /** Units refunded on this line, from the refunds the source carries. */
  refundedQuantity: number;
  price: string;
  /** Discounts on all ordered units. */
  discount: string;
  /** Tax lines of all ordered units. */
  tax: string;
  giftCard: boolean;
}

/** Units sold after edits: current + refunded, never more than ordered. */
export function soldQuantity(line: Pick<SourceLine, "quantity" | "currentQuantity" | "refundedQuantity">): number {
  if (line.currentQuantity === null) return line.quantity;
  return Math.max(0, Math.min(line.quantity, line.currentQuantity + line.refundedQuantity));
}

/**
 * The counted figures of one line: sold units, and the discount and included tax of those
 * units (scaled from the ordered units when an edit removed some).
 */
export function countedLine(line: SourceLine, taxesIncluded: boolean): { quantity: number; discountAllocated: string; taxIncluded: string } {
  const sold = soldQuantity(line);
  const ordered = BigInt(line.quantity);
  const scale = (amount: string) => fromCents(sold === line.quantity ? toCents(amount) : scaleCents(toCents(amount), BigInt(sold), ordered));
  return {
    quantity: sold,
    discountAllocated: scale(line.discount),
    taxIncluded: taxesIncluded ? scale(line.tax) : "0.00",
  };
}

/**
 * A refund's product amount: its goods' subtotal less the tax inside it when prices include
 * tax, and 0 when no money went back (a restock-only refund is a return, not lost revenue).
 */
export function productRefund(goods: { subtotal: string; tax: string }[], moneyReturned: boolean, taxesIncluded: boolean): string {
  if (!moneyReturned) return "0.00";
  let cents = 0n;
  for (const g of goods) cents += toCents(g.subtotal) - (taxesIncluded ? toCents(g.tax) : 0n);
  return fromCents(cents < 0n ? 0n : cents);
}

/** Product revenue of a line, in cents: price × units − discounts − included tax. */
export function lineRevenueCents(line: Pick<LineRecord, "quantity" | "price" | "discountAllocated" | "taxIncluded">): bigint {
  return toCents(line.price) * BigInt(line.quantity) - toCents(line.discountAllocated) - toCents(line.taxIncluded);
}

/** The scoring view of a stored record (money as numbers: statistics from here on). */
export function orderSummary(
  order: { id: bigint | string } & Pick<OrderRecord, "processedAt" | "cancelledAt" | "discountCodes" | "hasAutomaticDiscount" | "totalDiscounts" | "refunds"> & {
    lines: (Omit<LineRecord, "productType" | "vendor"> & Partial<Pick<LineRecord, "productType" | "vendor">>)[];
    sourceName?: string | null;
  },
  day?: number,
): OrderSummary {
  const lines: OrderLine[] = order.lines.map((l) => ({
    quantity: l.quantity,
    unitPrice: Number(l.price),
    compareAtPrice: l.compareAtPrice === null ? null : Number(l.compareAtPrice),
    unitCost: l.unitCost === null ? null : Number(l.unitCost),
    discountAllocated: Number(l.discountAllocated),
    taxIncluded: Number(l.taxIncluded),
    productType: l.productType ?? null,
    vendor: l.vendor ?? null,
  }));
  return {
    id: order.id.toString(),
    processedAt: order.processedAt,
    ...(day === undefined ? {} : { day }),
    cancelled: order.cancelledAt !== null,
    lines,
    discountCodes: order.discountCodes,
    hasAutomaticDiscount: order.hasAutomaticDiscount,
    totalDiscounts: Number(order.totalDiscounts),
    refunded: order.refunds.reduce((s, r) => s + Number(r.amount), 0),
    returnedQuantity: order.refunds.reduce((s, r) => s + r.returnedQuantity, 0),
    sourceName: order.sourceName ?? null,
  };
}
