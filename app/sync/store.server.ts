import type { Prisma, PrismaClient } from "@prisma/client";
import type { CustomerRecord, LineRecord, OrderRecord, RefundRecord } from "./records";

// Batch upserts shared by webhooks, the bulk backfill and reconciliation. Each is
// one statement per table over unnest()ed arrays, and each ignores a version older
// than the one held (deliveries arrive out of order): an update is applied only when
// its Shopify updated_at is not older than the stored one.

type Db = PrismaClient | Prisma.TransactionClient;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const str = (n: bigint | null) => (n === null ? null : n.toString());

/**
 * The customer upsert, newest wins: one statement reading rows `t` from `source` (an
 * unnest() of arrays or a staging table) with columns id, email, first_name, last_name,
 * tags (jsonb array), email_marketing, sms_marketing, created_at, updated_at; `shop` is
 * the SQL for the shop id ($1, or an integer literal where statements are sent together).
 */
export function customerUpsertSql(source: string, shop = "$1"): string {
  return `INSERT INTO "Customer" ("shopId", id, email, "firstName", "lastName", tags, "emailMarketing", "smsMarketing",
                             "shopifyCreatedAt", "shopifyUpdatedAt", "updatedAt")
     SELECT ${shop}, t.id, t.email, t.first_name, t.last_name,
            COALESCE((SELECT array_agg(x) FROM jsonb_array_elements_text(t.tags) x), '{}'),
            t.email_marketing::"MarketingState", t.sms_marketing::"MarketingState", t.created_at, t.updated_at, now()
     FROM ${source}
     ON CONFLICT ("shopId", id) DO UPDATE SET
       email = EXCLUDED.email, "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName",
       tags = EXCLUDED.tags, "emailMarketing" = EXCLUDED."emailMarketing", "smsMarketing" = EXCLUDED."smsMarketing",
       "shopifyCreatedAt" = COALESCE(EXCLUDED."shopifyCreatedAt", "Customer"."shopifyCreatedAt"),
       "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "updatedAt" = now()
     WHERE "Customer"."shopifyUpdatedAt" IS NULL OR "Customer"."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt"`;
}

export async function upsertCustomers(db: Db, shopId: number, customers: CustomerRecord[]): Promise<number> {
  if (customers.length === 0) return 0;
  return db.$executeRawUnsafe(
    customerUpsertSql(
      `unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[],
                 $9::timestamp(3)[], $10::timestamp(3)[])
          AS t(id, email, first_name, last_name, tags, email_marketing, sms_marketing, created_at, updated_at)`,
    ),
    shopId,
    customers.map((c) => c.id.toString()),
    customers.map((c) => c.email),
    customers.map((c) => c.firstName),
    customers.map((c) => c.lastName),
    customers.map((c) => JSON.stringify(c.tags)),
    customers.map((c) => c.emailMarketing),
    customers.map((c) => c.smsMarketing),
    customers.map((c) => iso(c.createdAt)),
    customers.map((c) => iso(c.updatedAt)),
  );
}

/**
 * Records customers known so far only from an order's embedded customer (their own
 * customers/create can come later, or never for a missed webhook): inserted when absent,
 * with no Shopify updated_at, so any customer webhook or sync replaces them whole.
 */
