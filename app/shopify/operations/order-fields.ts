// The order fields sync reads, shared by the bulk export and reconciliation so both
// produce the same records. Connections are unpaginated here: the bulk query takes
// them as they are, reconciliation adds its page sizes. Refunds are listed by id only:
// a bulk query cannot hold a connection inside a list field (a refund's line items and
// transactions), so their details come from the order-refunds queries on both paths.
export const ORDER_FIELDS = `
  id
  name
  createdAt
  processedAt
  updatedAt
  cancelledAt
  currencyCode
  displayFinancialStatus
  test
  sourceName
  taxesIncluded
  customer { id }
  subtotalPriceSet { shopMoney { amount } }
  totalPriceSet { shopMoney { amount } }
  discountCodes
  refunds { id }
`;

export const LINE_ITEM_FIELDS = `
  __typename
  id
  title
  sku
  quantity
  currentQuantity
  isGiftCard
  originalUnitPriceSet { shopMoney { amount } }
  variant { id compareAtPrice inventoryItem { unitCost { amount } } }
  vendor
  product { id productType vendor }
  discountAllocations { allocatedAmountSet { shopMoney { amount } } }
  taxLines { priceSet { shopMoney { amount } } }
`;

export const DISCOUNT_APPLICATION_FIELDS = `
  __typename
`;
