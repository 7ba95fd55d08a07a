import { DISCOUNT_APPLICATION_FIELDS, LINE_ITEM_FIELDS, ORDER_FIELDS } from "./order-fields";

// Page sizes keep one page under Shopify's 1,000-point query cost ceiling
// (10 orders × ~55 points each).
export const ORDERS_PAGE = 10;
export const LINES_PAGE = 50;

export const ORDERS_UPDATED_SINCE_QUERY = `#graphql
  query OrdersUpdatedSince($query: String!, $after: String) {
    orders(first: ${ORDERS_PAGE}, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        ${ORDER_FIELDS}
        lineItems(first: ${LINES_PAGE}) { pageInfo { hasNextPage } nodes { ${LINE_ITEM_FIELDS} } }
        discountApplications(first: 5) { nodes { ${DISCOUNT_APPLICATION_FIELDS} } }
      }
    }
  }
`;

export const ORDER_LINE_ITEMS_QUERY = `#graphql
  query OrderLineItems($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }
    }
  }
`;
