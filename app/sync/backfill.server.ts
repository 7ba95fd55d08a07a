import type { PrismaClient, SyncKind, SyncRun } from "@prisma/client";
import pg from "pg";
import { env } from "../env.server";
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
import { fetchRefundDetails } from "./refund-details.server";
import { copyCustomers, copyOrders, prepareStaging, stageCustomers, type StagedCustomers, stageOrders, type StagedOrders } from "./copy-store.server";

export const LIMITED_HISTORY_DAYS = 60;
const BATCH_ROOTS = 1000;
// Batches handed to the writer before the reader waits: the one being written and the next,
// whose refund details are read meanwhile. Each more costs a batch of memory.
const BATCHES_HANDED_OVER = 2;
// A statement of a batch of big orders on a busy database can take seconds; one taking a minute is stuck.
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

// A batch ready to write: its COPY input, built from the mapped records before its turn.
type Prepared = { kind: "CUSTOMERS"; staged: StagedCustomers } | { kind: "ORDERS"; staged: StagedOrders };

function customerBatch(roots: JsonlRoot[]): Prepared {
  return { kind: "CUSTOMERS", staged: stageCustomers(roots.map((r) => customerFromGraphql(r.node as unknown as CustomerNode))) };
}

function orderBatch(roots: JsonlRoot[], refunds: Map<string, RefundNode[]>): Prepared {
  const records = roots.map((r) => {
    const node = r.node as unknown as OrderNode;
    return orderFromGraphql(
      node,
      r.children.filter((c) => c.__typename === "LineItem") as unknown as LineItemNode[],
      r.children.map((c) => String(c.__typename)).filter((t) => t.endsWith("DiscountApplication")),
      refunds.get(node.id) ?? [],
    );
  });
  return { kind: "ORDERS", staged: stageOrders(records) };
}

export interface ImportOutcome {
  status: SyncRun["status"];
  roots: number;
  /**
   * Where this call's time went, in ms: reading refund details from the Admin API (time
   * with at least one read in flight), the reader waiting for the writer (time the reading
   * side was ahead by BATCHES_HANDED_OVER batches), the writer waiting for a batch's refund
   * details, and writing (COPY, merge, commit). Reading, refund reads and writing overlap.
   */
  spent?: { refundsMs: number; awaitingWriteMs: number; awaitingRefundsMs: number; writingMs: number };
}

/**
 * Imports a finished bulk export. The JSONL is streamed; each batch of roots is COPYed
 * through staging tables (copy-store.server.ts) in the same transaction as the run's
 * linesDone, so after a crash the import resumes at the first line not yet committed and
 * nothing is written twice. While one batch commits, the next one's refund details are
 * fetched (then it is mapped), and once that batch is handed over the one after is read
 * and parsed: memory holds at most three batches, and the import takes about the longest
 * of the Admin API's time, the database's and the reading, not their sum. Uses its own connection to `databaseUrl` (COPY needs a plain pg client).
 * Throws, before reading anything, when `admin` is not a client of the run's own shop.
 */
