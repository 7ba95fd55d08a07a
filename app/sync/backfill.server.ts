import type { PrismaClient, SyncKind, SyncRun } from "@prisma/client";
import { logger } from "../logger.server";
import { type AdminGraphql, assertNoUserErrors } from "../shopify/admin-graphql.server";
import { BULK_CUSTOMERS_QUERY } from "../shopify/operations/bulk-customers";
import { BULK_OPERATION_QUERY, type BulkOperationResult } from "../shopify/operations/bulk-operation";
import { BULK_OPERATION_RUN_QUERY, type BulkOperationRunQueryResult } from "../shopify/operations/bulk-operation-run-query";
import { bulkOrdersQuery } from "../shopify/operations/bulk-orders";
import { SHOP_DETAILS_QUERY, type ShopDetailsResult } from "../shopify/operations/shop-details";
import { isTimeZone } from "../scoring/days";
import { customerFromGraphql, type CustomerNode, type LineItemNode, orderFromGraphql, type OrderNode, type RefundNode } from "../orders/graphql";
import { fetchJsonlLines, groupRoots, type JsonlRoot } from "./jsonl.server";
import type { CustomerRecord, OrderRecord } from "./records";
import { fetchRefundDetails } from "./refund-details.server";
import { upsertCustomers, upsertOrders } from "./store.server";

export const LIMITED_HISTORY_DAYS = 60;
const BATCH_ROOTS = 500;
// Prisma's default (5 s) is short for a batch of big orders on a busy database.
const BATCH_TIMEOUT_MS = 60_000;

export class BulkOperationPendingError extends Error {
  override name = "BulkOperationPendingError";
}

/** Without read_all_orders Shopify exposes only the last 60 days of orders. */
export function ordersSince(scopes: string | null, now = new Date()): Date | null {
  const granted = (scopes ?? "").split(",").map((s) => s.trim());
  return granted.includes("read_all_orders") ? null : new Date(now.getTime() - LIMITED_HISTORY_DAYS * 86_400_000);
}

/**
 * Records the shop's currency and IANA time zone. An unknown zone name is not stored
 * (scoring then counts UTC days) rather than failing the backfill.
 */
export async function recordShopDetails(db: PrismaClient, admin: AdminGraphql, shopId: number): Promise<void> {
  const { shop } = await admin.request<ShopDetailsResult>(SHOP_DETAILS_QUERY, {});
  const zone = shop.ianaTimezone && isTimeZone(shop.ianaTimezone) ? shop.ianaTimezone : null;
  if (shop.ianaTimezone && !zone) logger.warn({ shop: admin.shop }, "shop time zone unknown to this runtime; counting UTC days");
  await db.shop.update({ where: { id: shopId }, data: { currency: shop.currencyCode, ianaTimezone: zone } });
}

/**
 * Starts the two bulk exports (customers, orders), after recording the shop's currency and
 * time zone. Idempotent: a kind with a live run is not started again.
 */
export async function startBackfill(db: PrismaClient, admin: AdminGraphql, shopId: number, scopes: string | null): Promise<SyncRun[]> {
  await recordShopDetails(db, admin, shopId);
  const since = ordersSince(scopes);
  const runs: SyncRun[] = [];
  for (const kind of ["CUSTOMERS", "ORDERS"] as SyncKind[]) {
    const live = await db.syncRun.findFirst({ where: { shopId, kind, status: { in: ["RUNNING", "IMPORTING"] } } });
    if (live) {
      runs.push(live);
      continue;
    }
    const run =
      (await db.syncRun.findFirst({ where: { shopId, kind, status: "STARTING" } })) ??
      (await db.syncRun.create({ data: { shopId, kind, ordersSince: kind === "ORDERS" ? since : null } }));
    const query = kind === "CUSTOMERS" ? BULK_CUSTOMERS_QUERY : bulkOrdersQuery(run.ordersSince);
    const result = await admin.request<BulkOperationRunQueryResult>(BULK_OPERATION_RUN_QUERY, { query });
    assertNoUserErrors(result.bulkOperationRunQuery, `bulk ${kind.toLowerCase()} export`);
    const operationId = result.bulkOperationRunQuery.bulkOperation!.id;
    runs.push(await db.syncRun.update({ where: { id: run.id }, data: { status: "RUNNING", operationId } }));
  }
  return runs;
}

type Importer = (db: PrismaClient, shopId: number, roots: JsonlRoot[], refunds: Map<string, RefundNode[]>) => Promise<void>;

const importCustomers: Importer = async (db, shopId, roots) => {
  const records: CustomerRecord[] = roots.map((r) => customerFromGraphql(r.node as unknown as CustomerNode));
  await upsertCustomers(db, shopId, records);
};

const importOrders: Importer = async (db, shopId, roots, refunds) => {
  const records: OrderRecord[] = roots.map((r) => {
    const node = r.node as unknown as OrderNode;
    return orderFromGraphql(
      node,
      r.children.filter((c) => c.__typename === "LineItem") as unknown as LineItemNode[],
      r.children.map((c) => String(c.__typename)).filter((t) => t.endsWith("DiscountApplication")),
      refunds.get(node.id) ?? [],
    );
  });
  await upsertOrders(db, shopId, records);
};

