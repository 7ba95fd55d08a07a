import type { PrismaClient } from "@prisma/client";
import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { CUSTOMERS_PAGE_COST, CUSTOMERS_UPDATED_SINCE_QUERY } from "../shopify/operations/customers-updated-since";
import {
  LINES_QUERY_COST,
  ORDER_LINE_ITEMS_QUERY,
  ORDERS_PAGE_COST,
  ORDERS_UPDATED_SINCE_QUERY,
} from "../shopify/operations/orders-updated-since";
import { customerFromGraphql, type CustomerNode, type LineItemNode, orderFromGraphql, type OrderNode } from "../orders/graphql";
import type { OrderRecord } from "./records";
import { fetchRefundDetails } from "./refund-details.server";
import { upsertCustomers, upsertOrders } from "./store.server";

// Webhooks are at-least-once but not guaranteed: this pass asks Shopify for what
// changed since the watermark and upserts it. The watermark moves back by an overlap
// because updated_at is not strictly monotonic across Shopify's writers.
const OVERLAP_MS = 5 * 60_000;

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

type OrderPageNode = OrderNode & {
  lineItems: { pageInfo: { hasNextPage: boolean }; nodes: LineItemNode[] };
  discountApplications: { nodes: { __typename: string }[] };
};

export interface ReconcileResult {
  customers: number;
  orders: number;
  changedCustomerIds: bigint[];
  watermark: Date;
}

const searchSince = (since: Date) => `updated_at:>'${since.toISOString()}'`;
// Test orders are not orders (app/orders/record.ts); the store drops any that slip through.
const ordersSince = (since: Date) => `${searchSince(since)} AND test:false`;

/** All of an order's line items, for the rare order with more than one page of them. */
async function allLineItems(admin: AdminGraphql, orderId: string): Promise<LineItemNode[]> {
  const all: LineItemNode[] = [];
  for (let after: string | null = null; ; ) {
    const data: { order: { lineItems: Page<LineItemNode> } | null } = await admin.request(
      ORDER_LINE_ITEMS_QUERY,
      { id: orderId, after },
      { expectedCost: LINES_QUERY_COST },
    );
    if (!data.order) return all;
    all.push(...data.order.lineItems.nodes);
    if (!data.order.lineItems.pageInfo.hasNextPage) return all;
    after = data.order.lineItems.pageInfo.endCursor;
  }
}

/**
 * The shop's orders matching a Shopify search `query` (e.g. `id:123 AND test:false`), a
 * page at a time, as order records with unit costs, every line and their refunds' details.
 * Throws what AdminGraphql throws (ShopifyPermanentError for 401/403/404).
 */
export async function* ordersMatching(admin: AdminGraphql, query: string): AsyncGenerator<OrderRecord[]> {
  for (let after: string | null = null; ; ) {
    const data: { orders: Page<OrderPageNode> } = await admin.request(ORDERS_UPDATED_SINCE_QUERY, { query, after }, { expectedCost: ORDERS_PAGE_COST });
    const records: OrderRecord[] = [];
    const refunds = await fetchRefundDetails(admin, data.orders.nodes);
    for (const node of data.orders.nodes) {
      const lines = node.lineItems.pageInfo.hasNextPage ? await allLineItems(admin, node.id) : node.lineItems.nodes;
      records.push(orderFromGraphql(node, lines, node.discountApplications.nodes.map((d) => d.__typename), refunds.get(node.id) ?? []));
    }
    yield records;
    if (!data.orders.pageInfo.hasNextPage) return;
    after = data.orders.pageInfo.endCursor;
  }
}

export async function reconcileShop(db: PrismaClient, admin: AdminGraphql, shopId: number, now = new Date()): Promise<ReconcileResult> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { reconciledThrough: true, installedAt: true } });
  const since = new Date((shop.reconciledThrough ?? shop.installedAt).getTime() - OVERLAP_MS);
  let customers = 0;
  let orders = 0;
  const changed = new Set<bigint>();

  for (let after: string | null = null; ; ) {
    const data: { customers: Page<CustomerNode> } = await admin.request(
      CUSTOMERS_UPDATED_SINCE_QUERY,
      { query: searchSince(since), after },
      { expectedCost: CUSTOMERS_PAGE_COST },
    );
    const records = data.customers.nodes.map(customerFromGraphql);
    customers += await upsertCustomers(db, shopId, records);
    if (!data.customers.pageInfo.hasNextPage) break;
    after = data.customers.pageInfo.endCursor;
  }

  for await (const records of ordersMatching(admin, ordersSince(since))) {
    const written = await db.$transaction((tx) => upsertOrders(tx, shopId, records));
    orders += written.length;
    const writtenSet = new Set(written.map(String));
    for (const record of records) {
      if (record.customerId !== null && writtenSet.has(String(record.id))) changed.add(record.customerId);
    }
  }

  await db.shop.update({ where: { id: shopId }, data: { reconciledThrough: now } });
  return { customers, orders, changedCustomerIds: [...changed], watermark: now };
}
