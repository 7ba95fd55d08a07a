import type { PrismaClient } from "@prisma/client";
import { type Job, UnrecoverableError } from "bullmq";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { type JobName, type JobPayloads, enqueue, getQueue, QUEUES } from "../queue/queues.server";
import { type AdminGraphql, ShopifyPermanentError } from "../shopify/admin-graphql.server";
import { ShopNeedsReauthError } from "../shopify/offline-tokens.server";
import { importBulkRun, runForOperation, startBackfill } from "../sync/backfill.server";
import { isPermanentDatabaseError } from "../sync/db-errors";
import { requeueStaleBulkActions } from "../customers/bulk.server";
import { pendingDeliveries } from "../sync/inbox.server";
import { processInboxEvent } from "../sync/process-event.server";
import { PayloadError } from "../sync/records";
import { reconcileShop } from "../sync/reconcile.server";
import { enqueueImport } from "../sync/resume.server";

export interface WorkerDeps {
  db: PrismaClient;
  adminFor: (shop: string) => Promise<{ admin: AdminGraphql; scopes: string | null } | null>;
  onCustomersChanged?: (shopId: number, customerIds: bigint[]) => Promise<void>;
  /** Both bulk exports are in: the shop's first full scoring can run. */
  onBackfilled?: (shopId: number) => Promise<void>;
}

type Processor<N extends JobName> = (data: JobPayloads[N], job: Job) => Promise<unknown>;
export type Processors = { [N in JobName]: Processor<N> };
export type SyncProcessors = Omit<Processors, "rescore-shop" | "rescore-all" | "writeback" | "bulk-customers">;

const SWEEP_AFTER_MS = 10_000;
const STALE_RUN_MS = 5 * 60_000;
/** A bulk action still queued after this had its job lost (saved, then the process died before enqueueing). */
const STALE_BULK_ACTION_MS = 60_000;

/**
 * What a job answers when Shopify refused the shop's refresh token: it ends without a
 * retry, and the merchant's next visit asks for the work again (resumeAfterReauth).
 */
export const pausedForReauth = (error: ShopNeedsReauthError) => `paused until the merchant opens the app: ${error.reason}`;

/** Permanent failures stop the job's retries; anything else is retried with backoff. */
function permanent(error: unknown): string {
  if (error instanceof ShopNeedsReauthError) {
    logger.warn({ shop: error.shop }, "job paused: the shop's offline token was refused");
    return pausedForReauth(error);
  }
  if (error instanceof PayloadError || error instanceof ShopifyPermanentError || isPermanentDatabaseError(error)) {
    throw new UnrecoverableError(`${(error as Error).name}: ${(error as Error).message}`);
  }
  throw error;
}

async function shopFor(deps: WorkerDeps, shopId: number) {
  return deps.db.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true, uninstalledAt: true, reauthNeededAt: true, reauthReason: true } });
}

