import type { PrismaClient } from "@prisma/client";

/** The installed shop behind an authenticated session; 404 when Patron holds no such shop. */
export async function requireShopId(db: PrismaClient, domain: string): Promise<number> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) throw new Response("Shop not found", { status: 404 });
  return shop.id;
}
