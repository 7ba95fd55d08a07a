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

/** Enqueues freshly recorded inbox rows, one Redis round trip per inbox statement. */
export const enqueueInboxRows = (inboxIds: bigint[]) =>
  enqueueMany("process-webhook", inboxIds.map((id) => ({ data: { inboxId: id.toString() }, jobId: `wh-${id}` })));

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
    globalThis.patronIngest = { pool, inbox: new InboxWriter({ sql: pool, concurrency: INGEST_POOL_MAX, onInserted: enqueueInboxRows }) };
  }
  return globalThis.patronIngest;
}

/** What every webhook route does: the production wiring of ingestWebhook, for the route's own topics. */
export function webhookIngestion(request: Request, route: WebhookRoute): Promise<Response> {
  const { pool, inbox } = ingestResources();
  const { SHOPIFY_API_SECRET, SHOP_CUSTOM_DOMAIN } = env();
  return ingestWebhook(request, { secret: SHOPIFY_API_SECRET, sql: pool, inbox, customDomain: SHOP_CUSTOM_DOMAIN }, route);
}
