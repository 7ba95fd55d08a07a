import type { PrismaClient } from "@prisma/client";

export interface InstallRecord {
  domain: string;
  scopes: string | null;
}

/** Creates the shop on first install, or brings an uninstalled one back. */
export async function recordInstall(db: PrismaClient, install: InstallRecord) {
  return db.shop.upsert({
    where: { domain: install.domain },
    create: { domain: install.domain, scopes: install.scopes },
    update: { scopes: install.scopes, uninstalledAt: null, installedAt: new Date() },
  });
}

export interface ShopOverview {
  domain: string;
  installed: boolean;
  customers: number;
  orders: number;
  lastWebhookAt: string | null;
  lastWebhookTopic: string | null;
}

/** What Patron holds for one shop; a shop it has never seen reads as empty. */
export async function getShopOverview(db: PrismaClient, domain: string): Promise<ShopOverview> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true } });
  if (!shop) {
    return { domain, installed: false, customers: 0, orders: 0, lastWebhookAt: null, lastWebhookTopic: null };
  }
  const [customers, orders, lastWebhook] = await Promise.all([
    db.customer.count({ where: { shopId: shop.id, deletedAt: null } }),
    db.order.count({ where: { shopId: shop.id } }),
    db.webhookEvent.findFirst({
      where: { shopId: shop.id },
      orderBy: { receivedAt: "desc" },
      select: { receivedAt: true, topic: true },
    }),
  ]);
  return {
    domain,
    installed: shop.uninstalledAt === null,
    customers,
    orders,
    lastWebhookAt: lastWebhook?.receivedAt.toISOString() ?? null,
    lastWebhookTopic: lastWebhook?.topic ?? null,
  };
}
