import type { PrismaClient } from "@prisma/client";
import type { FakeShopify } from "../fake-shopify/server";
import { orderTotals } from "../fake-shopify/store/order-math";
import { formatMoney } from "../fake-shopify/util/money";

export interface CustomerLedger {
  orders: number;
  cancelled: number;
  totalPrice: string;
  totalRefunded: string;
}

const GUEST = "guest";

/** Per customer (guests together): order count, cancelled count, money totals. What the fake store holds. */
export function storeLedger(fake: FakeShopify, shop: string): Record<string, CustomerLedger> {
  const acc = new Map<string, { orders: number; cancelled: number; total: bigint; refunded: bigint }>();
  for (const order of fake.shops.get(shop)!.data.orders) {
    const key = order.customerId ?? GUEST;
    const entry = acc.get(key) ?? { orders: 0, cancelled: 0, total: 0n, refunded: 0n };
    const totals = orderTotals(order);
    entry.orders++;
    if (order.cancelledAt) entry.cancelled++;
    entry.total += totals.total;
    entry.refunded += totals.refunded;
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
