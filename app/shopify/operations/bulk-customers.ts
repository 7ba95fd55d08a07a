import { CUSTOMER_FIELDS } from "./customer-fields";

// Bulk query: every customer, one JSONL line each.
export const BULK_CUSTOMERS_QUERY = `#graphql
  {
    customers {
      edges {
        node { ${CUSTOMER_FIELDS} }
      }
    }
  }
`;
