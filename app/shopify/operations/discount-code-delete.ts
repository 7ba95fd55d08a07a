export const DISCOUNT_CODE_DELETE_MUTATION = `#graphql
  mutation DiscountCodeDelete($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors { field message code }
    }
  }
`;

export interface DiscountCodeDeleteResult {
  discountCodeDelete: {
    deletedCodeDiscountId: string | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  } | null;
}
