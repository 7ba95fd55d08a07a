import type { DiscountUpdatePayload } from "./discount-code-basic-update";

export const DISCOUNT_CODE_FREE_SHIPPING_UPDATE_MUTATION = `#graphql
  mutation DiscountCodeFreeShippingUpdate($id: ID!, $freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingUpdate(id: $id, freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export interface DiscountCodeFreeShippingUpdateResult {
  discountCodeFreeShippingUpdate: DiscountUpdatePayload | null;
}
