import { DISCOUNT_APPLICATION_FIELDS, LINE_ITEM_FIELDS, ORDER_FIELDS } from "./order-fields";

// Page sizes keep one page under Shopify's 1,000-point query cost ceiling: nested
// connections multiply, and each line item costs about 13 points (its tax lines
// included), so 5 orders of up to 12 lines request 862. Orders with more lines are read
// on their own.
export const ORDERS_PAGE = 5;
export const LINES_PAGE = 12;
export const ORDERS_PAGE_COST = 862;
export const LINES_QUERY_PAGE = 72;
export const LINES_QUERY_COST = 939;

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
      lineItems(first: ${LINES_QUERY_PAGE}, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }
    }
  }
`;
