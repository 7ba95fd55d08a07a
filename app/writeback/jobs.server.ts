import type { PrismaClient } from "@prisma/client";
import { UnrecoverableError } from "bullmq";
import { enqueue, type JobPayloads } from "../queue/queues.server";
import { type AdminGraphql, ShopifyPermanentError } from "../shopify/admin-graphql.server";
import { ShopNeedsReauthError } from "../shopify/offline-tokens.server";
import { runBulkAction } from "../customers/bulk.server";
import { writeBack } from "./writer.server";

/** Asks for a write-back of the shop; one waiting job per shop covers every request made meanwhile. */
export async function requestWriteBack(shopId: number, key: string | number = Date.now()) {
  await enqueue("writeback", { shopId }, { jobId: `writeback-${shopId}-${key}` });
}

export interface WriteBackJobDeps {
  db: PrismaClient;
  adminFor: (shop: string) => Promise<{ admin: AdminGraphql } | null>;
}

export function createWriteBackProcessors(deps: WriteBackJobDeps) {
  return {
    writeback: async ({ shopId }: JobPayloads["writeback"]) => {
      const shop = await deps.db.shop.findUnique({ where: { id: shopId }, select: { domain: true, uninstalledAt: true } });
      // Uninstalled shops get no writes.
      if (!shop || shop.uninstalledAt) return "shop not installed";
      try {
        const access = await deps.adminFor(shop.domain);
        if (!access) return "no offline session";
        return await writeBack(deps.db, access.admin, shopId);
      } catch (error) {
        // The merchant's next visit asks for a write-back again (resumeAfterReauth).
        if (error instanceof ShopNeedsReauthError) return `paused until the merchant opens the app: ${error.reason}`;
        if (error instanceof ShopifyPermanentError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    "bulk-customers": async ({ shopId, bulkActionId }: JobPayloads["bulk-customers"]) => {
      const shop = await deps.db.shop.findUnique({ where: { id: shopId }, select: { domain: true, uninstalledAt: true } });
      if (!shop || shop.uninstalledAt) return "shop not installed";
      try {
        const access = await deps.adminFor(shop.domain);
        if (!access) return "no offline session";
        const result = await runBulkAction(deps.db, access.admin, shopId, bulkActionId);
        return result ? { done: result.done, total: result.total } : "bulk action not found";
      } catch (error) {
        if (error instanceof ShopNeedsReauthError) return `paused until the merchant opens the app: ${error.reason}`;
        if (error instanceof ShopifyPermanentError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
  };
}
