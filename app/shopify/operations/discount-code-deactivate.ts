export const DISCOUNT_CODE_DEACTIVATE_MUTATION = `#graphql
  mutation DiscountCodeDeactivate($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export interface DiscountCodeDeactivateResult {
  discountCodeDeactivate: {
    codeDiscountNode: { id: string } | null;
    userErrors: { field?: string[] | null; message: string; code?: string | null }[];
  } | null;
}
