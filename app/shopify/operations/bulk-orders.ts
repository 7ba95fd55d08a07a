import { DISCOUNT_APPLICATION_FIELDS, LINE_ITEM_FIELDS, ORDER_FIELDS } from "./order-fields";

/** Bulk query: every order (or those since `since`), its line items and discount applications as child lines. */
export function bulkOrdersQuery(since: Date | null): string {
  const filter = since ? `(query: "created_at:>='${since.toISOString()}'")` : "";
  return `#graphql
  {
    orders${filter} {
      edges {
        node {
          ${ORDER_FIELDS}
          lineItems { edges { node { ${LINE_ITEM_FIELDS} } } }
          discountApplications { edges { node { ${DISCOUNT_APPLICATION_FIELDS} } } }
        }
      }
    }
  }`;
}
