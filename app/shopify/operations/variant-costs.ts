export const VARIANT_COSTS_QUERY = `#graphql
  query VariantCosts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id
        compareAtPrice
        inventoryItem { unitCost { amount } }
        product { productType vendor }
      }
    }
  }
`;

export interface VariantCostsResult {
  nodes: ({ id: string; compareAtPrice: string | null; inventoryItem: { unitCost: { amount: string } | null } | null;
    product: { productType: string | null; vendor: string | null } | null;
  } | null)[];
}
