import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { enqueue } from "../queue/queues.server";
import { recordInstall } from "../shops.server";

/** afterAuth: record the install and start the history backfill once per shop. */
export async function onInstalled(db: PrismaClient, domain: string, scopes: string | null) {
  const shop = await recordInstall(db, { domain, scopes });
  const runs = await db.syncRun.count({ where: { shopId: shop.id, status: { notIn: ["FAILED", "CANCELED"] } } });
  if (runs > 0) return shop;
  try {
    await enqueue("backfill-start", { shopId: shop.id }, { jobId: `backfill-${shop.id}-${Date.now()}` });
  } catch (error) {
    // The sweeper starts backfills for installed shops that have none.
    logger.warn({ shop: domain, err: (error as Error).message }, "backfill not enqueued; the sweeper will start it");
  }
  return shop;
}
