import type { DiscountCodeBasicInput, DiscountCommonInput } from "./discount-code-basic-create";

export const DISCOUNT_CODE_BASIC_UPDATE_MUTATION = `#graphql
  mutation DiscountCodeBasicUpdate($id: ID!, $basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicUpdate(id: $id, basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

/** The fields Patron changes on a live code; an absent field keeps Shopify's value, null clears it. */
export type DiscountCommonUpdate = Partial<Pick<DiscountCommonInput, "title" | "endsAt" | "usageLimit" | "appliesOncePerCustomer" | "combinesWith">> & {
  /** `customers.add` lists more customers beside those the discount already has. */
  context?: { customers: { add: string[] } };
};

export interface DiscountCodeBasicUpdateInput extends DiscountCommonUpdate {
  customerGets?: Pick<DiscountCodeBasicInput["customerGets"], "value">;
}

export interface DiscountUpdatePayload {
  codeDiscountNode: { id: string } | null;
  userErrors: { field?: string[] | null; message: string; code?: string | null }[];
}

export interface DiscountCodeBasicUpdateResult {
  discountCodeBasicUpdate: DiscountUpdatePayload | null;
}
