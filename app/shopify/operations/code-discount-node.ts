export const CODE_DISCOUNT_NODE_QUERY = `#graphql
  query CodeDiscountNode($id: ID!) {
    codeDiscountNode(id: $id) { id }
  }
`;

export interface CodeDiscountNodeResult {
  codeDiscountNode: { id: string } | null;
}
