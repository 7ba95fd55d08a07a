import { DISCOUNT_APPLICATION_FIELDS, LINE_ITEM_FIELDS, ORDER_FIELDS } from "./order-fields";

/**
 * Bulk query: every real order (or those since `since`), its line items and discount
 * applications as child lines. Test orders are filtered out in the query.
 */
export function bulkOrdersQuery(since: Date | null): string {
  const search = since ? `created_at:>='${since.toISOString()}' AND test:false` : "test:false";
  const filter = `(query: "${search}")`;
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