export async function importBulkRun(
  db: PrismaClient,
  admin: AdminGraphql,
  syncRunId: number,
  options: { fetchFn?: typeof fetch; batchRoots?: number; databaseUrl?: string } = {},
): Promise<ImportOutcome> {
  const { shop, ...run } = await db.syncRun.findUniqueOrThrow({ where: { id: syncRunId }, include: { shop: { select: { domain: true } } } });
  // The run's rows go to its own shop; a client for another shop would export that shop's data into it.
  if (shop.domain !== admin.shop) throw new Error(`sync run ${syncRunId} belongs to ${shop.domain}, not to ${admin.shop}`);
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
  const batchRoots = options.batchRoots ?? BATCH_ROOTS;
  const client = new pg.Client({
    connectionString: options.databaseUrl ?? env().DATABASE_URL,
    statement_timeout: BATCH_TIMEOUT_MS,
    application_name: "patron-backfill",
  });
  await client.connect();
  let rootsDone = Number(run.rootsDone);
  // Batches handed to the writer, oldest first. Each writes after the one before it, so
  // progress commits in file order, and a failed write fails every later one.
  const queue: Promise<void>[] = [];
  const spent = { refundsMs: 0, awaitingWriteMs: 0, awaitingRefundsMs: 0, writingMs: 0 };
  try {
    await prepareStaging(client);
    let analyzedAt = rootsDone;
    const write = async (prepared: Prepared, roots: number, nextLine: number) => {
      const started = performance.now();
      // Statements are sent together where they can be (integers written into them): on a
      // busy machine every round trip waits for both processes to be scheduled again.
      // Safe to not wait for the WAL flush: a database crash can lose only whole last
      // batches, their resume point with them, and the import reads them again.
      await client.query("BEGIN; SET LOCAL synchronous_commit = off");
      try {
        if (prepared.kind === "CUSTOMERS") await copyCustomers(client, run.shopId, prepared.staged);
        else await copyOrders(client, run.shopId, prepared.staged);
        const progress = [nextLine, rootsDone + roots, run.id];
        if (!progress.every(Number.isSafeInteger)) throw new TypeError(`resume point ${progress.join(", ")} is not integers`);
        await client.query(`UPDATE "SyncRun" SET "linesDone" = ${progress[0]}, "rootsDone" = ${progress[1]} WHERE id = ${progress[2]}; COMMIT`);
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
      rootsDone += roots;
      spent.writingMs += performance.now() - started;
      // A first backfill fills near-empty tables faster than autovacuum analyzes them, and
      // the foreign-key checks keep plans made while they were empty: every line's check
      // then scans "Order". Fresh statistics each time the import grows tenfold make
      // PostgreSQL plan them again.
      if (rootsDone >= Math.max(1000, analyzedAt * 10)) {
        analyzedAt = rootsDone;
        await client.query(run.kind === "CUSTOMERS" ? `ANALYZE "Customer"` : `ANALYZE "Order", "OrderLine", "Refund"`);
      }
    };

    let batch: JsonlRoot[] = [];
    let refundReads = 0;
    let refundReadsSince = 0;
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      if (refundReads++ === 0) refundReadsSince = performance.now();
      try {
        return await work();
      } finally {
        if (--refundReads === 0) spent.refundsMs += performance.now() - refundReadsSince;
      }
    };
    // Refund details are read as soon as a batch is read, while earlier batches are written,
    // and outside any transaction: a throttled Admin call must not hold one open.
    // Mapped and turned into COPY input as soon as they are in, while earlier batches are
    // written: a waiting batch then holds its CSV text, not the parsed JSONL, and the
    // writer's turn is only the database's work. (A function of its own, so that the
    // closures of `commit` below, which live until the batch is written, do not hold the roots.)
    const prepare = (roots: JsonlRoot[]): Promise<Prepared> =>
      run.kind === "ORDERS"
        ? timed(() => fetchRefundDetails(admin, roots.map((r) => r.node as unknown as OrderNode))).then((details) => orderBatch(roots, details))
        : Promise.resolve().then(() => customerBatch(roots));
    const commit = async (nextLine: number) => {
      const count = batch.length;
      const prepared = prepare(batch);
      batch = [];
      prepared.catch(() => undefined);
      const previous = queue.at(-1) ?? Promise.resolve();
      const written = previous.then(async () => {
        const waiting = performance.now();
        const records = await prepared;
        spent.awaitingRefundsMs += performance.now() - waiting;
        await write(records, count, nextLine);
      });
      // Observed when awaited (below, or at the end); until then a failure must not go unhandled.
      written.catch(() => undefined);
      queue.push(written);
      while (queue.length >= BATCHES_HANDED_OVER) {
        const waiting = performance.now();
        await queue.shift();
        spent.awaitingWriteMs += performance.now() - waiting;
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
    if (batch.length) await commit(Number.MAX_SAFE_INTEGER);
    while (queue.length) await queue.shift();
  } finally {
    // Batches handed over before reading failed are let finish (or fail) before the connection closes.
    await Promise.allSettled(queue);
    await client.end().catch(() => undefined);
  }
  await db.syncRun.update({ where: { id: run.id }, data: { status: "COMPLETED", completedAt: new Date(), error: null } });
  log.info({ roots: rootsDone, ...spent }, "bulk import completed");
  return { status: "COMPLETED", roots: rootsDone, spent };
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
