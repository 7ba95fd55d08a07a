import { logger } from "../logger.server";
import { isPermanentDatabaseError } from "./db-errors";

// The webhook inbox's write path, off the ORM: deliveries that arrive while earlier
// ones are being written share the next statement (group commit), so under load one
// round trip and one commit cover many deliveries, and at low load a delivery is
// written at once. What waits is bounded, in count and bytes; a delivery whose write
// does not commit by its deadline is answered 503. Its row may still commit after
// that answer: Shopify's retry then lands on ON CONFLICT (same shop and webhook id)
// and is answered 200 as a duplicate, and the committed row was enqueued by its flush.

/** The pg Pool (or a client) this writer needs: one parameterised query. */
export interface Sql {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** One delivery; its payload is JSON text, with integers beyond 2^53 already strings (lossless-json.ts), as readers expect. */
export interface InboxRow {
  shopId: number;
  webhookId: string;
  topic: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  payload: string;
}

export type WriteOutcome = { inboxId: bigint; duplicate: false } | { duplicate: true };

export class InboxOverloadedError extends Error {
  override name = "InboxOverloadedError";
}
export class InboxDeadlineError extends Error {
  override name = "InboxDeadlineError";
}
export class ShopGoneError extends Error {
  override name = "ShopGoneError";
}

export interface InboxWriterOptions {
  sql: Sql;
  /** Statements in flight at once; at most the pool's size. */
  concurrency?: number;
  /** Deliveries waiting or being written, past which a delivery is refused at once. */
  maxPending?: number;
  /** Payload bytes waiting or being written, past which a delivery is refused at once. */
  maxPendingBytes?: number;
  /** Rows in one statement (7 parameters each; PostgreSQL allows 65,535 parameters). */
  maxBatch?: number;
  /** Told the inbox ids of each statement's new rows, to enqueue them; its failure is logged, not thrown (the sweeper covers it). */
  onInserted?: (inboxIds: bigint[]) => Promise<void>;
}

interface Waiting {
  row: InboxRow;
  bytes: number;
  settled: boolean;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

const COLUMNS = 7;

/** The multi-row insert for `rows`; the timestamps are UTC, as Prisma writes them. */
function insertStatement(rows: InboxRow[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((r, i) => {
    values.push(r.shopId, r.webhookId, r.topic, r.apiVersion, r.eventId, r.triggeredAt?.toISOString() ?? null, r.payload);
    const p = (n: number) => `$${i * COLUMNS + n}`;
    return `(${p(1)}::int, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::timestamp(3), ${p(7)}::jsonb, now() AT TIME ZONE 'UTC')`;
  });
  return {
    text: `INSERT INTO "WebhookEvent" ("shopId", "webhookId", topic, "apiVersion", "eventId", "triggeredAt", payload, "receivedAt")
           VALUES ${tuples.join(", ")}
           ON CONFLICT ("shopId", "webhookId") DO NOTHING
           RETURNING id, "shopId", "webhookId"`,
    values,
  };
}

const keyOf = (shopId: number, webhookId: string) => `${shopId}\u0000${webhookId}`;
const foreignKeyViolation = (error: unknown) => (error as { code?: string }).code === "23503";

export class InboxWriter {
  private readonly sql: Sql;
  private readonly concurrency: number;
  private readonly maxPending: number;
  private readonly maxPendingBytes: number;
  private readonly maxBatch: number;
  private readonly onInserted?: (inboxIds: bigint[]) => Promise<void>;
  private queue: Waiting[] = [];
  private flushing = 0;
  private pending = 0;
  private pendingBytes = 0;

  constructor(options: InboxWriterOptions) {
    this.sql = options.sql;
    this.concurrency = options.concurrency ?? 4;
    this.maxPending = options.maxPending ?? 2000;
    this.maxPendingBytes = options.maxPendingBytes ?? 64 * 1024 * 1024;
    this.maxBatch = Math.min(options.maxBatch ?? 500, Math.floor(65_535 / COLUMNS));
    this.onInserted = options.onInserted;
  }

  /** Whether the writes are backed up to their bound, so a new delivery would be refused. */
  overloaded(): boolean {
    return this.pending >= this.maxPending || this.pendingBytes >= this.maxPendingBytes;
  }

  /** Deliveries waiting or being written, and their payload bytes. */
  load(): { pending: number; bytes: number } {
    return { pending: this.pending, bytes: this.pendingBytes };
  }

  /**
   * Writes a delivery once: a second one with the same (shop, webhook id) is a duplicate.
   * Rejects at once with InboxOverloadedError past the bounds; with InboxDeadlineError when
   * not committed by `deadline` (epoch ms; the row may commit later); with ShopGoneError when
   * the shop was deleted; with PostgreSQL's error otherwise (permanent ones: see db-errors.ts).
   */
  write(row: InboxRow, deadline: number): Promise<WriteOutcome> {
    const bytes = Buffer.byteLength(row.payload);
    if (this.pending >= this.maxPending || (this.pending > 0 && this.pendingBytes + bytes > this.maxPendingBytes)) {
      return Promise.reject(new InboxOverloadedError(`inbox writes backed up (${this.pending} deliveries, ${this.pendingBytes} bytes waiting)`));
    }
    const wait = Math.max(0, deadline - Date.now());
    return new Promise<WriteOutcome>((resolve, reject) => {
      const waiting: Waiting = { row, bytes, settled: false, resolve, reject };
      waiting.timer = setTimeout(() => {
        // Still queued: it is never written. Already sent: it may commit, which a retry sees as a duplicate.
        const index = this.queue.indexOf(waiting);
        if (index >= 0) this.queue.splice(index, 1);
        this.settle(waiting, () => reject(new InboxDeadlineError(`inbox write not committed within ${wait} ms`)), index >= 0);
      }, wait);
      this.pending++;
      this.pendingBytes += bytes;
      this.queue.push(waiting);
      this.pump();
    });
  }

  private settle(waiting: Waiting, answer: () => void, release = true) {
    if (!waiting.settled) {
      waiting.settled = true;
      clearTimeout(waiting.timer);
      answer();
    }
    if (release) {
      this.pending--;
      this.pendingBytes -= waiting.bytes;
    }
  }

  private pump() {
    while (this.flushing < this.concurrency && this.queue.length > 0) {
      const batch: Waiting[] = [];
      let bytes = 0;
      // One statement carries at most maxBatch rows and about 16 MB of payload (one large body goes alone).
      while (this.queue.length > 0 && batch.length < this.maxBatch && (batch.length === 0 || bytes + this.queue[0].bytes <= 16 * 1024 * 1024)) {
        const next = this.queue.shift()!;
        bytes += next.bytes;
        batch.push(next);
      }
      this.flushing++;
      void this.flush(batch).finally(() => {
        this.flushing--;
        this.pump();
      });
    }
  }

  private async flush(batch: Waiting[]): Promise<void> {
    try {
      await this.insert(batch);
    } catch (error) {
      // One bad row must not fail the others: a refused value or a deleted shop is found row by row.
      if (batch.length > 1 && (foreignKeyViolation(error) || isPermanentDatabaseError(error))) {
        for (const waiting of batch) await this.flush([waiting]);
        return;
      }
      const reason = batch.length === 1 && foreignKeyViolation(error) ? new ShopGoneError("the shop was deleted") : (error as Error);
      for (const waiting of batch) this.settle(waiting, () => waiting.reject(reason));
    }
  }

  private async insert(batch: Waiting[]): Promise<void> {
    const { text, values } = insertStatement(batch.map((w) => w.row));
    const { rows } = await this.sql.query<{ id: string; shopId: number; webhookId: string }>(text, values);
    const inserted = new Map(rows.map((r) => [keyOf(r.shopId, r.webhookId), BigInt(r.id)]));
    for (const waiting of batch) {
      const key = keyOf(waiting.row.shopId, waiting.row.webhookId);
      const inboxId = inserted.get(key);
      // The same delivery twice in one statement: the first takes the row, the second is its duplicate.
      inserted.delete(key);
      this.settle(waiting, () => waiting.resolve(inboxId === undefined ? { duplicate: true } : { inboxId, duplicate: false }));
    }
    if (rows.length > 0 && this.onInserted) {
      const ids = rows.map((r) => BigInt(r.id));
      this.onInserted(ids).catch((error: unknown) =>
        logger.warn({ inboxIds: ids.length, err: (error as Error).message }, "deliveries left for the sweeper: enqueue failed"),
      );
    }
  }
}
