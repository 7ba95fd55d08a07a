export const DISCOUNT_CODE_BASIC_CREATE_MUTATION = `#graphql
  mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

/** Who may use a code: one of these, never several. */
export type DiscountContextInput =
  | { all: "ALL" }
  | { customers: { add: string[] } }
  | { customerSegments: { add: string[] } };

export interface DiscountCommonInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  context: DiscountContextInput;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

export interface DiscountCodeBasicInput extends DiscountCommonInput {
  customerGets: {
    value: { percentage: number } | { discountAmount: { amount: string; appliesOnEachItem: boolean } };
    items: { all: true };
  };
}

export interface DiscountCreatePayload {
  codeDiscountNode: { id: string } | null;
  userErrors: { field?: string[] | null; message: string; code?: string | null }[];
}

export interface DiscountCodeBasicCreateResult {
  discountCodeBasicCreate: DiscountCreatePayload | null;
}
