import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { shopifyIdParam } from "../ids";

// Customer lists paged by keyset on (sort key, customerId) within a shop: each page
// is an index range scan (see migration 20261123150505_customer_list_indexes), so a
// deep page costs what the first one does. Never OFFSET.

import { LIST_GROUPS, type ListGroup } from "./groups";
import { blankToUndefined, listFiltersSchema, type ListFilters, type SortKey } from "./filters";

export { LIST_GROUPS, type ListGroup };
export { SORTS, filtersToParams, listFiltersSchema, parseListFilters, type ListFilters, type SortKey } from "./filters";

const SORT_SQL: Record<SortKey, { expr: string; type: string }> = {
  value: { expr: `s."valueScore"`, type: "float8" },
  clv: { expr: `s."predictedClv"`, type: "numeric" },
  margin: { expr: `s."marginRate"`, type: "float8" },
  // Must match the expression index: NULL would break the row comparison.
  last_order: { expr: `COALESCE(s."lastOrderAt", '-infinity'::timestamp(3))`, type: "timestamp(3)" },
};

export const listQuerySchema = listFiltersSchema.extend({
  after: z.preprocess(blankToUndefined, z.string().max(200).optional()),
  before: z.preprocess(blankToUndefined, z.string().max(200).optional()),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(250).default(50)),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

export function parseListQuery(params: URLSearchParams) {
  return listQuerySchema.safeParse(Object.fromEntries(params));
}

interface Cursor {
  sort: SortKey;
  key: string;
  id: string;
}

export class InvalidCursorError extends Error {
  override name = "InvalidCursorError";
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id])).toString("base64url");
}

// What PostgreSQL prints for each sort key's type, so a tampered cursor never reaches a cast.
const float8Text = z
  .string()
  .regex(/^(-?\d+(\.\d+)?(e[+-]?\d+)?|-?Infinity|NaN)$/)
  // Beyond double's range PostgreSQL refuses the cast (22003), as it does underflow.
  .refine((v) => !/\d/.test(v) || (Number.isFinite(Number(v)) && (Number(v) === 0 ? !/e/.test(v) : Math.abs(Number(v)) >= 1e-300)));
const CURSOR_KEY: Record<SortKey, z.ZodType<string>> = {
  value: float8Text,
  clv: z.string().regex(/^-?\d{1,16}(\.\d{1,2})?$/),
  margin: float8Text,
  last_order: z
    .string()
    .regex(/^(-infinity|\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?)$/)
    .refine((v) => v === "-infinity" || z.iso.date().safeParse(v.slice(0, 10)).success),
};

