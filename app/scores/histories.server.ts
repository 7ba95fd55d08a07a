import type { PrismaClient } from "@prisma/client";
import type { CustomerHistory, OrderSummary } from "../scoring";

const CHUNK = 2000;

interface OrderRow {
  cid: string;
  id: string;
  processedAt: Date;
  cancelled: boolean;
  discountCodes: string[];
  hasAutomaticDiscount: boolean;
  totalDiscounts: number;
  totalRefunded: number;
  returned: number;
  lines: [number, number, number | null, number | null, number, number][];
}

/**
 * Every live customer's order history, as stored by sync under the order record's rules
 * (app/orders/record.ts: test orders never stored, gift cards left out, tax and refunds in
 * product terms); this only reads the columns into scoring's shape. Read in chunks of
 * customers so a large shop is never one giant query; lines come aggregated per order.
 */
export async function* loadHistories(db: PrismaClient, shopId: number): AsyncGenerator<CustomerHistory[]> {
  let after = -1n;
  for (;;) {
    const customers = await db.customer.findMany({
      where: { shopId, deletedAt: null, id: { gt: after } },
      orderBy: { id: "asc" },
      take: CHUNK,
      select: { id: true, shopifyCreatedAt: true, createdAt: true, emailMarketing: true },
    });
    if (customers.length === 0) return;
    after = customers[customers.length - 1].id;
    const rows = await db.$queryRawUnsafe<OrderRow[]>(
      `SELECT o."customerId"::text AS cid, o.id::text AS id, o."processedAt" AS "processedAt",
              o."cancelledAt" IS NOT NULL AS cancelled, o."discountCodes" AS "discountCodes",
              o."hasAutomaticDiscount" AS "hasAutomaticDiscount", o."totalDiscounts"::float8 AS "totalDiscounts",
              o."totalRefunded"::float8 AS "totalRefunded",
              COALESCE((SELECT sum(r."returnedQuantity") FROM "Refund" r WHERE r."shopId" = o."shopId" AND r."orderId" = o.id), 0)::int AS returned,
              COALESCE((SELECT json_agg(json_build_array(l.quantity, l.price::float8, l."compareAtPrice"::float8,
                                                         l."unitCost"::float8, l."discountAllocated"::float8,
                                                         l."taxIncluded"::float8))
                        FROM "OrderLine" l WHERE l."shopId" = o."shopId" AND l."orderId" = o.id), '[]'::json) AS lines
       FROM "Order" o
       WHERE o."shopId" = $1 AND o."customerId" = ANY($2::bigint[])
       ORDER BY o."processedAt"`,
      shopId,
      customers.map((c) => c.id.toString()),
    );
    const orders = new Map<string, OrderSummary[]>();
    for (const row of rows) {
      const list = orders.get(row.cid) ?? [];
      list.push({
        id: row.id,
        processedAt: row.processedAt,
        cancelled: row.cancelled,
        discountCodes: row.discountCodes,
        hasAutomaticDiscount: row.hasAutomaticDiscount,
        totalDiscounts: row.totalDiscounts,
        refunded: row.totalRefunded,
        returnedQuantity: row.returned,
        lines: row.lines.map(([quantity, unitPrice, compareAtPrice, unitCost, discountAllocated, taxIncluded]) => ({
          quantity,
          unitPrice,
          compareAtPrice,
          unitCost,
          discountAllocated,
          taxIncluded,
        })),
      });
      orders.set(row.cid, list);
    }
    yield customers.map((c) => ({
      customerId: c.id.toString(),
      createdAt: c.shopifyCreatedAt ?? c.createdAt,
      acceptsMarketing: c.emailMarketing === "SUBSCRIBED",
      orders: orders.get(c.id.toString()) ?? [],
    }));
  }
}