export interface ImportOutcome {
  status: SyncRun["status"];
  roots: number;
}

/**
 * Imports a finished bulk export. Each batch of roots is written in the same
 * transaction as the run's linesDone, so after a crash the import resumes at the
 * first line not yet committed and nothing is written twice.
 */
export async function importBulkRun(
  db: PrismaClient,
  admin: AdminGraphql,
  syncRunId: number,
  options: { fetchFn?: typeof fetch; batchRoots?: number } = {},
): Promise<ImportOutcome> {
  const run = await db.syncRun.findUniqueOrThrow({ where: { id: syncRunId } });
  if (run.status === "COMPLETED" || run.status === "CANCELED" || run.status === "FAILED") {
    return { status: run.status, roots: Number(run.rootsDone) };
  }
  const log = logger.child({ shop: admin.shop, syncRunId, kind: run.kind });
  const { node: operation } = await admin.request<BulkOperationResult>(BULK_OPERATION_QUERY, { id: run.operationId });
  if (!operation) throw new Error(`bulk operation ${run.operationId} not found`);
  if (operation.status === "CREATED" || operation.status === "RUNNING" || operation.status === "CANCELING") {
    throw new BulkOperationPendingError(`bulk operation ${operation.id} is ${operation.status}`);
  }
  if (operation.status !== "COMPLETED") {
    await db.syncRun.update({
      where: { id: run.id },
      data: { status: "FAILED", error: `bulk operation ${operation.status}: ${operation.errorCode ?? "no error code"}`, completedAt: new Date() },
    });
    return { status: "FAILED", roots: Number(run.rootsDone) };
  }

  await db.syncRun.update({
    where: { id: run.id },
    data: { status: "IMPORTING", objectCount: BigInt(operation.objectCount), rootObjectCount: BigInt(operation.rootObjectCount) },
  });
  const importer = run.kind === "CUSTOMERS" ? importCustomers : importOrders;
  const batchRoots = options.batchRoots ?? BATCH_ROOTS;
  let rootsDone = Number(run.rootsDone);
  let batch: JsonlRoot[] = [];

  let analyzedAt = rootsDone;
  const commit = async (nextLine: number) => {
    const roots = batch;
    batch = [];
    // Read before the transaction: a throttled Admin call must not hold it open.
    const refunds =
      run.kind === "ORDERS" ? await fetchRefundDetails(admin, roots.map((r) => r.node as unknown as OrderNode)) : new Map<string, RefundNode[]>();
    await db.$transaction(
      async (tx) => {
        await importer(tx as PrismaClient, run.shopId, roots, refunds);
        await tx.syncRun.update({ where: { id: run.id }, data: { linesDone: BigInt(nextLine), rootsDone: BigInt(rootsDone + roots.length) } });
      },
      { timeout: BATCH_TIMEOUT_MS },
    );
    rootsDone += roots.length;
    // A first backfill fills near-empty tables faster than autovacuum analyzes them, and
    // each connection keeps the foreign-key check plans made while they were empty: every
    // line's check then scans "Order" (a batch went from 10 ms to over 5 s). Fresh
    // statistics each time the import grows tenfold make PostgreSQL plan them again.
    if (rootsDone >= Math.max(1000, analyzedAt * 10)) {
      analyzedAt = rootsDone;
      await db.$executeRawUnsafe(run.kind === "CUSTOMERS" ? `ANALYZE "Customer"` : `ANALYZE "Order", "OrderLine", "Refund"`);
    }
  };

  if (operation.url) {
    const lines = fetchJsonlLines(operation.url, options.fetchFn);
    for await (const root of groupRoots(lines, Number(run.linesDone))) {
      // A batch is committed only when the next root starts, so its children are all in.
      if (batch.length >= batchRoots) await commit(root.line);
      batch.push(root);
    }
  }
  if (batch.length) {
    await commit(Number.MAX_SAFE_INTEGER);
  }
  await db.syncRun.update({ where: { id: run.id }, data: { status: "COMPLETED", completedAt: new Date(), error: null } });
  log.info({ roots: rootsDone }, "bulk import completed");
  return { status: "COMPLETED", roots: rootsDone };
}

/** The run a bulk_operations/finish webhook refers to, if it is one of ours. */
export function runForOperation(db: PrismaClient, shopId: number, operationId: string) {
  return db.syncRun.findFirst({ where: { shopId, operationId } });
}

/** Once both exports are in, reconciliation takes over from the moment the backfill began. */
export async function backfillWatermark(db: PrismaClient, shopId: number): Promise<Date | null> {
  const runs = await db.syncRun.findMany({ where: { shopId }, orderBy: { startedAt: "desc" }, take: 2 });
  if (runs.length < 2 || runs.some((r) => r.status !== "COMPLETED")) return null;
  return new Date(Math.min(...runs.map((r) => r.startedAt.getTime())));
}
