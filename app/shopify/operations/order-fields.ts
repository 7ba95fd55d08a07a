// The order fields sync reads, shared by the bulk export and reconciliation so both
// produce the same records. Connections are unpaginated here: the bulk query takes
// them as they are, reconciliation adds its page sizes.
export const ORDER_FIELDS = `
  id
  name
  createdAt
  processedAt
  updatedAt
  cancelledAt
  currencyCode
  displayFinancialStatus
  customer { id }
  subtotalPriceSet { shopMoney { amount } }
  totalDiscountsSet { shopMoney { amount } }
  totalPriceSet { shopMoney { amount } }
  discountCodes
  refunds {
    id
    createdAt
    totalRefundedSet { shopMoney { amount } }
  }
`;

export const LINE_ITEM_FIELDS = `
  __typename
  id
  title
  sku
  quantity
  originalUnitPriceSet { shopMoney { amount } }
  variant { id compareAtPrice inventoryItem { unitCost { amount } } }
  product { id }
  discountAllocations { allocatedAmountSet { shopMoney { amount } } }
`;

export const DISCOUNT_APPLICATION_FIELDS = `
  __typename
`;
