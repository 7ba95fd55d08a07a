import type { RefundNode } from "../../orders/graphql";

// A refund's goods (line items with subtotal and tax) and whether money went back
// (its transactions), for the orders a bulk export or a reconciliation page listed
// with refunds. Up to ORDER_REFUNDS_PAGE orders per request (651 points requested).
export const ORDER_REFUNDS_PAGE = 10;
export const REFUND_LINES_PAGE = 20;
export const ORDER_REFUNDS_QUERY_COST = 651;

export const ORDER_REFUNDS_QUERY = `#graphql
  query OrderRefunds($ids: [ID!]!) {
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
              subtotalSet { shopMoney { amount } }
              totalTaxSet { shopMoney { amount } }
            }
          }
          transactions(first: 5) { nodes { kind status } }
        }
      }
    }
  }
`;

export interface OrderRefundsResult {
  nodes: ({ id: string; refunds: RefundNode[] } | null)[];
}
