import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { CustomerRecord, OrderRecord } from "./records";
import { customerUpsertSql, DELETE_TEST_ORDERS_SQL, lineUpsertSql, orderUpsertSql, refundUpsertSql } from "./store.server";

// The bulk backfill's writer: a batch is COPYed into session-local staging tables, then
// merged into the real tables by the same statements the row-by-row paths use
// (store.server.ts), so the newest-wins rules have one definition. Staging tables are
// temporary (never WAL-logged) and emptied at each commit.

const STAGING_TABLES = [
  `CREATE TEMP TABLE IF NOT EXISTS stage_customer (
     id bigint, email text, first_name text, last_name text, tags jsonb, email_marketing text, sms_marketing text,
     created_at timestamp(3), updated_at timestamp(3)) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS stage_order (
     id bigint, customer_id bigint, name text, currency text, financial_status text, processed_at timestamp(3),
     created_at timestamp(3), updated_at timestamp(3), cancelled_at timestamp(3), subtotal numeric, total_discounts numeric,
     total_price numeric, codes jsonb, automatic boolean, taxes_included boolean, source_name text) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS stage_line (
     id bigint, order_id bigint, product_id bigint, variant_id bigint, title text, sku text, quantity int, price numeric,
     compare_at_price numeric, discount_allocated numeric, unit_cost numeric, tax_included numeric, product_type text,
     vendor text) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS stage_refund (
     id bigint, order_id bigint, processed_at timestamp(3), amount numeric, returned_quantity int) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS stage_written (id bigint PRIMARY KEY, inserted boolean, total_refunded numeric) ON COMMIT DELETE ROWS`,
];

type Cell = string | number | null;

/** Creates the staging tables on this connection (idempotent); they live as long as the session. */
export async function prepareStaging(client: pg.ClientBase): Promise<void> {
  for (const sql of STAGING_TABLES) await client.query(sql);
}

/**
 * Rows as COPY input: CSV with every string quoted, so "" is an empty string and an
 * unquoted empty field is NULL. PostgreSQL refuses a NUL byte at COPY (SQLSTATE 22021,
 * permanent), as it does for the parameters of the other paths. Null when there are no rows.
 */
function csvOf(rows: Cell[][]): string | null {
  if (rows.length === 0) return null;
  return stringify(rows, { quoted_string: true });
}

// Booleans go in as t/f strings rather than through csv-stringify's `cast` option, which
// made it three times slower (41 against 13 ms for 2,500 order rows). Quoted ("t"), they
// read as the same boolean: in CSV, quotes only tell an empty string from NULL.
const tf = (value: boolean) => (value ? "t" : "f");

