import type { PrismaClient } from "@prisma/client";

/** app/uninstalled: stop writing to the shop, forget its credentials, keep its data until shop/redact. */
export async function markUninstalled(db: PrismaClient, domain: string, at = new Date()) {
  await db.$transaction([
    db.session.deleteMany({ where: { shop: domain } }),
    db.shop.updateMany({ where: { domain }, data: { uninstalledAt: at } }),
    db.syncRun.updateMany({
      where: { shop: { domain }, status: { in: ["STARTING", "RUNNING", "IMPORTING"] } },
      data: { status: "CANCELED", error: "app uninstalled", completedAt: at },
    }),
  ]);
}

export async function isInstalled(db: PrismaClient, shopId: number): Promise<boolean> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true } });
  return shop !== null && shop.uninstalledAt === null;
}
