import type { PrismaClient } from "@prisma/client";
import type { FakeShopify } from "../fake-shopify/server";
import type { FakeOrder } from "../fake-shopify/store/model";
import { orderTotals, refundTransactions } from "../fake-shopify/store/order-math";
import { formatMoney, toCents } from "../fake-shopify/util/money";

export interface CustomerLedger {
  orders: number;
  cancelled: number;
  totalPrice: string;
  totalRefunded: string;
}

const GUEST = "guest";

/**
 * Product refunds of an order as Patron counts them (app/orders/record.ts): refunded goods,
 * ex tax when prices include it, of refunds that paid money back; gift cards are not goods.
 */
export function productRefundCents(order: FakeOrder): bigint {
  const giftCards = new Set(order.lineItems.filter((l) => l.giftCard).map((l) => l.id));
  let cents = 0n;
  for (const refund of order.refunds) {
    if (refundTransactions(order, refund).length === 0) continue;
    for (const rli of refund.refundLineItems) {
      if (giftCards.has(rli.lineItemId)) continue;
      cents += toCents(rli.subtotal) - (order.taxesIncluded ? toCents(rli.totalTax ?? "0") : 0n);
    }
  }
  return cents;
}

/**
 * Per customer (guests together): order count, cancelled count, Shopify's order totals and
 * product refunds. What the fake store holds; test orders are not orders.
 */
export function storeLedger(fake: FakeShopify, shop: string): Record<string, CustomerLedger> {
  const acc = new Map<string, { orders: number; cancelled: number; total: bigint; refunded: bigint }>();
  for (const order of fake.shops.get(shop)!.data.orders) {
    if (order.test) continue;
    const key = order.customerId ?? GUEST;
    const entry = acc.get(key) ?? { orders: 0, cancelled: 0, total: 0n, refunded: 0n };
    const totals = orderTotals(order);
    entry.orders++;
    if (order.cancelledAt) entry.cancelled++;
    entry.total += totals.total;
    entry.refunded += productRefundCents(order);
    acc.set(key, entry);
  }
  return Object.fromEntries(
    [...acc].map(([k, v]) => [k, { orders: v.orders, cancelled: v.cancelled, totalPrice: formatMoney(v.total), totalRefunded: formatMoney(v.refunded) }]),
  );
}

/** The same ledger from Patron's database. */
export async function patronLedger(db: PrismaClient, shopId: number): Promise<Record<string, CustomerLedger>> {
  const rows = await db.$queryRawUnsafe<{ customer: string | null; orders: bigint; cancelled: bigint; total: string; refunded: string }[]>(
    `SELECT "customerId"::text AS customer, count(*) AS orders, count("cancelledAt") AS cancelled,
            sum("totalPrice")::numeric(18,2)::text AS total, sum("totalRefunded")::numeric(18,2)::text AS refunded
     FROM "Order" WHERE "shopId" = $1 GROUP BY "customerId"`,
    shopId,
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.customer ?? GUEST,
      { orders: Number(r.orders), cancelled: Number(r.cancelled), totalPrice: r.total, totalRefunded: r.refunded },
    ]),
  );
}

export type OrderOrigins = Record<string, { source: string | null; lines: Record<string, [productType: string | null, vendor: string | null]> }>;

/** Per order: its source and each goods line's product type and vendor, as the store holds them. */
export function storeOrigins(fake: FakeShopify, shop: string): OrderOrigins {
  const data = fake.shops.get(shop)!.data;
  const products = new Map(data.products.map((p) => [p.id, p]));
  const out: OrderOrigins = {};
  for (const order of data.orders) {
    if (order.test) continue;
    const lines: OrderOrigins[string]["lines"] = {};
    for (const line of order.lineItems) {
      if (line.giftCard) continue;
      const product = line.productId === null ? undefined : products.get(line.productId);
      lines[line.id] = [product?.productType || null, product?.vendor || null];
    }
    out[order.id] = { source: order.sourceName || null, lines };
  }
  return out;
}

/** The same from Patron's database. */
export async function patronOrigins(db: PrismaClient, shopId: number): Promise<OrderOrigins> {
  const orders = await db.order.findMany({ where: { shopId }, select: { id: true, sourceName: true } });
  const lines = await db.orderLine.findMany({ where: { shopId }, select: { id: true, orderId: true, productType: true, vendor: true } });
  const out: OrderOrigins = {};
  for (const o of orders) out[o.id.toString()] = { source: o.sourceName, lines: {} };
  for (const l of lines) out[l.orderId.toString()].lines[l.id.toString()] = [l.productType, l.vendor];
  return out;
}
