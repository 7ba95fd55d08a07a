import type { PrismaClient } from "@prisma/client";
import { isMessage, msg } from "../i18n/message";
import { shopifyIdParam } from "../ids";
import type { Reason } from "../scoring";

const ORDERS_SHOWN = 100;
const CHANGES_SHOWN = 50;

export interface OrderEntry {
  id: string;
  name: string;
  processedAt: string;
  cancelled: boolean;
  total: string;
  discount: string;
  discountCodes: string[];
  automaticDiscount: boolean;
  /** Gross margin after discounts; null unless every line's cost is known. */
  margin: string | null;
  refunded: string;
  refunds: { id: string; processedAt: string; amount: string; returnedQuantity: number }[];
}

export interface CustomerDetail {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  vipManual: boolean;
  score: {
    group: string;
    valueScore: number;
    volumeScore: number;
    vip: boolean;
    vipSource: string | null;
    held: boolean;
    predictedClv: string;
    pAlive: number | null;
    /** Distinct purchase days; with one, P(alive) is 1 by construction and is not shown. */
    purchaseDays: number;
    orders: number;
    revenue: string;
    marginRate: number;
    marginEstimated: boolean;
    discountShare: number;
    lastOrderAt: string | null;
    scoredAt: string;
    reasons: Reason[];
  } | null;
  orders: OrderEntry[];
  totalOrders: number;
  /** `reconstructed`: worked out after install from the order history, not seen happen. */
  groupHistory: { at: string; from: string | null; to: string; valueScore: number; reconstructed: boolean }[];
}

/**
 * A stored reason as the page shows it. Scores saved before reasons became messages hold English
 * text: it is shown as it is (the `reasons.legacy` message) until the next rescore replaces it.
 */
function storedReason(r: unknown): Reason | null {
  const x = r as Reason & { text?: unknown };
  if (typeof x !== "object" || x === null || typeof x.impact !== "number") return null;
  if (isMessage(x.message)) return x;
  if (typeof x.text === "string") {
    const { text, ...rest } = x;
    return { ...rest, message: msg("reasons.legacy", { text }) };
  }
  return null;
}

/** Everything the customer page shows, or null when the shop has no such customer. */
export async function getCustomerDetail(db: PrismaClient, shopId: number, customerId: bigint): Promise<CustomerDetail | null> {
  const customer = await db.customer.findUnique({
    where: { shopId_id: { shopId, id: customerId } },
    include: { score: true },
  });
  if (!customer || customer.deletedAt) return null;
  const [orders, totalOrders, changes] = await Promise.all([
    db.order.findMany({
      where: { shopId, customerId },
      orderBy: { processedAt: "desc" },
      take: ORDERS_SHOWN,
      include: { lines: { select: { quantity: true, price: true, discountAllocated: true, taxIncluded: true, unitCost: true } } },
    }),
    db.order.count({ where: { shopId, customerId } }),
    db.groupChange.findMany({ where: { shopId, customerId }, orderBy: { at: "desc" }, take: CHANGES_SHOWN }),
  ]);
  const refunds = orders.length
    ? await db.refund.findMany({ where: { shopId, orderId: { in: orders.map((o) => o.id) } }, orderBy: { processedAt: "asc" } })
    : [];

  const s = customer.score;
  return {
    id: customer.id.toString(),
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.email,
    vipManual: customer.vipManual,
    score: s && {
      group: s.group,
      valueScore: s.valueScore,
      volumeScore: s.volumeScore,
      vip: s.vip,
      vipSource: s.vipSource,
      held: s.held,
      predictedClv: s.predictedClv.toFixed(2),
      pAlive: s.pAlive,
      purchaseDays: s.purchaseDays,
      orders: s.orders,
      revenue: s.revenue.toFixed(2),
      marginRate: s.marginRate,
      marginEstimated: s.marginEstimated,
      discountShare: s.discountShare,
      lastOrderAt: s.lastOrderAt?.toISOString() ?? null,
      scoredAt: s.scoredAt.toISOString(),
      reasons: Array.isArray(s.reasons) ? (s.reasons as unknown[]).map(storedReason).filter((r) => r !== null) : [],
    },
    orders: orders.map((o) => {
      const costKnown = o.lines.length > 0 && o.lines.every((l) => l.unitCost !== null);
      const margin = costKnown
        ? o.lines.reduce((sum, l) => sum + Number(l.price) * l.quantity - Number(l.discountAllocated) - Number(l.taxIncluded) - Number(l.unitCost) * l.quantity, 0)
        : null;
      return {
        id: o.id.toString(),
        name: o.name,
        processedAt: o.processedAt.toISOString(),
        cancelled: o.cancelledAt !== null,
        total: o.totalPrice.toFixed(2),
        discount: o.totalDiscounts.toFixed(2),
        discountCodes: o.discountCodes,
        automaticDiscount: o.hasAutomaticDiscount,
        margin: margin === null ? null : margin.toFixed(2),
        refunded: o.totalRefunded.toFixed(2),
        refunds: refunds
          .filter((r) => r.orderId === o.id)
          .map((r) => ({ id: r.id.toString(), processedAt: r.processedAt.toISOString(), amount: r.amount.toFixed(2), returnedQuantity: r.returnedQuantity })),
      };
    }),
    totalOrders,
    groupHistory: changes.map((c) => ({ at: c.at.toISOString(), from: c.from, to: c.to, valueScore: c.valueScore, reconstructed: c.reconstructed })),
  };
}

/** A route's :id as a Shopify customer id, or null when it cannot be one. */
export function parseCustomerId(raw: string | undefined): bigint | null {
  const parsed = shopifyIdParam.safeParse(raw);
  return parsed.success ? BigInt(parsed.data) : null;
}