export function createProcessors(deps: WorkerDeps): SyncProcessors {
  const { db } = deps;

  const adminOrStop = async (shopId: number) => {
    const shop = await shopFor(deps, shopId);
    if (!shop || shop.uninstalledAt) return null;
    if (shop.reauthNeededAt) throw new ShopNeedsReauthError(shop.domain, shop.reauthReason ?? "the refresh token was refused");
    const access = await deps.adminFor(shop.domain);
    if (!access) throw new UnrecoverableError(`no offline session for ${shop.domain}`);
    return { shop, ...access };
  };

  return {
    "process-webhook": async ({ inboxId }) => {
      try {
        return await processInboxEvent(
          {
            db,
            adminFor: async (shop) => {
              try {
                return (await deps.adminFor(shop))?.admin ?? null;
              } catch (error) {
                // The order matters more than its costs: it is kept, as when Shopify refuses the lookup.
                if (error instanceof ShopNeedsReauthError) return null;
                throw error;
              }
            },
            onCustomersChanged: deps.onCustomersChanged,
            onBulkOperationFinished: async (shopId, operationId) => {
              const run = await runForOperation(db, shopId, operationId);
              if (run) await enqueueImport(run.id);
            },
            onUninstalled: (shopId) => removeShopJobs(shopId),
          },
          BigInt(inboxId),
        );
      } catch (error) {
        return permanent(error);
      }
    },

    "backfill-start": async ({ shopId }) => {
      try {
        const access = await adminOrStop(shopId);
        if (!access) return "shop not installed";
        const runs = await startBackfill(db, access.admin, shopId, access.scopes);
        return runs.map((r) => `${r.kind}:${r.status}`);
      } catch (error) {
        return permanent(error);
      }
    },

    "backfill-import": async ({ syncRunId }) => {
      const run = await db.syncRun.findUnique({ where: { id: syncRunId } });
      if (!run) return "run gone";
      try {
        const access = await adminOrStop(run.shopId);
        if (!access) return "shop not installed";
        const outcome = await importBulkRun(db, access.admin, syncRunId, { batchRoots: env().SYNC_BATCH_ROOTS });
        if (outcome.status === "COMPLETED") await afterBackfillRun(run.shopId);
        return outcome;
      } catch (error) {
        return permanent(error);
      }
    },

    reconcile: async ({ shopId }) => {
      try {
        const access = await adminOrStop(shopId);
        if (!access) return "shop not installed";
        const result = await reconcileShop(db, access.admin, shopId);
        if (result.changedCustomerIds.length) await deps.onCustomersChanged?.(shopId, result.changedCustomerIds);
        return { customers: result.customers, orders: result.orders };
      } catch (error) {
        return permanent(error);
      }
    },

    "reconcile-all": async (_data, job) => {
      const shops = await db.shop.findMany({
        where: { uninstalledAt: null, reauthNeededAt: null, reconciledThrough: { not: null } },
        select: { id: true },
      });
      const slot = Math.floor((job.timestamp ?? Date.now()) / 60_000);
      for (const shop of shops) await enqueue("reconcile", { shopId: shop.id }, { jobId: `reconcile-${shop.id}-${slot}` });
      return shops.length;
    },

    // Nothing stays PENDING for want of a job: a row whose job is missing, completed while
    // the row stayed pending, or failed for good (an outage longer than its attempts) gets
    // a new one; a row a live job holds is left to it. FAILED rows are final.
    "sweep-inbox": async () => {
      const pending = await pendingDeliveries(db, SWEEP_AFTER_MS, 1000);
      for (const id of pending) await enqueue("process-webhook", { inboxId: id.toString() }, { jobId: `wh-${id}`, replaceFinished: true });
      const staleRuns = await db.syncRun.findMany({
        where: { status: { in: ["RUNNING", "IMPORTING"] }, startedAt: { lt: new Date(Date.now() - STALE_RUN_MS) }, shop: { reauthNeededAt: null } },
        select: { id: true },
      });
      for (const run of staleRuns) await enqueueImport(run.id);
      const neverSynced = await db.shop.findMany({
        where: { uninstalledAt: null, reauthNeededAt: null, syncRuns: { none: {} }, installedAt: { lt: new Date(Date.now() - SWEEP_AFTER_MS) } },
        select: { id: true },
      });
      for (const shop of neverSynced) await enqueue("backfill-start", { shopId: shop.id }, { jobId: `backfill-${shop.id}`, replaceFinished: true });
      const bulkActions = await requeueStaleBulkActions(db, STALE_BULK_ACTION_MS);
      return { pending: pending.length, staleRuns: staleRuns.length, backfills: neverSynced.length, bulkActions };
    },
  };

  async function afterBackfillRun(shopId: number) {
    const runs = await db.syncRun.findMany({ where: { shopId }, orderBy: { startedAt: "desc" }, take: 2 });
    if (runs.length < 2 || runs.some((r) => r.status !== "COMPLETED")) return;
    const startedAt = new Date(Math.min(...runs.map((r) => r.startedAt.getTime())));
    await db.shop.updateMany({ where: { id: shopId, reconciledThrough: null }, data: { reconciledThrough: startedAt } });
    await deps.onBackfilled?.(shopId);
  }

  async function removeShopJobs(shopId: number) {
    const queue = getQueue(QUEUES.sync);
    const jobs = await queue.getJobs(["waiting", "delayed", "prioritized"]);
    const ours = jobs.filter((j) => (j?.data as { shopId?: number } | undefined)?.shopId === shopId);
    await Promise.all(ours.map((j) => j.remove().catch(() => undefined)));
    logger.info({ shopId, removed: ours.length }, "removed the uninstalled shop's pending jobs");
  }
}
