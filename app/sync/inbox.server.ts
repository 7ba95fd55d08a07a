import type { PrismaClient } from "@prisma/client";
import type { Sql } from "./inbox-writer.server";
import type { KnownShop } from "./webhook-guard";

// Installed shops by domain, per process. Deliveries for a known shop then cost one
// round trip (the insert). Only installed shops are kept, so a reinstall is seen at
// once; entries expire so another process's uninstall is seen within a minute;
// destructive topics read afresh, and a process forgets a shop it sees uninstall.
const SHOP_CACHE_MS = 60_000;
const shops = new Map<string, { shop: KnownShop; at: number }>();

/**
 * What Patron holds for a shop domain, or null when it was never installed (webhooks
 * never create shops: only the install flow does). `fresh` skips the cache. Plain SQL:
 * this runs on the webhook hot path. Throws the database's error when it is down.
 */
export async function knownShop(sql: Sql, domain: string, options: { fresh?: boolean } = {}): Promise<KnownShop | null> {
  const cached = shops.get(domain);
  if (cached && !options.fresh && Date.now() - cached.at < SHOP_CACHE_MS) return cached.shop;
  const { rows } = await sql.query<{ id: number; shopifyId: string | null; uninstalledAt: Date | null }>(
    `SELECT id, "shopifyId"::text AS "shopifyId", "uninstalledAt" FROM "Shop" WHERE domain = $1`,
    [domain],
  );
  const row = rows[0];
  const shop: KnownShop | null = row ? { ...row, shopifyId: row.shopifyId === null ? null : BigInt(row.shopifyId) } : null;
  if (shop && !shop.uninstalledAt) shops.set(domain, { shop, at: Date.now() });
  else shops.delete(domain);
  return shop;
}

/** Drops a shop from this process's cache (uninstalled, redacted). */
export function forgetShop(domain: string) {
  shops.delete(domain);
}

/** Drops a shop from this process's cache by id (its row is gone). */
export function forgetShopId(shopId: number) {
  for (const [domain, entry] of shops) if (entry.shop.id === shopId) shops.delete(domain);
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
