import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "../env.server";
import { createRedis } from "./connection.server";
import { databaseKey, jobIdFor } from "./database-key.server";

export const QUEUES = { webhooks: "webhooks", sync: "sync", scoring: "scoring", writeback: "writeback" } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  "process-webhook": { inboxId: string };
  "backfill-start": { shopId: number };
  "backfill-import": { syncRunId: number };
  reconcile: { shopId: number };
  "reconcile-all": Record<string, never>;
  "sweep-inbox": Record<string, never>;
  "rescore-shop": { shopId: number; trigger: "orders-changed" | "schedule" | "settings" | "backfill" | "manual" };
  "rescore-all": Record<string, never>;
  writeback: { shopId: number };
  /** Customers are named by the saved action's filter, never in the job. */
  "bulk-customers": { shopId: number; bulkActionId: string };
}
export type JobName = keyof JobPayloads;

export const queueOf: Record<JobName, QueueName> = {
  "process-webhook": QUEUES.webhooks,
  "backfill-start": QUEUES.sync,
  "backfill-import": QUEUES.sync,
  reconcile: QUEUES.sync,
  "reconcile-all": QUEUES.sync,
  "sweep-inbox": QUEUES.sync,
  "rescore-shop": QUEUES.scoring,
  "rescore-all": QUEUES.scoring,
  writeback: QUEUES.writeback,
  "bulk-customers": QUEUES.writeback,
};

/** Eight attempts, the first retry after JOB_BACKOFF_MS (1 s) and each later one twice as late. */
export function defaultJobOptions(): JobsOptions {
  return {
    attempts: 8,
    backoff: { type: "exponential", delay: env().JOB_BACKOFF_MS },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

let producer: Redis | undefined;
const queues = new Map<QueueName, Queue>();

function producerConnection(): Redis {
  producer ??= createRedis(env().REDIS_URL, "producer");
  return producer;
}

export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    queue = new Queue(name, { connection: producerConnection(), prefix: env().QUEUE_PREFIX, defaultJobOptions: defaultJobOptions() });
    // Errors surface on add(); an unhandled 'error' event would crash the web process.
    queue.on("error", () => {});
    queues.set(name, queue);
  }
  return queue;
}

export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
}

export interface EnqueueOptions extends JobsOptions {
  /**
   * An id that names the work within this database; the job's BullMQ id is it behind the
   * database's key. A live job (waiting, delayed, active) with the same id is the same
   * work, and BullMQ keeps the first.
   */
  jobId?: string;
  /**
   * Also let a finished job (completed or failed) with the same id give way to this one,
   * for work whose last run did not leave things done (a delivery still pending, a run
   * still importing). Without it a finished job holds its id until BullMQ removes it
   * (an hour after completing, a week after failing) and the add is ignored.
   */
  replaceFinished?: boolean;
}

let keyOf: () => Promise<string> = async () => databaseKey((await import("../db.server")).default as PrismaClient);

/** Where job ids get their database key; the app reads it from its own database. */
export function setDatabaseKeySource(source: () => Promise<string>) {
  keyOf = source;
}

async function addJob(key: string, name: JobName, data: unknown, options: EnqueueOptions) {
  const { replaceFinished, jobId, ...rest } = options;
  const id = jobIdFor(key, jobId ?? `${name}-${randomUUID()}`);
  const queue = getQueue(queueOf[name]);
  if (replaceFinished) {
    const previous = await queue.getJob(id);
    const state = previous ? await previous.getState() : undefined;
    if (state === "completed" || state === "failed") await previous!.remove();
  }
  await queue.add(name, data, { ...rest, jobId: id });
}

/**
 * Adds a job under this database's key (see EnqueueOptions), or throws
 * QueueUnavailableError within `timeoutMs` when Redis cannot be reached (or at once
 * when the database's key cannot be read).
 */
export async function enqueue<N extends JobName>(
  name: N,
  data: JobPayloads[N],
  options: EnqueueOptions = {},
  timeoutMs = 1500,
): Promise<void> {
  // The database's key first, outside the Redis bound: the caller has just used the database.
  let key: string;
  try {
    key = await keyOf();
  } catch (error) {
    throw new QueueUnavailableError(`Could not enqueue ${name}: the database's key could not be read: ${(error as Error).message}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`Redis did not accept ${name} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([addJob(key, name, data, options), timeout]);
  } catch (error) {
    throw error instanceof QueueUnavailableError ? error : new QueueUnavailableError(`Could not enqueue ${name}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

// enqueueMany runs for every inbox statement under load: it reuses the key it read for a
// few seconds. A database recreated meanwhile gets a few jobs under the old key, which
// workers skip; their rows stay PENDING and the sweeper enqueues them under the new key.
const KEY_REUSE_MS = 5000;
let lastKey: { key: string; at: number } | undefined;
async function recentKey(): Promise<string> {
  if (lastKey && Date.now() - lastKey.at < KEY_REUSE_MS) return lastKey.key;
  const key = await keyOf();
  lastKey = { key, at: Date.now() };
  return key;
}

/**
 * Adds many jobs of one kind in one Redis round trip (BullMQ addBulk), each under this
 * database's key; a live job with the same id is kept, as with enqueue. Throws
 * QueueUnavailableError within `timeoutMs` when Redis cannot be reached.
 */
export async function enqueueMany<N extends JobName>(
  name: N,
  jobs: { data: JobPayloads[N]; jobId: string }[],
  timeoutMs = 1500,
): Promise<void> {
  if (jobs.length === 0) return;
  let key: string;
  try {
    key = await recentKey();
  } catch (error) {
    throw new QueueUnavailableError(`Could not enqueue ${name}: the database's key could not be read: ${(error as Error).message}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`Redis did not accept ${jobs.length} ${name} jobs within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const queue = getQueue(queueOf[name]);
    await Promise.race([queue.addBulk(jobs.map((j) => ({ name, data: j.data, opts: { jobId: jobIdFor(key, j.jobId) } }))), timeout]);
  } catch (error) {
    throw error instanceof QueueUnavailableError ? error : new QueueUnavailableError(`Could not enqueue ${name}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close()));
  queues.clear();
  producer?.disconnect();
  producer = undefined;
}
