import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "../env.server";
import { createRedis } from "./connection.server";

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
};

export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

let producer: Redis | undefined;
const queues = new Map<QueueName, Queue>();

function producerConnection(): Redis {
  producer ??= createRedis(env().REDIS_URL, "producer");
  return producer;
}

export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    queue = new Queue(name, { connection: producerConnection(), prefix: env().QUEUE_PREFIX, defaultJobOptions });
    // Errors surface on add(); an unhandled 'error' event would crash the web process.
    queue.on("error", () => {});
    queues.set(name, queue);
  }
  return queue;
}

export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
}

/** Adds a job, or throws QueueUnavailableError within `timeoutMs` when Redis is unreachable. */
export async function enqueue<N extends JobName>(
  name: N,
  data: JobPayloads[N],
  options: JobsOptions = {},
  timeoutMs = 1500,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`Redis did not accept ${name} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([getQueue(queueOf[name]).add(name, data, options), timeout]);
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
