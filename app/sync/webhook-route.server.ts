import pg from "pg";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { enqueueMany } from "../queue/queues.server";
import { InboxWriter } from "./inbox-writer.server";
import { ingestWebhook } from "./ingest.server";
import type { WebhookRoute } from "./webhook-guard";

interface Ingest {
  pool: pg.Pool;
  inbox: InboxWriter;
}

declare global {
  var patronIngest: Ingest | undefined;
}

/** Enqueues recorded inbox rows now, in one Redis round trip. */
export const enqueueInboxRows = (inboxIds: bigint[]) =>
  enqueueMany("process-webhook", inboxIds.map((id) => ({ data: { inboxId: id.toString() }, jobId: `wh-${id}` })));

/** Ids waiting for the next round trip, past which further ids are left to the sweeper. */
const MAX_WAITING_IDS = 20_000;

/**
 * Batches enqueues: one round trip in flight at a time, and the ids recorded meanwhile go
 * together in the next. A failed round trip is logged; its rows stay PENDING and the
 * sweeper enqueues them (SWEEP_INTERVAL_MS, after 10 s).
 */
export function batchedEnqueue(send: (inboxIds: bigint[]) => Promise<void>): (inboxIds: bigint[]) => Promise<void> {
  let waiting: bigint[] = [];
  let sending = false;
  const pump = async () => {
    if (sending || waiting.length === 0) return;
    sending = true;
    const ids = waiting;
    waiting = [];
    try {
      await send(ids);
    } catch (error) {
      logger.warn({ inboxIds: ids.length, err: (error as Error).message }, "deliveries left for the sweeper: enqueue failed");
    } finally {
      sending = false;
      void pump();
    }
  };
  return async (inboxIds) => {
    if (waiting.length + inboxIds.length > MAX_WAITING_IDS) {
      logger.warn({ inboxIds: inboxIds.length }, "deliveries left for the sweeper: enqueues backed up");
      return;
    }
    waiting.push(...inboxIds);
    void pump();
  };
}

/**
 * The webhook hot path's own small pg pool (no ORM) and inbox writer, one per process,
 * made on first use. A connection that cannot be made within 2 s is an outage (503).
 */
export function ingestResources(): Ingest {
  if (!globalThis.patronIngest) {
    const { DATABASE_URL, INGEST_POOL_MAX } = env();
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: INGEST_POOL_MAX, connectionTimeoutMillis: 2000, idleTimeoutMillis: 30_000 });
    // An idle connection the server drops must not crash the web process.
    pool.on("error", (error) => logger.warn({ err: error.message }, "webhook ingest connection lost"));
    globalThis.patronIngest = { pool, inbox: new InboxWriter({ sql: pool, concurrency: INGEST_POOL_MAX, onInserted: batchedEnqueue(enqueueInboxRows) }) };
  }
  return globalThis.patronIngest;
}

/** Closes this process's ingest pool (tests, shutdown); the next delivery opens a new one. */
export async function closeIngestResources(): Promise<void> {
  const ingest = globalThis.patronIngest;
  globalThis.patronIngest = undefined;
  await ingest?.pool.end();
}

/** What every webhook route does: the production wiring of ingestWebhook, for the route's own topics. */
export function webhookIngestion(request: Request, route: WebhookRoute): Promise<Response> {
  const { pool, inbox } = ingestResources();
  const { SHOPIFY_API_SECRET, SHOP_CUSTOM_DOMAIN } = env();
  return ingestWebhook(request, { secret: SHOPIFY_API_SECRET, sql: pool, inbox, customDomain: SHOP_CUSTOM_DOMAIN }, route);
}
