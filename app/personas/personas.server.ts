import type { PrismaClient } from "@prisma/client";
import { GROUPS, type Group } from "../scoring/types";
import { type Channel, type GroupPersonas, type PersonaFigures, topShares } from "./persona";

// The persona figures of persona.ts, aggregated in PostgreSQL over a shop's synced orders:
// a shop can hold millions of orders, so only a few rows per group come back. The
// definitions are persona.ts's; personas.server.test.ts holds the two to the same numbers.

const ORDER_SQL = `
WITH c AS (
  SELECT s."customerId" AS id, s."group"::text AS grp
  FROM "CustomerScore" s
  JOIN "Customer" cu ON cu."shopId" = s."shopId" AND cu.id = s."customerId"
  WHERE s."shopId" = $1 AND cu."deletedAt" IS NULL
),
ord AS (
  SELECT c.grp, o.id, o."processedAt",
         o."discountCodes" <> '{}' OR o."hasAutomaticDiscount" AS flagged,
         o."totalRefunded" > 0 AS refunded,
         CASE WHEN o."sourceName" IS NULL OR o."sourceName" = '' THEN NULL
              WHEN o."sourceName" = 'web' THEN 'online_store'
              WHEN o."sourceName" = 'pos' THEN 'pos' ELSE 'other' END AS channel
  FROM "Order" o JOIN c ON c.id = o."customerId"
  WHERE o."shopId" = $1 AND o."cancelledAt" IS NULL
),
v AS (
  -- Product revenue, discounts, markdowns and list value per order (orders/record.ts, scoring/features.ts).
  SELECT ord.grp, ord."processedAt", ord.flagged, ord.refunded, ord.channel,
         COALESCE(SUM(l.price * l.quantity - l."discountAllocated" - l."taxIncluded"), 0) AS value,
         COALESCE(SUM(l."discountAllocated"), 0) AS discount,
         COALESCE(SUM(CASE WHEN l.price > 0 AND l."compareAtPrice" > l.price THEN l.quantity * (l."compareAtPrice" - l.price) ELSE 0 END), 0) AS markdown,
         COALESCE(SUM(CASE WHEN l.price > 0 AND l."compareAtPrice" > l.price THEN l.quantity * l."compareAtPrice" ELSE l.quantity * l.price END), 0) AS list
  FROM ord LEFT JOIN "OrderLine" l ON l."shopId" = $1 AND l."orderId" = ord.id
  GROUP BY ord.grp, ord.id, ord."processedAt", ord.flagged, ord.refunded, ord.channel
)
SELECT grp,
       count(*)::int AS orders,
       count(*) FILTER (WHERE "processedAt" > $2::timestamp(3) - interval '365 days' AND "processedAt" <= $2::timestamp(3))::int AS "ordersLastYear",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY value)::float8 AS "medianOrderValue",
       count(*) FILTER (WHERE flagged OR discount > 0 OR markdown > 0)::int AS discounted,
       SUM(discount + markdown)::float8 AS reduction,
       SUM(list)::float8 AS "listValue",
       count(*) FILTER (WHERE refunded)::int AS refunded,
       count(*) FILTER (WHERE channel = 'online_store')::int AS online_store,
       count(*) FILTER (WHERE channel = 'pos')::int AS pos,
       count(*) FILTER (WHERE channel = 'other')::int AS other
FROM v
GROUP BY GROUPING SETS ((grp), ())`;

const CUSTOMER_SQL = `
WITH per AS (
  SELECT s."group"::text AS grp, count(*) AS n, min(o."processedAt") AS first, max(o."processedAt") AS last,
         bool_or(cu."emailMarketing" = 'SUBSCRIBED') AS email, bool_or(cu."smsMarketing" = 'SUBSCRIBED') AS sms
  FROM "CustomerScore" s
  JOIN "Customer" cu ON cu."shopId" = s."shopId" AND cu.id = s."customerId"
  JOIN "Order" o ON o."shopId" = s."shopId" AND o."customerId" = s."customerId" AND o."cancelledAt" IS NULL
  WHERE s."shopId" = $1 AND cu."deletedAt" IS NULL
  GROUP BY s."group", s."customerId"
)
SELECT grp,
       count(*)::int AS customers,
       count(*) FILTER (WHERE n >= 2)::int AS "repeatCustomers",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (last - first)) / 86400 / (n - 1)) FILTER (WHERE n >= 2)::float8 AS "medianDaysBetweenOrders",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ($2::timestamp(3) - first)) / 86400)::float8 AS "medianTenureDays",
       count(*) FILTER (WHERE email)::int AS email,
       count(*) FILTER (WHERE sms)::int AS sms
FROM per
GROUP BY GROUPING SETS ((grp), ())`;

