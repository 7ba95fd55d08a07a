// Whether a record is the shop's: Shopify answers null for another shop's id.
export const NODE_EXISTS_QUERY = `#graphql
  query NodeExists($id: ID!) {
    node(id: $id) { id }
  }
`;

export interface NodeExistsResult {
  node: { id: string } | null;
}
