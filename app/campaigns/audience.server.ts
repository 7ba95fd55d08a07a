import type { PrismaClient } from "@prisma/client";
import { countCustomers, customerFilterSql, filtersToParams, type ListFilters } from "../customers/list.server";
import { resolveConfig, type Group } from "../scoring";
import { readSettings, type ShopSettings } from "../settings/shop-settings";
import type { Audience } from "./form";
import type { AudienceCustomer } from "./guardrails";

// Loads what the guardrails need about a campaign's audience: every customer, or a
// deterministic sample of a large audience for the preview.

export interface CampaignShop {
  id: number;
  domain: string;
  currency: string;
  settings: ShopSettings;
  horizonWeeks: number;
  /** Average order value across scored customers, for customers without orders. */
  averageOrderValue: number;
}

export class ShopNotFoundError extends Error {
  override name = "ShopNotFoundError";
}

export async function loadCampaignShop(db: PrismaClient, domain: string): Promise<CampaignShop> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, domain: true, currency: true, settings: true } });
  if (!shop) throw new ShopNotFoundError(`No shop ${domain}`);
  const settings = readSettings(shop.settings);
  const config = resolveConfig(settings.preset, settings.overrides);
  const [aov] = await db.$queryRaw<{ aov: number | null }[]>`
    SELECT (sum(revenue) / NULLIF(sum(orders), 0))::float8 AS aov FROM "CustomerScore" WHERE "shopId" = ${shop.id} AND orders > 0`;
  return {
    id: shop.id,
    domain: shop.domain,
    currency: shop.currency,
    settings,
    horizonWeeks: config.ok ? config.config.model.horizonWeeks : 52,
    averageOrderValue: aov?.aov ?? 0,
  };
}

export interface LoadedAudience {
  customers: AudienceCustomer[];
  /** Customers in the audience (before any exclusion). */
  total: number;
  /** Each loaded customer stands for this many (1 unless sampled). */
  scale: number;
  /** Selected ids that are not live customers of this shop. */
  unknownIds: bigint[];
}

interface Row {
  customerId: string;
  group: Group | null;
  vip: boolean;
  orders: number;
  revenue: number;
  marginRate: number;
  expectedPurchases: number;
}

function filterSql(shopId: number, audience: Audience): { from: string; params: unknown[] } {
  if (audience.kind === "filter") {
    // The customer list's own conditions: the audience is exactly what the list shows.
    const list = customerFilterSql(shopId, audience.filters);
    return { from: `FROM ${list.from} WHERE ${list.where}`, params: list.params.slice(1) };
  }
  const { where, params } = plainFilterSql(audience);
  return {
    from: `FROM "Customer" c LEFT JOIN "CustomerScore" s ON s."shopId" = c."shopId" AND s."customerId" = c.id
           WHERE c."shopId" = $1 AND c."deletedAt" IS NULL ${where}`,
    params,
  };
}

function plainFilterSql(audience: Audience): { where: string; params: unknown[] } {
  if (audience.kind === "group") return { where: `AND s."group" = $2::"CustomerGroup"`, params: [audience.group] };
  if (audience.kind === "customers") return { where: `AND c.id = ANY($2::bigint[])`, params: [audience.customerIds.map(String)] };
  return { where: "", params: [] };
}

/** `limit`: load at most this many, sampling by a hash of the id when the audience is larger. */
export async function loadAudience(db: PrismaClient, shopId: number, audience: Audience, limit = Infinity): Promise<LoadedAudience> {
  const { from, params } = filterSql(shopId, audience);
  const [{ total }] = await db.$queryRawUnsafe<{ total: number }[]>(`SELECT count(*)::int AS total ${from}`, shopId, ...params);
  const sampled = total > limit;
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT c.id::text AS "customerId", s."group"::text AS "group", (COALESCE(s.vip, false) OR c."vipManual") AS vip,
            COALESCE(s.orders, 0)::int AS orders, COALESCE(s.revenue, 0)::float8 AS revenue,
            COALESCE(s."marginRate", 0)::float8 AS "marginRate", COALESCE(s."expectedPurchases", 0)::float8 AS "expectedPurchases"
     ${from} ${sampled ? `ORDER BY md5(c.id::text) LIMIT ${Math.floor(limit)}` : "ORDER BY c.id"}`,
    shopId,
    ...params,
  );
  let unknownIds: bigint[] = [];
  if (audience.kind === "customers") {
    const found = new Set(rows.map((r) => r.customerId));
    unknownIds = audience.customerIds.filter((id) => !found.has(id.toString()));
  }
  return { customers: rows, total, scale: sampled && rows.length > 0 ? total / rows.length : 1, unknownIds };
}

export interface FormContext {
  groups: { group: Group; customers: number }[];
  selected: { id: string; name: string; group: Group | null }[];
  unknownIds: string[];
  currency: string;
  tagPrefix: string;
  autoTagging: boolean;
  /** The customer list's filter passed as the audience: its query (as the form posts it), what it asks for, and how many customers match now. */
  filter: { query: string; filters: ListFilters; customers: number } | null;
}

/** What the new-campaign form offers: group sizes, and the customers (or the list's filter) passed from the list's bulk action. */
export async function campaignFormContext(db: PrismaClient, shopDomain: string, customerIds: bigint[], filters: ListFilters | null = null): Promise<FormContext> {
  const shop = await loadCampaignShop(db, shopDomain);
  const counts = await db.customerScore.groupBy({ by: ["group"], where: { shopId: shop.id }, _count: { _all: true } });
  const selected = customerIds.length
    ? await db.customer.findMany({
        where: { shopId: shop.id, id: { in: customerIds }, deletedAt: null },
        select: { id: true, firstName: true, lastName: true, email: true, score: { select: { group: true } } },
        orderBy: { id: "asc" },
      })
    : [];
  const found = new Set(selected.map((c) => c.id));
  return {
    groups: counts.map((c) => ({ group: c.group, customers: c._count._all })).sort((a, b) => b.customers - a.customers),
    selected: selected.map((c) => ({
      id: c.id.toString(),
      name: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || `Customer ${c.id}`,
      group: c.score?.group ?? null,
    })),
    unknownIds: customerIds.filter((id) => !found.has(id)).map(String),
    currency: shop.currency,
    tagPrefix: shop.settings.tagPrefix,
    autoTagging: shop.settings.autoTagging,
    filter: filters ? { query: new URLSearchParams(filtersToParams(filters)).toString(), filters, customers: await countCustomers(db, shop.id, filters) } : null,
  };
}
