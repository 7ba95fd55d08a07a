import type { PrismaClient } from "@prisma/client";
import { enqueue, type JobPayloads } from "../queue/queues.server";
import { type RescoreResult, type RescoreTrigger, rescoreShop } from "./rescore.server";

export const RESCORE_DEBOUNCE_MS = 30_000;

/**
 * Asks for a shop rescore soon. Requests within one debounce window share a job id,
 * so a burst of order webhooks costs one rescore; a request arriving while that job
 * runs falls into the next window and gets its own.
 */
export async function requestRescore(shopId: number, trigger: RescoreTrigger, now = Date.now(), debounceMs = RESCORE_DEBOUNCE_MS) {
  const window = Math.floor(now / debounceMs);
  const delay = (window + 1) * debounceMs - now;
  await enqueue("rescore-shop", { shopId, trigger }, { jobId: `rescore-${shopId}-${window}`, delay });
}

export interface ScoringJobDeps {
  db: PrismaClient;
  onRescored?: (shopId: number, result: RescoreResult) => Promise<void>;
}

export function createScoringProcessors(deps: ScoringJobDeps) {
  return {
    "rescore-shop": async ({ shopId, trigger }: JobPayloads["rescore-shop"]) => {
      const shop = await deps.db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true } });
      if (!shop || shop.uninstalledAt) return "shop not installed";
      // The first scoring after the history backfill also reconstructs the past year's movement.
      const result = await rescoreShop(deps.db, shopId, trigger, new Date(), { reconstructHistory: trigger === "backfill" });
      await deps.onRescored?.(shopId, result);
      return { customers: result.customers, changes: result.changes.length, ms: result.durationMs };
    },
    "rescore-all": async () => {
      const shops = await deps.db.shop.findMany({ where: { uninstalledAt: null }, select: { id: true } });
      const day = new Date().toISOString().slice(0, 10);
      for (const shop of shops) {
        await enqueue("rescore-shop", { shopId: shop.id, trigger: "schedule" }, { jobId: `rescore-all-${shop.id}-${day}` });
      }
      return shops.length;
    },
  };
}