async function copyCsv(client: pg.ClientBase, table: string, columns: readonly string[], csv: string | null): Promise<void> {
  if (csv === null) return;
  await pipeline(Readable.from([csv]), client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN WITH (FORMAT csv)`)));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const str = (n: bigint | null) => (n === null ? null : n.toString());

const CUSTOMER_COLUMNS = ["id", "email", "first_name", "last_name", "tags", "email_marketing", "sms_marketing", "created_at", "updated_at"];

/** A batch of customers as COPY input, built before the transaction that writes it. */
export interface StagedCustomers {
  csv: string | null;
}

/** Builds a batch's COPY input (pure, CPU only): done while earlier batches are written. */
export function stageCustomers(customers: readonly CustomerRecord[]): StagedCustomers {
  return {
    csv: csvOf(
      customers.map((c) => [c.id.toString(), c.email, c.firstName, c.lastName, JSON.stringify(c.tags), c.emailMarketing, c.smsMarketing, iso(c.createdAt), iso(c.updatedAt)]),
    ),
  };
}

/**
 * Upserts a staged batch of customers of shop `shopId` (stageCustomers). Must run inside a
 * transaction on `client` (the staging rows last until its commit) after prepareStaging.
 */
export async function copyCustomers(client: pg.ClientBase, shopId: number, staged: StagedCustomers): Promise<void> {
  if (staged.csv === null) return;
  await copyCsv(client, "stage_customer", CUSTOMER_COLUMNS, staged.csv);
  await client.query(customerUpsertSql(`stage_customer t`), [shopId]);
}

const ORDER_COLUMNS = [
  "id", "customer_id", "name", "currency", "financial_status", "processed_at", "created_at", "updated_at", "cancelled_at",
  "subtotal", "total_discounts", "total_price", "codes", "automatic", "taxes_included", "source_name",
];
const LINE_COLUMNS = ["id", "order_id", "product_id", "variant_id", "title", "sku", "quantity", "price", "compare_at_price", "discount_allocated", "unit_cost", "tax_included", "product_type", "vendor"];
const REFUND_COLUMNS = ["id", "order_id", "processed_at", "amount", "returned_quantity"];

/** A batch of orders as COPY input, built before the transaction that writes it. */
export interface StagedOrders {
  /** Ids of the batch's test orders: never stored, deleted when held. */
  testIds: string[];
  orders: string | null;
  lines: string | null;
  refunds: string | null;
}

/** Builds a batch's COPY input (pure, CPU only): done while earlier batches are written. */
export function stageOrders(records: readonly OrderRecord[]): StagedOrders {
  const orders = records.filter((o) => !o.test);
  return {
    testIds: records.filter((o) => o.test).map((o) => o.id.toString()),
    orders: csvOf(
      orders.map((o) => [
        o.id.toString(), str(o.customerId), o.name, o.currency, o.financialStatus, iso(o.processedAt), iso(o.createdAt), iso(o.updatedAt),
        iso(o.cancelledAt), o.subtotal, o.totalDiscounts, o.totalPrice, JSON.stringify(o.discountCodes), tf(o.hasAutomaticDiscount), tf(o.taxesIncluded),
        o.sourceName,
      ]),
    ),
    lines: csvOf(
      orders.flatMap((o) =>
        o.lines.map((l) => [
          l.id.toString(), o.id.toString(), str(l.productId), str(l.variantId), l.title, l.sku, l.quantity, l.price, l.compareAtPrice,
          l.discountAllocated, l.unitCost, l.taxIncluded, l.productType, l.vendor,
        ]),
      ),
    ),
    refunds: csvOf(orders.flatMap((o) => o.refunds.map((r) => [r.id.toString(), o.id.toString(), iso(r.processedAt), r.amount, r.returnedQuantity]))),
  };
}

/**
 * Upserts a staged batch of orders of shop `shopId` (stageOrders) with their lines and
 * refunds, with the rules of upsertOrders: test orders are never stored (a held one is
 * deleted), a stale version (older updated_at) changes nothing, and a written order's lines
 * are replaced, its refunds upserted and its totalRefunded recomputed. Must run inside a
 * transaction on `client` after prepareStaging. Returns how many orders were written.
 */
export async function copyOrders(client: pg.ClientBase, shopId: number, staged: StagedOrders): Promise<number> {
  if (staged.testIds.length) {
    for (const sql of DELETE_TEST_ORDERS_SQL) await client.query(sql, [shopId, staged.testIds]);
  }
  if (staged.orders === null) return 0;
  await copyCsv(client, "stage_order", ORDER_COLUMNS, staged.orders);
  await copyCsv(client, "stage_line", LINE_COLUMNS, staged.lines);
  await copyCsv(client, "stage_refund", REFUND_COLUMNS, staged.refunds);
  // One round trip for the whole merge (statements sent together cannot take parameters,
  // so the shop id is written into them): on a busy machine every round trip waits for
  // both processes to be scheduled again.
  const shop = shopLiteral(shopId);
  const results = (await client.query(
    [
      `WITH w AS (${orderUpsertSql(`stage_order t`, shop)}) INSERT INTO stage_written SELECT id, inserted, total_refunded FROM w`,
      // The statements below name their rows through ANY(ARRAY(...)) so that PostgreSQL
      // probes the indexes: the staging tables have no statistics, and joined to them the
      // big tables were read whole for every batch.
      // An order edit can remove lines: an updated order keeps only the lines its new
      // version has. An order inserted by this batch has none stored (lines cascade with it).
      `DELETE FROM "OrderLine" l
       WHERE l."shopId" = ${shop} AND l."orderId" = ANY(ARRAY(SELECT id FROM stage_written WHERE NOT inserted))
         AND (l.id, l."orderId") NOT IN (SELECT id, order_id FROM stage_line)`,
      lineUpsertSql(`stage_line t JOIN stage_written w ON w.id = t.order_id`, shop),
      refundUpsertSql(`stage_refund t JOIN stage_written w ON w.id = t.order_id`, shop),
      recomputeWrittenRefundedSql(shop),
    ].join(";\n"),
  )) as unknown as pg.QueryResult[];
  return results[0].rowCount ?? 0;
}

/** The shop id as an SQL literal; refuses anything but an integer. */
function shopLiteral(shopId: number): string {
  if (!Number.isSafeInteger(shopId)) throw new TypeError(`shop id ${shopId} is not an integer`);
  return String(shopId);
}

/**
 * recomputeRefundedSql for the written orders: totalRefunded becomes the sum of the stored
 * refunds (0 with none), compared with the total the upsert returned, so only the orders
 * whose total changes are read from and written to "Order". `shop` is the shop id literal.
 */
const recomputeWrittenRefundedSql = (shop: string) => `WITH x AS MATERIALIZED (
    SELECT w.id, COALESCE(sum(r.amount), 0) AS total
    FROM stage_written w
    LEFT JOIN "Refund" r ON r."shopId" = ${shop} AND r."orderId" = w.id AND r."orderId" = ANY(ARRAY(SELECT id FROM stage_written))
    GROUP BY w.id, w.total_refunded
    HAVING COALESCE(sum(r.amount), 0) IS DISTINCT FROM w.total_refunded)
  UPDATE "Order" o SET "totalRefunded" = x.total FROM x
  WHERE o."shopId" = ${shop} AND o.id = ANY(ARRAY(SELECT id FROM x)) AND o.id = x.id`;
