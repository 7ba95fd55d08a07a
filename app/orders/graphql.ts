import {
  type CustomerRecord,
  date,
  marketingState,
  money,
  optionalDate,
  optionalMoney,
  optionalShopifyId,
  PayloadError,
  shopifyId,
} from "../sync/records";
import { addMoney } from "./money";
import { countedLine, type LineRecord, type OrderRecord, productRefund, type RefundRecord } from "./record";

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
  /** Ordered − removed by edits − refunded (Shopify's LineItem.currentQuantity). */
  currentQuantity: number | null;
  isGiftCard: boolean | null;
  originalUnitPriceSet: MoneyBag;
  variant: { id: string; compareAtPrice: string | null; inventoryItem: { unitCost: { amount: string } | null } | null } | null;
  product: { id: string; productType: string | null; vendor: string | null } | null;
  /** The line's vendor as Shopify copied it at checkout. */
  vendor: string | null;
  discountAllocations: { allocatedAmountSet: MoneyBag }[];
  taxLines: { priceSet: MoneyBag }[] | null;
}

export interface RefundNode {
  id: string;
  createdAt: string;
  refundLineItems: { nodes: { lineItem: { id: string } | null; quantity: number; restockType: string; subtotalSet: MoneyBag; totalTaxSet?: MoneyBag | null }[] };
  transactions: { nodes: { kind: string; status: string }[] };
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
  test: boolean | null;
  sourceName: string | null;
  taxesIncluded: boolean | null;
  customer: { id: string } | null;
  subtotalPriceSet: MoneyBag | null;
  totalPriceSet: MoneyBag;
  discountCodes: string[];
  /** Only the ids: a bulk query cannot nest the refunds' connections, so their details come from the order-refunds queries. */
  refunds: { id: string }[];
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

function lineFromGraphql(node: LineItemNode, refunded: ReadonlyMap<string, number>, taxesIncluded: boolean): LineRecord {
  const id = shopifyId(node.id, "lineItem.id");
  const price = money(node.originalUnitPriceSet.shopMoney.amount, "lineItem.originalUnitPrice");
  return {
    id,
    productId: optionalShopifyId(node.product?.id, "lineItem.product.id"),
    variantId: optionalShopifyId(node.variant?.id, "lineItem.variant.id"),
    title: node.title,
    sku: node.sku || null,
    price,
    compareAtPrice: optionalMoney(node.variant?.compareAtPrice, "lineItem.variant.compareAtPrice"),
    unitCost: optionalMoney(node.variant?.inventoryItem?.unitCost?.amount, "lineItem.variant.unitCost"),
    productType: node.product?.productType || null,
    vendor: node.vendor || node.product?.vendor || null,
    ...countedLine(
      {
        quantity: node.quantity,
        currentQuantity: node.currentQuantity ?? null,
        refundedQuantity: refunded.get(id.toString()) ?? 0,
        price,
        discount: addMoney(node.discountAllocations.map((a) => money(a.allocatedAmountSet.shopMoney.amount, "discountAllocation"))),
        tax: addMoney((node.taxLines ?? []).map((t) => money(t.priceSet.shopMoney.amount, "lineItem.taxLine"))),
        giftCard: node.isGiftCard === true,
      },
      taxesIncluded,
    ),
  };
}

/** A refund as Patron counts it (record.ts), from its GraphQL node. */
export function refundFromGraphql(node: RefundNode, taxesIncluded: boolean, giftCardLineIds: ReadonlySet<string> = new Set()): RefundRecord {
  const lines = node.refundLineItems.nodes;
  // A gift card refunded is a liability cancelled, not goods coming back.
  const goods = lines.filter((l) => !(l.lineItem && giftCardLineIds.has(l.lineItem.id)));
  return {
    id: shopifyId(node.id, "refund.id"),
    processedAt: date(node.createdAt, "refund.createdAt"),
    amount: productRefund(
      goods.map((l) => ({
        subtotal: money(l.subtotalSet.shopMoney.amount, "refundLineItem.subtotal"),
        tax: money(l.totalTaxSet?.shopMoney.amount ?? "0", "refundLineItem.totalTax"),
      })),
      node.transactions.nodes.some((t) => t.kind === "REFUND" && t.status === "SUCCESS"),
      taxesIncluded,
    ),
    returnedQuantity: lines.filter((l) => l.restockType === "RETURN").reduce((s, l) => s + l.quantity, 0),
  };
}

/**
 * Maps an order node with its line items, discount application types and refund details.
 * Throws PayloadError when a refund the order lists is missing from `refunds`.
 */
export function orderFromGraphql(
  node: OrderNode,
  lineItems: LineItemNode[],
  discountApplicationTypes: string[],
  refundNodes: readonly RefundNode[],
): OrderRecord {
  const taxesIncluded = node.taxesIncluded === true;
  const byId = new Map(refundNodes.map((r) => [r.id, r]));
  const details = (node.refunds ?? []).map((r) => {
    const detail = byId.get(r.id);
    if (!detail) throw new PayloadError(`refund ${r.id} of order ${node.id} has no details`);
    return detail;
  });
  const refunded = new Map<string, number>();
  for (const r of details) {
    for (const l of r.refundLineItems.nodes) {
      if (!l.lineItem) continue;
      const key = shopifyId(l.lineItem.id, "refundLineItem.lineItem.id").toString();
      refunded.set(key, (refunded.get(key) ?? 0) + l.quantity);
    }
  }
  const giftCards = new Set(lineItems.filter((l) => l.isGiftCard === true).map((l) => l.id));
  const refunds = details.map((r) => refundFromGraphql(r, taxesIncluded, giftCards));
  const lines = lineItems.filter((l) => l.isGiftCard !== true).map((l) => lineFromGraphql(l, refunded, taxesIncluded));
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
    test: node.test === true,
    taxesIncluded,
    subtotal: money(node.subtotalPriceSet?.shopMoney.amount ?? "0", "order.subtotal"),
    totalPrice: money(node.totalPriceSet.shopMoney.amount, "order.totalPrice"),
    totalDiscounts: addMoney(lines.map((l) => l.discountAllocated)),
    totalRefunded: addMoney(refunds.map((r) => r.amount)),
    discountCodes: node.discountCodes ?? [],
    hasAutomaticDiscount: discountApplicationTypes.includes("AutomaticDiscountApplication"),
    sourceName: node.sourceName || null,
    lines,
    refunds,
  };
}
