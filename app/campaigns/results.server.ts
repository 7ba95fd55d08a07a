import { msg, type Message } from "../i18n/message";
import type { Campaign, PrismaClient } from "@prisma/client";
import { readSettings } from "../settings/shop-settings";
import { computeUplift, type ArmStats, type RedemptionStats, type Uplift } from "./results";

// Campaign results from synced orders, one SQL statement per campaign: orders that
// used the code (redemptions, revenue, margin), and every member's orders in the
// campaign window by arm (uplift). A campaign ended early (endedAt) counts nothing
// after that moment, even orders that sync later.

export interface CampaignResults {
  redemption: RedemptionStats;
  uplift: Uplift;
}

interface Row {
  kind: "code" | "arm";
  holdout: boolean | null;
  n: number;
  customers: number;
  converted: number;
  revenue: number;
  discounts: number;
  margin: number;
}

/**
 * Revenue is product revenue as scoring counts it (app/orders/record.ts): lines after
 * discounts, ex tax, less product refunds. Margin of an order: that line revenue less its
 * cost at the time (or the shop's default margin on it), scaled by what was not refunded.
 */
const RESULTS_SQL = `
WITH c AS (
  SELECT "shopId", id, code, "startsAt", COALESCE("endsAt", 'infinity'::timestamp) AS "endsAt",
         COALESCE("endedAt", 'infinity'::timestamp) AS "endedAt"
  FROM "Campaign" WHERE "shopId" = $1 AND id = $2
),
coded AS (
  SELECT o.id, o."customerId", GREATEST(l.net - o."totalRefunded", 0) AS net, o."totalDiscounts",
         CASE WHEN l.net > 0 THEN GREATEST(l.net - o."totalRefunded", 0) / l.net ELSE 0 END * (l.net - l.cost) AS margin
  FROM c
  JOIN "Order" o ON o."shopId" = c."shopId" AND o."cancelledAt" IS NULL AND o."processedAt" >= c."startsAt"
    AND o."processedAt" < c."endedAt"
  CROSS JOIN LATERAL (
    SELECT COALESCE(sum(ol.price * ol.quantity - ol."discountAllocated" - ol."taxIncluded"), 0) AS net,
           COALESCE(sum(COALESCE(ol."unitCost" * ol.quantity,
                                 (ol.price * ol.quantity - ol."discountAllocated" - ol."taxIncluded") * (1 - $3::numeric))), 0) AS cost
    FROM "OrderLine" ol WHERE ol."shopId" = o."shopId" AND ol."orderId" = o.id
  ) l
  WHERE EXISTS (SELECT 1 FROM unnest(o."discountCodes") d WHERE upper(d) = upper(c.code))
),
arms AS (
  SELECT m.holdout, count(*)::int AS customers, count(*) FILTER (WHERE x.n > 0)::int AS converted, COALESCE(sum(x.revenue), 0)::float8 AS revenue
  FROM c
  JOIN "CampaignMember" m ON m."shopId" = c."shopId" AND m."campaignId" = c.id
  CROSS JOIN LATERAL (
    SELECT count(*) AS n,
           sum(GREATEST((SELECT COALESCE(sum(ol.price * ol.quantity - ol."discountAllocated" - ol."taxIncluded"), 0)
                         FROM "OrderLine" ol WHERE ol."shopId" = o."shopId" AND ol."orderId" = o.id) - o."totalRefunded", 0)) AS revenue
    FROM "Order" o
    WHERE o."shopId" = m."shopId" AND o."customerId" = m."customerId" AND o."cancelledAt" IS NULL
      AND o."processedAt" >= c."startsAt" AND o."processedAt" < c."endsAt"
  ) x
  GROUP BY m.holdout
)
SELECT 'code' AS kind, NULL::boolean AS holdout, count(*)::int AS n, count(DISTINCT "customerId")::int AS customers, 0 AS converted,
       COALESCE(sum(net), 0)::float8 AS revenue, COALESCE(sum("totalDiscounts"), 0)::float8 AS discounts, COALESCE(sum(margin), 0)::float8 AS margin
FROM coded
UNION ALL
SELECT 'arm', holdout, customers, customers, converted, revenue, 0, 0 FROM arms`;

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function campaignResults(
  db: PrismaClient,
  shopId: number,
  campaign: Pick<Campaign, "id" | "startsAt">,
  defaultMarginRate: number,
  now = new Date(),
): Promise<CampaignResults> {
  const rows = await db.$queryRawUnsafe<Row[]>(RESULTS_SQL, shopId, campaign.id, defaultMarginRate);
  const code = rows.find((r) => r.kind === "code");
  const arm = (holdout: boolean): ArmStats => {
    const r = rows.find((x) => x.kind === "arm" && x.holdout === holdout);
    return { customers: r?.customers ?? 0, converted: r?.converted ?? 0, revenue: r?.revenue ?? 0 };
  };
  return {
    redemption: {
      redemptions: code?.n ?? 0,
      customers: code?.customers ?? 0,
      revenue: round2(code?.revenue ?? 0),
      discounts: round2(code?.discounts ?? 0),
      margin: round2(code?.margin ?? 0),
    },
    uplift: computeUplift(arm(false), arm(true), { startsAt: campaign.startsAt, now }),
  };
}

