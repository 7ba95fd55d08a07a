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
  /** IANA zone of the shop's admin, reports and exports (`Shop.ianaTimezone`); "UTC" when absent. */
  ianaTimezone?: string;
  /** Prices include tax, VAT-style (`Shop.taxesIncluded`); false when absent. */
  taxesIncluded?: boolean;
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
  /** A gift card product: selling it is a liability, not revenue; never taxed, never shipped. */
  giftCard?: boolean;
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

/** One tax on a line (or, for the remainder of `totalTax`, on shipping). `rate` is a fraction: 0.2 for 20 %. */
export interface FakeTaxLine {
  title: string;
  rate: number;
  price: Money; // shop money, after discounts; inside the price when the order's taxes are included
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
  /** Taxes charged on this line; absent means none. The order's `totalTax` minus their sum is shipping's tax. */
  taxLines?: FakeTaxLine[];
  giftCard?: boolean;
  /** Units an order edit removed: `quantity` keeps them, `currentQuantity` and the order's totals do not. */
  removedQuantity?: number;
  /** When an order edit added this line; absent for lines bought at checkout. */
  addedAt?: string;
  // discountedUnitPrice = originalUnitPrice - sum(allocations) / quantity (derived)
}

export interface FakeRefundLineItem {
  id: string;
  lineItemId: string;
  quantity: number;
  restockType: "RETURN" | "CANCEL" | "NO_RESTOCK";
  subtotal: Money; // the goods' value returned, after discounts (tax-inclusive when the order's taxes are included)
  totalTax?: Money; // the tax on those goods; "0.00" when absent
}

/** Money that moved, in shop money (presentment is the order's rate applied). */
export interface FakeTransaction {
  id: string;
  kind: "sale" | "refund";
  gateway: string; // "shopify_payments", "gift_card", "bogus", "manual"
  amount: Money;
  createdAt: string;
}

/** A refund's discrepancy record: Shopify's `order_adjustments`, amounts negative as Shopify writes them. */
export interface FakeOrderAdjustment {
  id: string;
  kind: "shipping_refund" | "refund_discrepancy";
  amount: Money; // e.g. "-10.00"
  taxAmount: Money;
  reason: string;
}

export interface FakeRefund {
  id: string;
  createdAt: string;
  note: string | null;
  refundLineItems: FakeRefundLineItem[];
  totalRefunded: Money; // money returned: the sum of the refund transactions
  /** Refund transactions; absent means one of `totalRefunded` through the order's first gateway, empty means restock only. */
  transactions?: FakeTransaction[];
  /** Shipping refunded (Shopify's `refundShippingLines`); absent means none. */
  shipping?: { amount: Money; tax: Money } | null;
  orderAdjustments?: FakeOrderAdjustment[];
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
  /** A test order (bogus gateway or a payment provider in test mode); false when absent. */
  test?: boolean;
  /** Prices include tax; false when absent. Then `totalTax` is inside the line prices and shipping, not added. */
  taxesIncluded?: boolean;
  /** The buyer's currency; the shop's when absent. */
  presentmentCurrency?: string;
  /** Presentment units per shop unit, e.g. "1.0850": every presentment amount is its shop amount × rate, rounded. */
  presentmentRate?: string;
  /** Gateways in the order they were charged; ["shopify_payments"] when absent. */
  paymentGatewayNames?: string[];
  /** Sale transactions; absent means one sale of the total through the first gateway. */
  transactions?: FakeTransaction[];
  /** The buyer's phone, for phone-only checkouts. */
  phone?: string | null;
  /** When an order edit was committed (`removedQuantity` on lines); null or absent when never edited. */
  editedAt?: string | null;
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
