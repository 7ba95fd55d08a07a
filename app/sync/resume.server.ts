import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { enqueue } from "../queue/queues.server";

/**
 * Enqueues a run's import. The job id keeps one live import per run, but BullMQ also
 * ignores an id held by a finished job (kept for an hour, a failed one for a week):
 * an early attempt that gave up on a still-running export would have blocked the
 * import for good. Importing is idempotent, so a finished job gives way.
 */
export async function enqueueImport(syncRunId: number) {
  await enqueue("backfill-import", { syncRunId }, { jobId: `import-${syncRunId}`, replaceFinished: true });
}

/**
 * The merchant opened the app again after Shopify had refused the shop's refresh
 * token: the flag is cleared and the work that stopped on it is asked for again. A
 * backfill continues from its last committed batch (SyncRun.linesDone), reconciliation
 * from its watermark, and a write-back writes whatever differs. Returns whether the
 * shop was waiting.
 */
export async function resumeAfterReauth(db: PrismaClient, shopId: number): Promise<boolean> {
  const { count } = await db.shop.updateMany({ where: { id: shopId, reauthNeededAt: { not: null } }, data: { reauthNeededAt: null, accessRestoredAt: new Date() } });
  if (count === 0) return false;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, reconciledThrough: true } });
  const runs = await db.syncRun.findMany({ where: { shopId, status: { in: ["RUNNING", "IMPORTING"] } }, select: { id: true } });
  for (const run of runs) await enqueueImport(run.id);
  const slot = Date.now();
  if (shop.reconciledThrough) await enqueue("reconcile", { shopId }, { jobId: `reconcile-${shopId}-resume-${slot}` });
  const scored = await db.modelFit.count({ where: { shopId } });
  if (scored > 0) await enqueue("writeback", { shopId }, { jobId: `writeback-${shopId}-resume-${slot}` });
  logger.info({ shop: shop.domain, imports: runs.length }, "access restored by the merchant; paused work resumed");
  return true;
}
