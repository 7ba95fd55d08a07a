import type { DiscountCommonInput, DiscountCreatePayload } from "./discount-code-basic-create";

export const DISCOUNT_CODE_FREE_SHIPPING_CREATE_MUTATION = `#graphql
  mutation DiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export interface DiscountCodeFreeShippingInput extends DiscountCommonInput {
  destination: { all: true };
}

export interface DiscountCodeFreeShippingCreateResult {
  discountCodeFreeShippingCreate: DiscountCreatePayload | null;
}
