import type { PrismaClient } from "@prisma/client";

export interface Delivery {
  shop: string;
  webhookId: string;
  topic: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  payload: unknown;
}

const shopIds = new Map<string, number>();

/** The shop's key, creating the row the first time a shop is heard of. Cached per process. */
export async function shopIdFor(db: PrismaClient, domain: string): Promise<number> {
  const cached = shopIds.get(domain);
  if (cached !== undefined) return cached;
  // One statement: Prisma's upsert is a read then a write, and a shop's first burst of
  // concurrent deliveries raced on it (a unique violation, answered 503).
  const [shop] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "Shop" (domain, "updatedAt") VALUES (${domain}, now())
    ON CONFLICT (domain) DO UPDATE SET domain = EXCLUDED.domain
    RETURNING id`;
  shopIds.set(domain, shop.id);
  return shop.id;
}

export function forgetShop(domain: string) {
  shopIds.delete(domain);
}

/**
 * Writes a delivery to the inbox once. A second delivery with the same
 * (shop, X-Shopify-Webhook-Id) changes nothing and reports itself as a duplicate.
 */
export async function recordDelivery(db: PrismaClient, delivery: Delivery): Promise<{ inboxId: bigint; duplicate: boolean }> {
  const insert = async (shopId: number) =>
    db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "WebhookEvent" ("shopId", "webhookId", topic, "apiVersion", "eventId", "triggeredAt", payload)
      VALUES (${shopId}, ${delivery.webhookId}, ${delivery.topic}, ${delivery.apiVersion}, ${delivery.eventId},
              ${delivery.triggeredAt}, ${JSON.stringify(delivery.payload)}::jsonb)
      ON CONFLICT ("shopId", "webhookId") DO NOTHING
      RETURNING id`;
  let rows: { id: bigint }[];
  try {
    rows = await insert(await shopIdFor(db, delivery.shop));
  } catch (error) {
    // The cached shop was deleted (shop/redact) since: look it up afresh once.
    if (!/23503|foreign key/i.test(String(error))) throw error;
    forgetShop(delivery.shop);
    rows = await insert(await shopIdFor(db, delivery.shop));
  }
  if (rows.length) return { inboxId: rows[0].id, duplicate: false };
  const existing = await db.webhookEvent.findUniqueOrThrow({
    where: { shopId_webhookId: { shopId: await shopIdFor(db, delivery.shop), webhookId: delivery.webhookId } },
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
