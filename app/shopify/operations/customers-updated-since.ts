import { CUSTOMER_FIELDS } from "./customer-fields";

export const CUSTOMERS_PAGE = 100;
export const CUSTOMERS_PAGE_COST = 302;

export const CUSTOMERS_UPDATED_SINCE_QUERY = `#graphql
  query CustomersUpdatedSince($query: String!, $after: String) {
    customers(first: ${CUSTOMERS_PAGE}, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { ${CUSTOMER_FIELDS} }
    }
  }
`;
