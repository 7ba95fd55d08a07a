import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { writeBack } from "../writeback/writer.server";

export const MAX_VIP_BATCH = 250;

export interface VipOutcome {
  /** Customers of this shop whose flag was set. */
  updated: string[];
  vip: boolean;
  /** Whether Shopify now carries the tag; when false the flag stays and the next write-back retries. */
  written: boolean;
  error: string | null;
}

/**
 * The merchant's VIP choice: saved first (Customer.vipManual and the current score),
 * then written to Shopify at once for these customers only. A Shopify failure leaves
 * the saved choice in place: write-back plans against what it last wrote
 * (CustomerWriteState), so the write-back after the next rescore sends the tag.
 * Turning VIP off removes the manual choice; a customer in the automatic top stays
 * out only until the next rescore decides the automatic VIPs again.
 */
export async function setVip(
  db: PrismaClient,
  admin: AdminGraphql,
  shopId: number,
  customerIds: bigint[],
  vip: boolean,
): Promise<VipOutcome> {
  const ids = [...new Set(customerIds)].slice(0, MAX_VIP_BATCH);
  const updated = await db.$transaction(async (tx) => {
    const found = await tx.customer.findMany({ where: { shopId, id: { in: ids }, deletedAt: null }, select: { id: true } });
    const own = found.map((c) => c.id);
    if (own.length === 0) return own;
    await tx.customer.updateMany({ where: { shopId, id: { in: own } }, data: { vipManual: vip } });
    await tx.customerScore.updateMany({
      where: { shopId, customerId: { in: own } },
      data: vip ? { vip: true, vipSource: "manual" } : { vip: false, vipSource: null },
    });
    return own;
  });
  if (updated.length === 0) return { updated: [], vip, written: false, error: null };

  try {
    const result = await writeBack(db, admin, shopId, { customerIds: updated });
    const error = result.failed > 0 ? `Shopify refused the change for ${result.failed} customer(s)` : null;
    return { updated: updated.map(String), vip, written: error === null, error };
  } catch (error) {
    logger.warn({ shop: admin.shop, err: (error as Error).message, customers: updated.length }, "VIP write-back failed; the next write-back retries");
    return { updated: updated.map(String), vip, written: false, error: (error as Error).message };
  }
}
