import type { AdminGraphql } from "../shopify/admin-graphql.server";
import {
  ORDER_REFUNDS_EX_TAX_QUERY,
  ORDER_REFUNDS_EX_TAX_QUERY_COST,
  ORDER_REFUNDS_PAGE,
  ORDER_REFUNDS_QUERY,
  ORDER_REFUNDS_QUERY_COST,
  type OrderRefundsResult,
} from "../shopify/operations/order-refunds";
import type { OrderNode, RefundNode } from "../orders/graphql";

const PAGES_IN_FLIGHT = 4;

/**
 * The refund details (goods, tax, transactions) of the orders that list refunds, by
 * order gid. Bulk exports and reconciliation pages carry refund ids only; this reads the
 * rest in pages of ORDER_REFUNDS_PAGE orders, up to PAGES_IN_FLIGHT at once. Orders priced
 * before tax (`taxesIncluded` false) are read without their refund lines' tax, which
 * Patron does not use for them and which costs a third of each line's points. An order
 * Shopify no longer returns maps to []. Throws what AdminGraphql.request throws.
 */
export async function fetchRefundDetails(admin: AdminGraphql, orders: readonly Pick<OrderNode, "id" | "refunds" | "taxesIncluded">[]): Promise<Map<string, RefundNode[]>> {
  const refunded = orders.filter((o) => (o.refunds ?? []).length > 0);
  const details = new Map<string, RefundNode[]>();
  const pages: { ids: string[]; query: string; cost: number }[] = [];
  const paginate = (ids: string[], query: string, cost: number) => {
    for (let i = 0; i < ids.length; i += ORDER_REFUNDS_PAGE) pages.push({ ids: ids.slice(i, i + ORDER_REFUNDS_PAGE), query, cost });
  };
  paginate(refunded.filter((o) => o.taxesIncluded !== false).map((o) => o.id), ORDER_REFUNDS_QUERY, ORDER_REFUNDS_QUERY_COST);
  paginate(refunded.filter((o) => o.taxesIncluded === false).map((o) => o.id), ORDER_REFUNDS_EX_TAX_QUERY, ORDER_REFUNDS_EX_TAX_QUERY_COST);
  // A few pages in flight hide the round trips; the shop's cost bucket (admin.request) still sets the pace.
  let next = 0;
  const reader = async () => {
    while (next < pages.length) {
      const page = pages[next++];
      const result = await admin.request<OrderRefundsResult>(page.query, { ids: page.ids }, { expectedCost: page.cost });
      for (const node of result.nodes) if (node) details.set(node.id, node.refunds);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGES_IN_FLIGHT, pages.length) }, reader));
  return details;
}
