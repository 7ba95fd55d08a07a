import { type Job, Worker } from "bullmq";
import prisma from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { createRedis } from "../queue/connection.server";
import { databaseKey, jobBelongsTo } from "../queue/database-key.server";
import { closeQueues, enqueue, getQueue, type JobName, QUEUES, queueOf, type QueueName } from "../queue/queues.server";
import { refreshDashboardSnapshot } from "../dashboard/dashboard.server";
import { createScoringProcessors, requestRescore } from "../scores/jobs.server";
import { createWriteBackProcessors, requestWriteBack } from "../writeback/jobs.server";
import { adminFor, closeAdminAccess } from "./admin-access.server";
import { createProcessors, type Processors } from "./processors.server";

const schedules = (): { name: JobName; every: number }[] => [
  { name: "sweep-inbox", every: env().SWEEP_INTERVAL_MS },
  { name: "reconcile-all", every: 15 * 60_000 },
  { name: "rescore-all", every: 24 * 60 * 60_000 },
];

const CONCURRENCY: Record<QueueName, number> = { [QUEUES.webhooks]: 8, [QUEUES.sync]: 2, [QUEUES.scoring]: 1, [QUEUES.writeback]: 2 };

// Schedulers live in Redis: a Redis that restarts empty forgets them, so they are
// upserted again on every reconnect and on this period (upserting is idempotent).
const RESCHEDULE_MS = 60_000;

async function ensureSchedules() {
  for (const { name, every } of schedules()) {
    await getQueue(queueOf[name]).upsertJobScheduler(name, { every }, { name, data: {} });
  }
}

/** The production wiring: synced changes ask for a rescore, a rescore asks for a write-back. */
export function defaultProcessors(): Processors {
  return {
    ...createProcessors({
      db: prisma,
      adminFor,
      onCustomersChanged: (shopId) => requestRescore(shopId, "orders-changed"),
      onBackfilled: (shopId) => enqueue("rescore-shop", { shopId, trigger: "backfill" }, { jobId: `rescore-backfill-${shopId}-${Date.now()}` }),
    }),
    ...createScoringProcessors({
      db: prisma,
      onRescored: async (shopId, result) => {
        // The dashboard's summary is per scoring run: build it now, not on the next view.
        await refreshDashboardSnapshot(prisma, shopId);
        await requestWriteBack(shopId, result.fitId);
      },
    }),
    ...createWriteBackProcessors({ db: prisma, adminFor }),
  };
}

/** A Redis or PostgreSQL URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export class StartupTimeoutError extends Error {
  override name = "StartupTimeoutError";
}

/** Runs `step`, or throws a StartupTimeoutError naming what it waited for and the last error it saw. */
async function bounded<T>(what: string, step: () => Promise<T>, timeoutMs: number, lastSeen: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StartupTimeoutError(`waited ${Math.round(timeoutMs / 1000)} s for ${what}; last seen: ${lastSeen() || "no answer"}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([step(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts one BullMQ worker per queue and the schedules. Waits at most
 * WORKER_STARTUP_TIMEOUT_MS for PostgreSQL (this database's key) and Redis (the
 * schedules); past that it throws a StartupTimeoutError saying which and what it saw.
 */
export async function startWorker(processors: Processors = defaultProcessors()) {
  const config = env();
  let lastDatabaseError = "";
  let waiting = true;
  await bounded(
    `PostgreSQL at ${redacted(config.DATABASE_URL)}`,
    async () => {
      while (waiting) {
        try {
          return await databaseKey(prisma);
        } catch (error) {
          lastDatabaseError = (error as Error).message;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
    config.WORKER_STARTUP_TIMEOUT_MS,
    () => lastDatabaseError,
  ).finally(() => (waiting = false));
  const connection = createRedis(config.REDIS_URL, "worker");
  let lastRedisError = "";
  connection.on("error", (error: Error) => (lastRedisError = error.message));
  const workers = Object.values(QUEUES).map(
    (queue) =>
      new Worker(
        queue,
        async (job: Job) => {
          // A job left in Redis by an earlier database names rows of that database.
          if (!jobBelongsTo(job.id, await databaseKey(prisma))) {
            logger.warn({ queue, job: job.name, jobId: job.id }, "job from another database skipped");
            return "from another database";
          }
          const processor = processors[job.name as JobName] as (data: unknown, job: Job) => Promise<unknown>;
          if (!processor) throw new Error(`no processor for job ${job.name}`);
          return processor(job.data, job);
        },
        {
          connection,
          prefix: config.QUEUE_PREFIX,
          concurrency: CONCURRENCY[queue] ?? 1,
          // A killed worker's jobs are taken up again once their lock lapses.
          lockDuration: config.WORKER_LOCK_MS,
          stalledInterval: config.WORKER_LOCK_MS,
        },
      ),
  );
  for (const worker of workers) {
    worker.on("failed", (job, error) =>
      logger.warn({ queue: worker.name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, "job failed"),
    );
    worker.on("error", (error) => logger.error({ queue: worker.name, err: error.message }, "worker error"));
  }
  try {
    await bounded(`Redis at ${redacted(config.REDIS_URL)}`, ensureSchedules, config.WORKER_STARTUP_TIMEOUT_MS, () => lastRedisError);
  } catch (error) {
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    await closeQueues();
    connection.disconnect();
    throw error;
  }
  const reschedule = () =>
    ensureSchedules().catch((error: Error) => logger.warn({ err: error.message }, "job schedulers not refreshed; retrying later"));
  connection.on("ready", () => void reschedule());
  const timer = setInterval(() => void reschedule(), RESCHEDULE_MS);
  timer.unref();
  logger.info({ queues: Object.values(QUEUES), prefix: config.QUEUE_PREFIX }, "worker started");

  return async function stop() {
    clearInterval(timer);
    // close() lets running jobs finish; anything not finished is retried by another worker.
    await Promise.all(workers.map((w) => w.close()));
    await closeQueues();
    closeAdminAccess();
    connection.disconnect();
  };
}
