import type { PrismaClient } from "@prisma/client";

/** The installed shop behind an authenticated session, with its currency (ISO 4217); 404 when Patron holds no such shop. */
export async function requireShop(db: PrismaClient, domain: string): Promise<{ id: number; currency: string }> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true, currency: true } });
  if (!shop || shop.uninstalledAt) throw new Response("Shop not found", { status: 404 });
  return { id: shop.id, currency: shop.currency };
}

/** The installed shop's id behind an authenticated session; 404 when Patron holds no such shop. */
export async function requireShopId(db: PrismaClient, domain: string): Promise<number> {
  return (await requireShop(db, domain)).id;
}
