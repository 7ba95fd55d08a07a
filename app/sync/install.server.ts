import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { enqueue } from "../queue/queues.server";
import { recordInstall } from "../shops.server";
import { resumeAfterReauth } from "./resume.server";

/**
 * afterAuth (every token exchange): record the install, start the history backfill
 * once per shop, and resume work that waited for the merchant after Shopify refused
 * the shop's refresh token.
 */
export async function onInstalled(db: PrismaClient, domain: string, scopes: string | null) {
  const shop = await recordInstall(db, { domain, scopes });
  if (shop.reauthNeededAt) {
    try {
      await resumeAfterReauth(db, shop.id);
    } catch (error) {
      // The sweeper and the schedules pick the work up once the flag is gone.
      logger.warn({ shop: domain, err: (error as Error).message }, "paused work not re-enqueued");
    }
  }
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
