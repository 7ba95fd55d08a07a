import type { RefundNode } from "../../orders/graphql";

// A refund's goods (line items with subtotal and tax) and whether money went back
// (its transactions), for the orders a bulk export or a reconciliation page listed
// with refunds. Up to ORDER_REFUNDS_PAGE orders per request.
export const ORDER_REFUNDS_PAGE = 10;
export const REFUND_LINES_PAGE = 20;

// A refund line's tax counts only where prices include it (record.ts productRefund), and
// reading it costs two of a line's six points: orders priced before tax are read without it.
const orderRefundsQuery = (withTax: boolean) => `#graphql
  query OrderRefunds${withTax ? "" : "ExTax"}($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        refunds(first: 5) {
          id
          createdAt
          refundLineItems(first: ${REFUND_LINES_PAGE}) {
            nodes {
              lineItem { id }
              quantity
              restockType
              subtotalSet { shopMoney { amount } }${withTax ? "\n              totalTaxSet { shopMoney { amount } }" : ""}
            }
          }
          transactions(first: 5) { nodes { kind status } }
        }
      }
    }
  }
`;

/** For orders whose prices include tax (or say nothing of it): each refund line's tax too. 651 points requested. */
export const ORDER_REFUNDS_QUERY = orderRefundsQuery(true);
export const ORDER_REFUNDS_QUERY_COST = 651;
/** For orders priced before tax (taxesIncluded false): no refund line tax. 451 points requested. */
export const ORDER_REFUNDS_EX_TAX_QUERY = orderRefundsQuery(false);
export const ORDER_REFUNDS_EX_TAX_QUERY_COST = 451;

export interface OrderRefundsResult {
  nodes: ({ id: string; refunds: RefundNode[] } | null)[];
}