export type CampaignState = "creating" | "scheduled" | "active" | "ended" | "failed";

export function campaignState(c: Pick<Campaign, "status" | "startsAt" | "endsAt"> & Partial<Pick<Campaign, "endedAt">>, now: Date): CampaignState {
  if (c.status === "PENDING") return "creating";
  if (c.status === "FAILED") return "failed";
  if (c.endedAt) return "ended";
  if (c.startsAt > now) return "scheduled";
  if (c.endsAt && c.endsAt <= now) return "ended";
  return "active";
}

export interface CampaignListItem {
  id: string;
  title: string;
  code: string;
  state: CampaignState;
  audience: Message;
  discount: Message;
  startsAt: string;
  endsAt: string | null;
  redemptions: number;
  revenue: number;
}

export function describeAudience(c: Pick<Campaign, "audience" | "group" | "excludeVolume">, members?: number): Message {
  if (c.audience === "group") return msg("campaigns.audience.group", { group: msg(`groups.${c.group ?? "valued"}`) });
  if (c.audience === "customers") return members === undefined ? msg("campaigns.audience.selected") : msg("campaigns.audience.selectedCount", { count: members });
  if (c.audience === "filter") return members === undefined ? msg("campaigns.audience.filter") : msg("campaigns.audience.filterCount", { count: members });
  return msg(c.excludeVolume ? "campaigns.audience.allExceptVolume" : "campaigns.audience.all");
}

export function describeDiscount(c: Pick<Campaign, "discount" | "value">, currency: string): Message {
  if (c.discount === "free_shipping") return msg("campaigns.discount.freeShipping");
  const value = Number(c.value ?? 0);
  return c.discount === "percentage" ? msg("campaigns.discount.percentage", { value: { pct: value, digits: value % 1 === 0 ? 0 : 2 } }) : msg("campaigns.discount.amount", { amount: { amount: value, currency } });
}

/** The most campaigns one list page shows. */
export const CAMPAIGN_PAGE = 250;

/** The shop's campaigns, newest first (at most CAMPAIGN_PAGE), with `total` counting them all, and redemptions and revenue from orders that used each code. */
export async function listCampaigns(db: PrismaClient, shopDomain: string, now = new Date()): Promise<{ currency: string; total: number; campaigns: CampaignListItem[] }> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, currency: true } });
  if (!shop) return { currency: "USD", total: 0, campaigns: [] };
  const [campaigns, total] = await Promise.all([
    db.campaign.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "desc" }, take: CAMPAIGN_PAGE }),
    db.campaign.count({ where: { shopId: shop.id } }),
  ]);
  const usage = campaigns.length
    ? await db.$queryRaw<{ id: string; redemptions: number; revenue: number }[]>`
        SELECT c.id, count(o.id)::int AS redemptions, COALESCE(sum(o."totalPrice" - o."totalRefunded"), 0)::float8 AS revenue
        FROM "Campaign" c
        LEFT JOIN "Order" o ON o."shopId" = c."shopId" AND o."cancelledAt" IS NULL AND o."processedAt" >= c."startsAt"
          AND o."processedAt" < COALESCE(c."endedAt", 'infinity'::timestamp)
          AND EXISTS (SELECT 1 FROM unnest(o."discountCodes") d WHERE upper(d) = upper(c.code))
        WHERE c."shopId" = ${shop.id} AND c.id = ANY(${campaigns.map((c) => c.id)}::text[])
        GROUP BY c.id`
    : [];
  const byId = new Map(usage.map((u) => [u.id, u]));
  return {
    currency: shop.currency,
    total,
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      code: c.code,
      state: campaignState(c, now),
      audience: describeAudience(c),
      discount: describeDiscount(c, shop.currency),
      startsAt: c.startsAt.toISOString(),
      endsAt: c.endsAt?.toISOString() ?? null,
      redemptions: byId.get(c.id)?.redemptions ?? 0,
      revenue: round2(byId.get(c.id)?.revenue ?? 0),
    })),
  };
}