function decodeCursor(raw: string, sort: SortKey): Cursor {
  try {
    const [s, key, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    if (s !== sort || !CURSOR_KEY[sort].safeParse(key).success || !shopifyIdParam.safeParse(id).success) throw new Error();
    return { sort, key: key as string, id: id as string };
  } catch {
    throw new InvalidCursorError("the page cursor does not belong to this list");
  }
}

export interface CustomerRow {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  group: string;
  valueScore: number;
  volumeScore: number;
  predictedClv: string;
  marginRate: number;
  marginEstimated: boolean;
  discountShare: number;
  orders: number;
  lastOrderAt: string | null;
  vip: boolean;
  vipSource: string | null;
}

export interface CustomerPage {
  rows: CustomerRow[];
  /** Cursor of the last row, when a next page exists. */
  next: string | null;
  /** Cursor of the first row, when a previous page exists. */
  previous: string | null;
}

interface RawRow extends Omit<CustomerRow, "lastOrderAt"> {
  lastOrderAt: Date | null;
  sortKey: string;
}

type Param = (v: unknown) => string;

/** The list filters as SQL conditions on `s` (CustomerScore) and `c` (Customer); one home for the list, its count and bulk actions. */
function filterConditions(query: ListFilters, p: Param): string[] {
  const where: string[] = [`s."shopId" = $1`, `c."deletedAt" IS NULL`];
  if (query.group !== "all") where.push(`s."group" = ${p(query.group)}::"CustomerGroup"`);
  if (query.vip) where.push(`s.vip`);
  if (query.minOrders !== undefined) where.push(`s.orders >= ${p(query.minOrders)}::int`);
  const lastOrder = SORT_SQL.last_order.expr;
  if (query.lastFrom) where.push(`${lastOrder} >= ${p(query.lastFrom)}::timestamp(3)`);
  if (query.lastTo) where.push(`${lastOrder} < ${p(query.lastTo)}::timestamp(3) + interval '1 day'`);
  if (query.q) {
    // A prefix as a bytewise range, so it is an index range scan on the COLLATE "C" indexes.
    const lo = p(query.q);
    const hi = p(`${query.q}\u{10FFFF}`);
    const range = (e: string) => `((${e}) COLLATE "C" >= ${lo} AND (${e}) COLLATE "C" < ${hi})`;
    where.push(
      `(${range(`lower(c.email)`)} OR ${range(`lower(COALESCE(c."firstName", '') || ' ' || COALESCE(c."lastName", ''))`)} OR ${range(`lower(c."lastName")`)})`,
    );
  }
  return where;
}

function params(shopId: number): { params: unknown[]; p: Param } {
  const list: unknown[] = [shopId];
  return {
    params: list,
    p: (v) => {
      list.push(v);
      return `$${list.length}`;
    },
  };
}

/**
 * The filter as SQL over `"CustomerScore" s JOIN "Customer" c` for other readers (a campaign
 * audience): `where` uses `$1` for the shop id, and `params` starts with it.
 */
export function customerFilterSql(shopId: number, filters: ListFilters): { from: string; where: string; params: unknown[] } {
  const { params: values, p } = params(shopId);
  const where = filterConditions(filters, p);
  return { from: `"CustomerScore" s JOIN "Customer" c ON c."shopId" = s."shopId" AND c.id = s."customerId"`, where: where.join(" AND "), params: values };
}

/** How many of the shop's scored customers match the filters (the list's total, every page together). */
export async function countCustomers(db: PrismaClient, shopId: number, filters: ListFilters): Promise<number> {
  const { params: values, p } = params(shopId);
  const where = filterConditions(filters, p);
  const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "CustomerScore" s JOIN "Customer" c ON c."shopId" = s."shopId" AND c.id = s."customerId" WHERE ${where.join(" AND ")}`,
    ...values,
  );
  return n;
}

/** One page of a shop's scored customers, filtered, searched and sorted. */
export async function listCustomers(db: PrismaClient, shopId: number, query: ListQuery): Promise<CustomerPage> {
  const { expr, type } = SORT_SQL[query.sort];
  const { params: values, p } = params(shopId);
  const where = filterConditions(query, p);

  const backwards = Boolean(query.before) && !query.after;
  const cursorRaw = backwards ? query.before : query.after;
  // Walking backwards flips the order; the rows are put back in order below.
  const descending = (query.dir === "desc") !== backwards;
  if (cursorRaw) {
    const cursor = decodeCursor(cursorRaw, query.sort);
    where.push(`(${expr}, s."customerId") ${descending ? "<" : ">"} (${p(cursor.key)}::${type}, ${p(cursor.id)}::bigint)`);
  }
  const order = descending ? "DESC" : "ASC";
  const sql = `
    SELECT s."customerId"::text AS id, c."firstName", c."lastName", c.email, s."group"::text AS "group",
           s."valueScore", s."volumeScore", s."predictedClv"::text AS "predictedClv", s."marginRate", s."marginEstimated",
           s."discountShare", s.orders, s."lastOrderAt", s.vip, s."vipSource", (${expr})::text AS "sortKey"
    FROM "CustomerScore" s
    JOIN "Customer" c ON c."shopId" = s."shopId" AND c.id = s."customerId"
    WHERE ${where.join(" AND ")}
    ORDER BY ${expr} ${order}, s."customerId" ${order}
    LIMIT ${p(query.limit + 1)}::int`;
  const raw = await db.$queryRawUnsafe<RawRow[]>(sql, ...values);

  const more = raw.length > query.limit;
  const page = raw.slice(0, query.limit);
  if (backwards) page.reverse();
  const cursorOf = (r: RawRow) => encodeCursor({ sort: query.sort, key: r.sortKey, id: r.id });
  const first = page[0];
  const last = page[page.length - 1];
  return {
    rows: page.map(({ sortKey: _sortKey, lastOrderAt, ...r }) => ({ ...r, lastOrderAt: lastOrderAt?.toISOString() ?? null })),
    next: last && (backwards ? true : more) ? cursorOf(last) : null,
    previous: first && (backwards ? more : Boolean(cursorRaw)) ? cursorOf(first) : null,
  };
}

/** Every row of a filtered list, page by page (for the CSV export). */
export async function* allCustomers(db: PrismaClient, shopId: number, filters: ListFilters, pageSize = 1000): AsyncGenerator<CustomerRow[]> {
  let after: string | undefined;
  for (;;) {
    const page = await listCustomers(db, shopId, { ...filters, limit: pageSize, after, before: undefined });
    if (page.rows.length) yield page.rows;
    if (!page.next) return;
    after = page.next;
  }
}
