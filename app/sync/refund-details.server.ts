import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { ORDER_REFUNDS_PAGE, ORDER_REFUNDS_QUERY, ORDER_REFUNDS_QUERY_COST, type OrderRefundsResult } from "../shopify/operations/order-refunds";
import type { OrderNode, RefundNode } from "../orders/graphql";

/**
 * The refund details (goods, tax, transactions) of the orders that list refunds, by
 * order gid. Bulk exports and reconciliation pages carry refund ids only; this reads the
 * rest in pages of ORDER_REFUNDS_PAGE orders. An order Shopify no longer returns maps to [].
 */
export async function fetchRefundDetails(admin: AdminGraphql, orders: readonly Pick<OrderNode, "id" | "refunds">[]): Promise<Map<string, RefundNode[]>> {
  const ids = orders.filter((o) => (o.refunds ?? []).length > 0).map((o) => o.id);
  const details = new Map<string, RefundNode[]>();
  for (let i = 0; i < ids.length; i += ORDER_REFUNDS_PAGE) {
    const page = ids.slice(i, i + ORDER_REFUNDS_PAGE);
    const result = await admin.request<OrderRefundsResult>(ORDER_REFUNDS_QUERY, { ids: page }, { expectedCost: ORDER_REFUNDS_QUERY_COST });
    for (const node of result.nodes) if (node) details.set(node.id, node.refunds);
  }
  return details;
}