const LINES_SQL = `
SELECT s."group"::text AS grp, l."productType" AS "productType", l.vendor, SUM(l.quantity)::float8 AS units
FROM "CustomerScore" s
JOIN "Customer" cu ON cu."shopId" = s."shopId" AND cu.id = s."customerId"
JOIN "Order" o ON o."shopId" = s."shopId" AND o."customerId" = s."customerId" AND o."cancelledAt" IS NULL
JOIN "OrderLine" l ON l."shopId" = o."shopId" AND l."orderId" = o.id
WHERE s."shopId" = $1 AND cu."deletedAt" IS NULL AND (l."productType" IS NOT NULL OR l.vendor IS NOT NULL)
GROUP BY s."group", l."productType", l.vendor`;

interface OrderRow {
  grp: string | null;
  orders: number;
  ordersLastYear: number;
  medianOrderValue: number | null;
  discounted: number;
  reduction: number;
  listValue: number;
  refunded: number;
  online_store: number;
  pos: number;
  other: number;
}

interface CustomerRow {
  grp: string | null;
  customers: number;
  repeatCustomers: number;
  medianDaysBetweenOrders: number | null;
  medianTenureDays: number | null;
  email: number;
  sms: number;
}

interface LineRow {
  grp: string;
  productType: string | null;
  vendor: string | null;
  units: number;
}

const EMPTY_ORDERS: Omit<OrderRow, "grp"> = { orders: 0, ordersLastYear: 0, medianOrderValue: null, discounted: 0, reduction: 0, listValue: 0, refunded: 0, online_store: 0, pos: 0, other: 0 };
const EMPTY_CUSTOMERS: Omit<CustomerRow, "grp"> = { customers: 0, repeatCustomers: 0, medianDaysBetweenOrders: null, medianTenureDays: null, email: 0, sms: 0 };

function figures(o: Omit<OrderRow, "grp">, c: Omit<CustomerRow, "grp">, types: Map<string, number>, vendors: Map<string, number>): PersonaFigures {
  const share = (n: number, of: number) => (of > 0 ? n / of : null);
  const known = o.online_store + o.pos + o.other;
  const channels: Record<Channel, number> | null = known > 0 ? { online_store: o.online_store / known, pos: o.pos / known, other: o.other / known } : null;
  return {
    customers: c.customers,
    repeatCustomers: c.repeatCustomers,
    orders: o.orders,
    medianOrderValue: o.medianOrderValue,
    ordersPerYear: share(o.ordersLastYear, c.customers),
    medianDaysBetweenOrders: c.medianDaysBetweenOrders,
    medianTenureDays: c.medianTenureDays,
    productTypes: topShares(types),
    vendors: topShares(vendors),
    discountedOrderShare: share(o.discounted, o.orders),
    discountDepth: o.orders > 0 ? (o.listValue > 0 ? o.reduction / o.listValue : 0) : null,
    channels,
    emailSubscribedShare: share(c.email, c.customers),
    smsSubscribedShare: share(c.sms, c.customers),
    refundedOrderShare: share(o.refunded, o.orders),
  };
}

function add(map: Map<string, number>, key: string | null, units: number) {
  if (key) map.set(key, (map.get(key) ?? 0) + units);
}

/**
 * The personas of a shop's groups as of `asOf`, from its current scores and synced orders
 * (persona.ts defines each figure). Three aggregate queries, each one pass over the shop's
 * slice of the tables; every query is scoped by shop.
 */
export async function loadPersonas(db: PrismaClient, shopId: number, asOf: Date): Promise<GroupPersonas> {
  const [orderRows, customerRows, lineRows] = await Promise.all([
    db.$queryRawUnsafe<OrderRow[]>(ORDER_SQL, shopId, asOf),
    db.$queryRawUnsafe<CustomerRow[]>(CUSTOMER_SQL, shopId, asOf),
    db.$queryRawUnsafe<LineRow[]>(LINES_SQL, shopId),
  ]);
  const types = new Map<string | null, Map<string, number>>([[null, new Map()]]);
  const vendors = new Map<string | null, Map<string, number>>([[null, new Map()]]);
  for (const g of GROUPS) {
    types.set(g, new Map());
    vendors.set(g, new Map());
  }
  for (const row of lineRows) {
    for (const key of [row.grp, null]) {
      add(types.get(key)!, row.productType, row.units);
      add(vendors.get(key)!, row.vendor, row.units);
    }
  }
  const ordersOf = (g: string | null) => orderRows.find((r) => r.grp === g) ?? EMPTY_ORDERS;
  const customersOf = (g: string | null) => customerRows.find((r) => r.grp === g) ?? EMPTY_CUSTOMERS;
  return {
    groups: Object.fromEntries(GROUPS.map((g) => [g, figures(ordersOf(g), customersOf(g), types.get(g)!, vendors.get(g)!)])) as Record<Group, PersonaFigures>,
    overall: figures(ordersOf(null), customersOf(null), types.get(null)!, vendors.get(null)!),
  };
}
