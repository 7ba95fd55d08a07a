import type { PrismaClient } from "@prisma/client";
import type { KnownShop } from "./webhook-guard";

export interface Delivery {
  shopId: number;
  webhookId: string;
  topic: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  payload: unknown;
}

// Installed shops by domain, per process. Deliveries for a known shop then cost one
// round trip (the insert). Only installed shops are kept, so a reinstall is seen at
// once; entries expire so another process's uninstall is seen within a minute;
// destructive topics read afresh, and this process forgets a shop it uninstalls.
const SHOP_CACHE_MS = 60_000;
const shops = new Map<string, { shop: KnownShop; at: number }>();

/**
 * What Patron holds for a shop domain, or null when it was never installed (webhooks
 * never create shops: only the install flow does). `fresh` skips the cache.
 */
export async function knownShop(db: PrismaClient, domain: string, options: { fresh?: boolean } = {}): Promise<KnownShop | null> {
  const cached = shops.get(domain);
  if (cached && !options.fresh && Date.now() - cached.at < SHOP_CACHE_MS) return cached.shop;
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, shopifyId: true, uninstalledAt: true } });
  if (shop && !shop.uninstalledAt) shops.set(domain, { shop, at: Date.now() });
  else shops.delete(domain);
  return shop;
}

export function forgetShop(domain: string) {
  shops.delete(domain);
}

export class ShopGoneError extends Error {
  override name = "ShopGoneError";
}

/**
 * Writes a delivery to the inbox once. A second delivery with the same
 * (shop, X-Shopify-Webhook-Id) changes nothing and reports itself as a duplicate.
 * Throws ShopGoneError when the shop was deleted (shop/redact) since it was looked up.
 */
export async function recordDelivery(db: PrismaClient, delivery: Delivery): Promise<{ inboxId: bigint; duplicate: boolean }> {
  let rows: { id: bigint }[];
  try {
    rows = await db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "WebhookEvent" ("shopId", "webhookId", topic, "apiVersion", "eventId", "triggeredAt", payload)
      VALUES (${delivery.shopId}, ${delivery.webhookId}, ${delivery.topic}, ${delivery.apiVersion}, ${delivery.eventId},
              ${delivery.triggeredAt}, ${JSON.stringify(delivery.payload)}::jsonb)
      ON CONFLICT ("shopId", "webhookId") DO NOTHING
      RETURNING id`;
  } catch (error) {
    if (!/23503|foreign key/i.test(String(error))) throw error;
    for (const [domain, entry] of shops) if (entry.shop.id === delivery.shopId) shops.delete(domain);
    throw new ShopGoneError("the shop was deleted");
  }
  if (rows.length) return { inboxId: rows[0].id, duplicate: false };
  const existing = await db.webhookEvent.findUniqueOrThrow({
    where: { shopId_webhookId: { shopId: delivery.shopId, webhookId: delivery.webhookId } },
    select: { id: true },
  });
  return { inboxId: existing.id, duplicate: true };
}

/** Deliveries still pending after `olderThanMs`: their enqueue failed or their job was lost. */
export async function pendingDeliveries(db: PrismaClient, olderThanMs: number, limit: number): Promise<bigint[]> {
  const rows = await db.webhookEvent.findMany({
    where: { status: "PENDING", receivedAt: { lt: new Date(Date.now() - olderThanMs) } },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
