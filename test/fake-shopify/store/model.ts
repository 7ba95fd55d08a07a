// The fake store's data, shaped after Shopify's resources. Ids are numeric strings
// (Shopify's can exceed 2^53, so they never pass through a JS number); money is a
// decimal string with two places, as Shopify serialises it.

export type Money = string;
export type Plan = "standard" | "advanced" | "plus" | "enterprise";
export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";
export type Archetype = "valued" | "volume" | "rising" | "at_risk" | "new" | "occasional";

export interface FakeShop {
  domain: string; // e.g. demo-store.myshopify.com
  id: string;
  name: string;
  email: string;
  currency: string; // ISO 4217, e.g. "USD"
  plan: Plan;
  createdAt: string; // ISO 8601
}

export interface FakeVariant {
  id: string;
  productId: string;
  title: string;
  sku: string;
  price: Money;
  compareAtPrice: Money | null;
  inventoryItemId: string;
  unitCost: Money | null; // null when the merchant never entered a cost
}

export interface FakeProduct {
  id: string;
  title: string;
  productType: string;
  vendor: string;
  createdAt: string;
  updatedAt: string;
  variants: FakeVariant[];
}

export interface FakeMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  updatedAt: string;
}

export interface FakeCustomer {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  tags: string[];
  note: string | null;
  createdAt: string;
  updatedAt: string;
  emailMarketingState: MarketingState;
  smsMarketingState: MarketingState;
  metafields: FakeMetafield[];
  deletedAt: string | null;
}

export interface FakeDiscountAllocation {
  amount: Money;
  discountApplicationIndex: number;
}

export interface FakeDiscountApplication {
  type: "DISCOUNT_CODE" | "AUTOMATIC" | "MANUAL" | "SCRIPT";
  code: string | null; // for DISCOUNT_CODE
  title: string | null; // for AUTOMATIC / MANUAL
  valueType: "PERCENTAGE" | "FIXED_AMOUNT";
  value: string; // "10.0" for 10 %, or an amount
  allocationMethod: "ACROSS" | "EACH" | "ONE";
  targetType: "LINE_ITEM" | "SHIPPING_LINE";
}

export interface FakeLineItem {
  id: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  sku: string | null;
  quantity: number;
  originalUnitPrice: Money; // the price the line was sold at before discounts
  compareAtPrice: Money | null; // the variant's compare-at price when ordered (markdown when above original)
  unitCost: Money | null; // inventory item cost at the time of the order
  discountAllocations: FakeDiscountAllocation[];
  // discountedUnitPrice = originalUnitPrice - sum(allocations) / quantity (derived)
}

export interface FakeRefundLineItem {
  id: string;
  lineItemId: string;
  quantity: number;
  restockType: "RETURN" | "CANCEL" | "NO_RESTOCK";
  subtotal: Money;
}

export interface FakeRefund {
  id: string;
  createdAt: string;
  note: string | null;
  refundLineItems: FakeRefundLineItem[];
  totalRefunded: Money;
}

export interface FakeOrder {
  id: string;
  name: string; // "#1001"
  customerId: string | null;
  email: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  currency: string;
  financialStatus: "PENDING" | "AUTHORIZED" | "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";
  sourceName: string;
  lineItems: FakeLineItem[];
  shippingPrice: Money;
  totalTax: Money;
  discountCodes: string[];
  discountApplications: FakeDiscountApplication[];
  refunds: FakeRefund[];
  tags: string[];
}

/** What the generator planted: the answers the scoring is checked against. */
export interface GroundTruth {
  archetypeByCustomerId: Map<string, Archetype>;
  seed: number;
  asOf: string; // the generator's "now"
}

export interface FakeStoreData {
  shop: FakeShop;
  products: FakeProduct[];
  customers: FakeCustomer[];
  orders: FakeOrder[]; // sorted by createdAt ascending
  truth: GroundTruth;
}