export async function ensureCustomers(db: Db, shopId: number, customers: CustomerRecord[]): Promise<void> {
  if (customers.length === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "Customer" ("shopId", id, email, "firstName", "lastName", "emailMarketing", "smsMarketing", "shopifyCreatedAt", "updatedAt")
     SELECT $1, t.id, t.email, t.first_name, t.last_name, t.email_marketing::"MarketingState", t.sms_marketing::"MarketingState",
            t.created_at, now()
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamp(3)[])
          AS t(id, email, first_name, last_name, email_marketing, sms_marketing, created_at)
     ON CONFLICT ("shopId", id) DO NOTHING`,
    shopId,
    customers.map((c) => c.id.toString()),
    customers.map((c) => c.email),
    customers.map((c) => c.firstName),
    customers.map((c) => c.lastName),
    customers.map((c) => c.emailMarketing),
    customers.map((c) => c.smsMarketing),
    customers.map((c) => iso(c.createdAt)),
  );
}

export async function markCustomerDeleted(db: Db, shopId: number, customerId: bigint, at: Date) {
  await db.customer.upsert({
    where: { shopId_id: { shopId, id: customerId } },
    create: { shopId, id: customerId, deletedAt: at },
    update: { deletedAt: at },
  });
}

/** Deletes held copies of test orders (ids in $2, shop $1): test orders are never stored. */
export const DELETE_TEST_ORDERS_SQL = [
  `DELETE FROM "Refund" WHERE "shopId" = $1 AND "orderId" = ANY($2::bigint[])`,
  `DELETE FROM "Order" WHERE "shopId" = $1 AND id = ANY($2::bigint[])`,
];

/**
 * The order upsert, newest wins (applied only when Shopify's updated_at is not older than
 * the stored one), returning the ids written, whether each was inserted (new to us: it has
 * no lines or refunds stored by this path yet) and its stored totalRefunded. Rows `t` from `source` with columns id,
 * customer_id, name, currency, financial_status, processed_at, created_at, updated_at,
 * cancelled_at, subtotal, total_discounts, total_price, codes (jsonb array), automatic,
 * taxes_included, source_name; `shop` as for customerUpsertSql.
 */
export function orderUpsertSql(source: string, shop = "$1"): string {
  return `INSERT INTO "Order" ("shopId", id, "customerId", name, currency, "financialStatus", "processedAt",
                          "shopifyCreatedAt", "shopifyUpdatedAt", "cancelledAt", subtotal, "totalDiscounts",
                          "totalPrice", "discountCodes", "hasAutomaticDiscount", "taxesIncluded", "sourceName", "updatedAt")
     SELECT ${shop}, t.id, t.customer_id, t.name, t.currency, t.financial_status, t.processed_at, t.created_at,
            t.updated_at, t.cancelled_at, t.subtotal, t.total_discounts, t.total_price,
            COALESCE((SELECT array_agg(x) FROM jsonb_array_elements_text(t.codes) x), '{}'), t.automatic,
            t.taxes_included, t.source_name, now()
     FROM ${source}
     ON CONFLICT ("shopId", id) DO UPDATE SET
       "customerId" = EXCLUDED."customerId", name = EXCLUDED.name, currency = EXCLUDED.currency,
       "financialStatus" = EXCLUDED."financialStatus", "processedAt" = EXCLUDED."processedAt",
       "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "cancelledAt" = EXCLUDED."cancelledAt",
       subtotal = EXCLUDED.subtotal, "totalDiscounts" = EXCLUDED."totalDiscounts",
       "totalPrice" = EXCLUDED."totalPrice", "discountCodes" = EXCLUDED."discountCodes",
       "hasAutomaticDiscount" = EXCLUDED."hasAutomaticDiscount", "taxesIncluded" = EXCLUDED."taxesIncluded",
       "sourceName" = EXCLUDED."sourceName", "updatedAt" = now()
     WHERE "Order"."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt"
     RETURNING id, ("Order".xmax = 0) AS inserted, "totalRefunded" AS total_refunded`;
}

/**
 * The line upsert of written orders. Cost and compare-at price are those seen first: the
 * values at the time of the order. Rows `t` from `source` with columns id, order_id,
 * product_id, variant_id, title, sku, quantity, price, compare_at_price,
 * discount_allocated, unit_cost, tax_included, product_type, vendor; `shop` as for customerUpsertSql.
 */
export function lineUpsertSql(source: string, shop = "$1"): string {
  return `INSERT INTO "OrderLine" ("shopId", id, "orderId", "productId", "variantId", title, sku, quantity, price,
                              "compareAtPrice", "discountAllocated", "unitCost", "taxIncluded", "productType", vendor)
     SELECT ${shop}, t.id, t.order_id, t.product_id, t.variant_id, t.title, t.sku, t.quantity, t.price,
            t.compare_at_price, t.discount_allocated, t.unit_cost, t.tax_included, t.product_type, t.vendor
     FROM ${source}
     ON CONFLICT ("shopId", id) DO UPDATE SET
       "orderId" = EXCLUDED."orderId", "productId" = EXCLUDED."productId", "variantId" = EXCLUDED."variantId",
       title = EXCLUDED.title, sku = EXCLUDED.sku, quantity = EXCLUDED.quantity, price = EXCLUDED.price,
       "discountAllocated" = EXCLUDED."discountAllocated", "taxIncluded" = EXCLUDED."taxIncluded",
       "compareAtPrice" = COALESCE("OrderLine"."compareAtPrice", EXCLUDED."compareAtPrice"),
       "unitCost" = COALESCE("OrderLine"."unitCost", EXCLUDED."unitCost"),
       "productType" = COALESCE(EXCLUDED."productType", "OrderLine"."productType"),
       vendor = COALESCE(EXCLUDED.vendor, "OrderLine".vendor)`;
}

/** The refund upsert: rows `t` from `source` with columns id, order_id, processed_at, amount, returned_quantity; `shop` as for customerUpsertSql. */
export function refundUpsertSql(source: string, shop = "$1"): string {
  return `INSERT INTO "Refund" ("shopId", id, "orderId", "processedAt", amount, "returnedQuantity")
     SELECT ${shop}, t.id, t.order_id, t.processed_at, t.amount, t.returned_quantity FROM ${source}
     ON CONFLICT ("shopId", id) DO UPDATE SET
       amount = EXCLUDED.amount, "returnedQuantity" = EXCLUDED."returnedQuantity", "processedAt" = EXCLUDED."processedAt"`;
}

/**
 * Sets each listed order's totalRefunded to the sum of its stored refunds (0 with none),
 * for the order ids yielded by `ids` (a query of one bigint column `id`); $1 is the shop
 * id. Rows already right are not rewritten.
 */
export function recomputeRefundedSql(ids: string): string {
  return `UPDATE "Order" o SET "totalRefunded" = x.total
     FROM (SELECT w.id, COALESCE((SELECT sum(r.amount) FROM "Refund" r WHERE r."shopId" = $1 AND r."orderId" = w.id), 0) AS total
           FROM (${ids}) w) x
     WHERE o."shopId" = $1 AND o.id = x.id AND o."totalRefunded" IS DISTINCT FROM x.total`;
}

/**
 * Upserts orders with their lines and refunds; returns the ids that were written (not
 * stale). Test orders are not orders (app/orders/record.ts): they are never stored, on
 * any path, and one already held is deleted.
 */
export async function upsertOrders(db: Db, shopId: number, records: OrderRecord[]): Promise<bigint[]> {
  const tests = records.filter((o) => o.test).map((o) => o.id.toString());
  if (tests.length) {
    for (const sql of DELETE_TEST_ORDERS_SQL) await db.$executeRawUnsafe(sql, shopId, tests);
  }
  const orders = records.filter((o) => !o.test);
  if (orders.length === 0) return [];
  const written = await db.$queryRawUnsafe<{ id: bigint }[]>(
    orderUpsertSql(
      `unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[],
                 $8::timestamp(3)[], $9::timestamp(3)[], $10::timestamp(3)[], $11::numeric[], $12::numeric[],
                 $13::numeric[], $14::jsonb[], $15::boolean[], $16::boolean[], $17::text[])
          AS t(id, customer_id, name, currency, financial_status, processed_at, created_at, updated_at,
               cancelled_at, subtotal, total_discounts, total_price, codes, automatic, taxes_included, source_name)`,
    ),
    shopId,
    orders.map((o) => o.id.toString()),
    orders.map((o) => str(o.customerId)),
    orders.map((o) => o.name),
    orders.map((o) => o.currency),
    orders.map((o) => o.financialStatus),
    orders.map((o) => iso(o.processedAt)),
    orders.map((o) => iso(o.createdAt)),
    orders.map((o) => iso(o.updatedAt)),
    orders.map((o) => iso(o.cancelledAt)),
    orders.map((o) => o.subtotal),
    orders.map((o) => o.totalDiscounts),
    orders.map((o) => o.totalPrice),
    orders.map((o) => JSON.stringify(o.discountCodes)),
    orders.map((o) => o.hasAutomaticDiscount),
    orders.map((o) => o.taxesIncluded),
    orders.map((o) => o.sourceName),
  );
  const writtenIds = new Set(written.map((r) => String(r.id)));
  const fresh = orders.filter((o) => writtenIds.has(o.id.toString()));
  if (fresh.length === 0) return [];

  await replaceLines(db, shopId, fresh);
  await upsertRefunds(db, shopId, fresh.flatMap((o) => o.refunds.map((r) => ({ ...r, orderId: o.id }))));
  await recomputeRefunded(db, shopId, fresh.map((o) => o.id));
  return fresh.map((o) => o.id);
}

async function replaceLines(db: Db, shopId: number, orders: OrderRecord[]) {
  const lines: (LineRecord & { orderId: bigint })[] = orders.flatMap((o) => o.lines.map((l) => ({ ...l, orderId: o.id })));
  // An order edit can remove lines: drop the ones the new version no longer has.
  await db.$executeRawUnsafe(
    `DELETE FROM "OrderLine" WHERE "shopId" = $1 AND "orderId" = ANY($2::bigint[]) AND NOT (id = ANY($3::bigint[]))`,
    shopId,
    orders.map((o) => o.id.toString()),
    lines.map((l) => l.id.toString()),
  );
  if (lines.length === 0) return;
  await db.$executeRawUnsafe(
    lineUpsertSql(
      `unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::int[], $9::numeric[],
                   $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[], $14::text[], $15::text[])
          AS t(id, order_id, product_id, variant_id, title, sku, quantity, price, compare_at_price,
               discount_allocated, unit_cost, tax_included, product_type, vendor)`,
    ),
    shopId,
    lines.map((l) => l.id.toString()),
    lines.map((l) => l.orderId.toString()),
    lines.map((l) => str(l.productId)),
    lines.map((l) => str(l.variantId)),
    lines.map((l) => l.title),
    lines.map((l) => l.sku),
    lines.map((l) => l.quantity),
    lines.map((l) => l.price),
    lines.map((l) => l.compareAtPrice),
    lines.map((l) => l.discountAllocated),
    lines.map((l) => l.unitCost),
    lines.map((l) => l.taxIncluded),
    lines.map((l) => l.productType),
    lines.map((l) => l.vendor),
  );
}

export async function upsertRefunds(db: Db, shopId: number, refunds: (RefundRecord & { orderId: bigint })[]) {
  if (refunds.length === 0) return;
  await db.$executeRawUnsafe(
    refundUpsertSql(`unnest($2::bigint[], $3::bigint[], $4::timestamp(3)[], $5::numeric[], $6::int[]) AS t(id, order_id, processed_at, amount, returned_quantity)`),
    shopId,
    refunds.map((r) => r.id.toString()),
    refunds.map((r) => r.orderId.toString()),
    refunds.map((r) => iso(r.processedAt)),
    refunds.map((r) => r.amount),
    refunds.map((r) => r.returnedQuantity),
  );
}

export async function recomputeRefunded(db: Db, shopId: number, orderIds: bigint[]) {
  if (orderIds.length === 0) return;
  await db.$executeRawUnsafe(recomputeRefundedSql(`SELECT unnest($2::bigint[]) AS id`), shopId, orderIds.map(String));
}
