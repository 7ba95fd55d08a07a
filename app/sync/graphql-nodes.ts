import {
  addMoney,
  type CustomerRecord,
  date,
  type LineRecord,
  marketingState,
  money,
  optionalDate,
  optionalMoney,
  optionalShopifyId,
  type OrderRecord,
  shopifyId,
} from "./records";

// Mappers from Admin GraphQL nodes (bulk JSONL lines and reconciliation pages) to
// the same records the webhooks produce.

interface MoneyBag {
  shopMoney: { amount: string };
}

export interface CustomerNode {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  emailMarketingConsent: { marketingState: string } | null;
  smsMarketingConsent: { marketingState: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface LineItemNode {
  id: string;
  title: string;
  sku: string | null;
  quantity: number;
  originalUnitPriceSet: MoneyBag;
  variant: { id: string; compareAtPrice: string | null; inventoryItem: { unitCost: { amount: string } | null } | null } | null;
  product: { id: string } | null;
  discountAllocations: { allocatedAmountSet: MoneyBag }[];
}

export interface OrderNode {
  id: string;
  name: string;
  createdAt: string;
  processedAt: string | null;
  updatedAt: string;
  cancelledAt: string | null;
  currencyCode: string;
  displayFinancialStatus: string | null;
  customer: { id: string } | null;
  subtotalPriceSet: MoneyBag | null;
  totalDiscountsSet: MoneyBag | null;
  totalPriceSet: MoneyBag;
  discountCodes: string[];
  refunds: { id: string; createdAt: string; totalRefundedSet: MoneyBag }[];
}

export function customerFromGraphql(node: CustomerNode): CustomerRecord {
  return {
    id: shopifyId(node.id, "customer.id"),
    email: node.email || null,
    firstName: node.firstName || null,
    lastName: node.lastName || null,
    tags: node.tags ?? [],
    emailMarketing: marketingState(node.emailMarketingConsent?.marketingState),
    smsMarketing: marketingState(node.smsMarketingConsent?.marketingState),
    createdAt: optionalDate(node.createdAt, "customer.createdAt"),
    updatedAt: date(node.updatedAt, "customer.updatedAt"),
  };
}

export function lineFromGraphql(node: LineItemNode): LineRecord {
  return {
    id: shopifyId(node.id, "lineItem.id"),
    productId: optionalShopifyId(node.product?.id, "lineItem.product.id"),
    variantId: optionalShopifyId(node.variant?.id, "lineItem.variant.id"),
    title: node.title,
    sku: node.sku || null,
    quantity: node.quantity,
    price: money(node.originalUnitPriceSet.shopMoney.amount, "lineItem.originalUnitPrice"),
    compareAtPrice: optionalMoney(node.variant?.compareAtPrice, "lineItem.variant.compareAtPrice"),
    unitCost: optionalMoney(node.variant?.inventoryItem?.unitCost?.amount, "lineItem.variant.unitCost"),
    discountAllocated: addMoney(node.discountAllocations.map((a) => money(a.allocatedAmountSet.shopMoney.amount, "discountAllocation"))),
  };
}

export function orderFromGraphql(
  node: OrderNode,
  lineItems: LineItemNode[],
  discountApplicationTypes: string[],
): OrderRecord {
  const refunds = (node.refunds ?? []).map((r) => ({
    id: shopifyId(r.id, "refund.id"),
    processedAt: date(r.createdAt, "refund.createdAt"),
    amount: money(r.totalRefundedSet.shopMoney.amount, "refund.totalRefunded"),
    returnedQuantity: 0,
  }));
  const createdAt = date(node.createdAt, "order.createdAt");
  return {
    id: shopifyId(node.id, "order.id"),
    customerId: optionalShopifyId(node.customer?.id, "order.customer.id"),
    name: node.name,
    currency: node.currencyCode,
    financialStatus: node.displayFinancialStatus?.toLowerCase() ?? null,
    processedAt: optionalDate(node.processedAt, "order.processedAt") ?? createdAt,
    createdAt,
    updatedAt: date(node.updatedAt, "order.updatedAt"),
    cancelledAt: optionalDate(node.cancelledAt, "order.cancelledAt"),
    subtotal: money(node.subtotalPriceSet?.shopMoney.amount ?? "0", "order.subtotal"),
    totalDiscounts: money(node.totalDiscountsSet?.shopMoney.amount ?? "0", "order.totalDiscounts"),
    totalPrice: money(node.totalPriceSet.shopMoney.amount, "order.totalPrice"),
    totalRefunded: addMoney(refunds.map((r) => r.amount)),
    discountCodes: node.discountCodes ?? [],
    hasAutomaticDiscount: discountApplicationTypes.includes("AutomaticDiscountApplication"),
    lines: lineItems.map(lineFromGraphql),
    refunds,
  };
}