export interface CampaignDetail {
  campaign: CampaignListItem & {
    usageLimit: number | null;
    oncePerCustomer: boolean;
    combinesWith: Message[];
    controlShare: number;
    treated: number;
    holdouts: number;
    segmentId: string | null;
    segmentQuery: string | null;
    discountId: string | null;
    projection: unknown;
    discountKind: Campaign["discount"];
    /** Percentage points or an amount; null for free shipping. */
    value: number | null;
    endedAt: string | null;
    pendingAction: Campaign["pendingAction"];
    pendingSince: string | null;
    excludeVolume: boolean;
    audienceKind: Campaign["audience"];
    group: Campaign["group"];
    combinesOrder: boolean;
    combinesProduct: boolean;
    combinesShipping: boolean;
  };
  currency: string;
  results: CampaignResults;
}

/** One campaign of the shop, or null (never another shop's). */
export async function getCampaign(db: PrismaClient, shopDomain: string, id: string, now = new Date()): Promise<CampaignDetail | null> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, currency: true, settings: true } });
  if (!shop) return null;
  const c = await db.campaign.findUnique({ where: { shopId_id: { shopId: shop.id, id } } });
  if (!c) return null;
  const counts = await db.campaignMember.groupBy({ by: ["holdout"], where: { shopId: shop.id, campaignId: c.id }, _count: { _all: true } });
  const treated = counts.find((x) => !x.holdout)?._count._all ?? 0;
  const holdouts = counts.find((x) => x.holdout)?._count._all ?? 0;
  const results = await campaignResults(db, shop.id, c, readSettings(shop.settings).defaultMarginRate, now);
  const combines = [c.combinesOrder && "order", c.combinesProduct && "product", c.combinesShipping && "shipping"]
    .filter((x): x is string => Boolean(x))
    .map((kind) => msg(`campaigns.combines.${kind}`));
  return {
    currency: shop.currency,
    results,
    campaign: {
      id: c.id,
      title: c.title,
      code: c.code,
      state: campaignState(c, now),
      audience: describeAudience(c, treated + holdouts),
      discount: describeDiscount(c, shop.currency),
      startsAt: c.startsAt.toISOString(),
      endsAt: c.endsAt?.toISOString() ?? null,
      redemptions: results.redemption.redemptions,
      revenue: results.redemption.revenue,
      usageLimit: c.usageLimit,
      oncePerCustomer: c.oncePerCustomer,
      combinesWith: combines,
      controlShare: c.controlShare,
      treated,
      holdouts,
      segmentId: c.segmentId?.toString() ?? null,
      segmentQuery: c.segmentQuery,
      discountId: c.discountId?.toString() ?? null,
      projection: c.projection,
      discountKind: c.discount,
      value: c.value === null ? null : Number(c.value),
      endedAt: c.endedAt?.toISOString() ?? null,
      pendingAction: c.pendingAction,
      pendingSince: c.pendingSince?.toISOString() ?? null,
      excludeVolume: c.excludeVolume,
      audienceKind: c.audience,
      group: c.group,
      combinesOrder: c.combinesOrder,
      combinesProduct: c.combinesProduct,
      combinesShipping: c.combinesShipping,
    },
  };
}
