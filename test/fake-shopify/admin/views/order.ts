import type { FakeDiscountApplication, FakeLineItem, FakeOrder, FakeRefund, FakeTaxLine, FakeTransaction, FakeVariant } from "../../store/model";
import type { AdminContext } from "../context";
import type { ConnectionArgs } from "../../util/connection";
import { gid } from "../../util/ids";
import { toCents } from "../../util/money";
import {
  currentQuantity,
  editedQuantity,
  gatewaysOf,
  lineDiscountCents,
  lineDiscountedUnitCents,
  lineOriginalTotalCents,
  lineTaxCents,
  orderTotals,
  type Presentment,
  presentmentOf,
  refundTransactions,
  saleTransactions,
  toPresentmentCents,
} from "../../store/order-math";
import { listConnection } from "./connection";
import { moneyBag, moneyV2 } from "./money";
import { variantView, productView } from "./product";
import { customerView } from "./customer";

const applicationTypename: Record<FakeDiscountApplication["type"], string> = {
  DISCOUNT_CODE: "DiscountCodeApplication",
  AUTOMATIC: "AutomaticDiscountApplication",
  MANUAL: "ManualDiscountApplication",
  SCRIPT: "ScriptDiscountApplication",
};

export function discountApplicationView(app: FakeDiscountApplication, index: number, currency: string, presentment?: Presentment): object {
  return {
    __typename: applicationTypename[app.type],
    index,
    allocationMethod: app.allocationMethod,
    targetSelection: app.allocationMethod === "ACROSS" ? "ALL" : "ENTITLED",
    targetType: app.targetType,
    value:
      app.valueType === "PERCENTAGE"
        ? { __typename: "PricingPercentageValue", percentage: Number(app.value) }
        : moneyV2(presentment ? toPresentmentCents(toCents(app.value), presentment) : toCents(app.value), presentment?.currency ?? currency),
    code: app.code ?? "",
    title: app.title ?? app.code ?? "",
    description: null,
  };
}

export const taxLineView = (t: FakeTaxLine, currency: string, presentment: Presentment): object => ({
  title: t.title,
  rate: t.rate,
  ratePercentage: Number((t.rate * 100).toFixed(4)),
  priceSet: moneyBag(toCents(t.price), currency, presentment),
  channelLiable: false,
  source: "Shopify",
});

function lineItemView(ctx: AdminContext, order: FakeOrder, line: FakeLineItem): object {
  const currency = order.currency;
  const presentment = presentmentOf(order);
  const bag = (cents: bigint) => moneyBag(cents, currency, presentment);
  const variant = line.variantId ? ctx.store.variantsById.get(line.variantId) : undefined;
  const product = line.productId ? ctx.store.productsById.get(line.productId) : undefined;
  const discount = lineDiscountCents(line);
  const current = currentQuantity(order, line);
  const unitAfterAll = editedQuantity(line) === 0 ? toCents(line.originalUnitPrice) : toCents(line.originalUnitPrice) - discount / BigInt(editedQuantity(line));
  return {
    __typename: "LineItem",
    id: gid("LineItem", line.id),
    name: variant && variant.title !== "Default Title" ? `${line.title} - ${variant.title}` : line.title,
    title: line.title,
    variantTitle: variant?.title ?? null,
    vendor: product?.vendor ?? null,
    sku: line.sku,
    quantity: line.quantity,
    currentQuantity: current,
    unfulfilledQuantity: current,
    refundableQuantity: current,
    isGiftCard: line.giftCard ?? false,
    taxable: !(line.giftCard ?? false),
    requiresShipping: !(line.giftCard ?? false),
    taxLines: (args: { first?: number | null }) =>
      (line.taxLines ?? []).slice(0, args.first ?? undefined).map((t) => taxLineView(t, currency, presentment)),
    originalUnitPriceSet: bag(toCents(line.originalUnitPrice)),
    discountedUnitPriceSet: bag(lineDiscountedUnitCents(line)),
    discountedUnitPriceAfterAllDiscountsSet: bag(unitAfterAll),
    originalTotalSet: bag(lineOriginalTotalCents(line)),
    discountedTotalSet: bag(lineOriginalTotalCents(line) - discount),
    totalDiscountSet: bag(discount),
    variant: () => (variant ? variantAsOrdered(ctx, variant, line) : null),
    product: () => (product ? productView(ctx, product) : null),
    discountAllocations: line.discountAllocations.map((a) => ({
      allocatedAmountSet: bag(toCents(a.amount)),
      discountApplication: discountApplicationView(order.discountApplications[a.discountApplicationIndex], a.discountApplicationIndex, currency, presentment),
    })),
  };
}

function transactionView(order: FakeOrder, t: FakeTransaction): object {
  return {
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", t.id),
    kind: t.kind === "sale" ? "SALE" : "REFUND",
    status: "SUCCESS",
    gateway: t.gateway,
    formattedGateway: t.gateway === "shopify_payments" ? "Shopify Payments" : t.gateway === "gift_card" ? "Gift card" : t.gateway === "bogus" ? "Bogus" : t.gateway,
    amountSet: moneyBag(toCents(t.amount), order.currency, presentmentOf(order)),
    createdAt: t.createdAt,
    processedAt: t.createdAt,
    test: order.test ?? false,
  };
}

function shippingLineView(order: FakeOrder): object {
  const presentment = presentmentOf(order);
  const shipping = toCents(order.shippingPrice);
  const lineTax = order.lineItems.reduce((s, l) => s + lineTaxCents(l), 0n);
  const shippingTax = toCents(order.totalTax) - lineTax;
  const rate = order.lineItems.flatMap((l) => l.taxLines ?? [])[0];
  return {
    id: gid("ShippingLine", order.id),
    title: "Standard",
    code: "Standard",
    originalPriceSet: moneyBag(shipping, order.currency, presentment),
    discountedPriceSet: moneyBag(shipping, order.currency, presentment),
    taxLines: shippingTax > 0n && rate ? [taxLineView({ title: rate.title, rate: rate.rate, price: formatCentsText(shippingTax) }, order.currency, presentment)] : [],
    isRemoved: false,
  };
}

const formatCentsText = (cents: bigint): string => `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;

/** Cost and compare-at price as they were when the order was placed, not as the variant is now. */
function variantAsOrdered(ctx: AdminContext, variant: FakeVariant, line: FakeLineItem): object {
  return variantView(ctx, { ...variant, compareAtPrice: line.compareAtPrice, unitCost: line.unitCost ?? variant.unitCost });
}

function refundView(ctx: AdminContext, order: FakeOrder, refund: FakeRefund): object {
  const currency = order.currency;
  const presentment = presentmentOf(order);
  const bag = (cents: bigint) => moneyBag(cents, currency, presentment);
  return {
    __typename: "Refund",
    id: gid("Refund", refund.id),
    createdAt: refund.createdAt,
    updatedAt: refund.createdAt,
    note: refund.note,
    totalRefundedSet: bag(toCents(refund.totalRefunded)),
    transactions: (args: ConnectionArgs) => listConnection(refundTransactions(order, refund), args, (t) => t.id, (t) => transactionView(order, t)),
    refundShippingLines: (args: ConnectionArgs) =>
      listConnection(refund.shipping ? [refund.shipping] : [], args, () => refund.id, (s) => ({
        __typename: "RefundShippingLine",
        id: gid("RefundShippingLine", refund.id),
        shippingLine: shippingLineView(order),
        subtotalAmountSet: bag(toCents(s.amount)),
        taxAmountSet: bag(toCents(s.tax)),
      })),
    // From 2024-10 refunded shipping is no longer an order adjustment here: only discrepancies are.
    orderAdjustments: (args: ConnectionArgs) =>
      listConnection((refund.orderAdjustments ?? []).filter((a) => a.kind !== "shipping_refund"), args, (a) => a.id, (a) => ({
        __typename: "OrderAdjustment",
        id: gid("OrderAdjustment", a.id),
        amountSet: bag(toCents(a.amount)),
        taxAmountSet: bag(toCents(a.taxAmount)),
        reason: "REFUND_DISCREPANCY",
      })),
    refundLineItems: (args: ConnectionArgs) =>
      listConnection(refund.refundLineItems, args, (r) => r.id, (rli) => {
        const line = order.lineItems.find((l) => l.id === rli.lineItemId);
        const subtotal = toCents(rli.subtotal);
        return {
          id: gid("RefundLineItem", rli.id),
          lineItem: line ? lineItemView(ctx, order, line) : null,
          quantity: rli.quantity,
          restockType: rli.restockType,
          restocked: rli.restockType !== "NO_RESTOCK",
          subtotalSet: bag(subtotal),
          priceSet: bag(line ? toCents(line.originalUnitPrice) : rli.quantity === 0 ? 0n : subtotal / BigInt(rli.quantity)),
          totalTaxSet: bag(toCents(rli.totalTax ?? "0")),
        };
      }),
  };
}

export function orderView(ctx: AdminContext, order: FakeOrder): object {
  const currency = order.currency;
  const presentment = presentmentOf(order);
  const bag = (cents: bigint) => moneyBag(cents, currency, presentment);
  let totals: ReturnType<typeof orderTotals> | undefined;
  const t = (): ReturnType<typeof orderTotals> => (totals ??= orderTotals(order));
  const customer = order.customerId ? ctx.store.customersById.get(order.customerId) : undefined;
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    name: order.name,
    createdAt: order.createdAt,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    closedAt: order.closedAt,
    closed: order.closedAt !== null,
    email: order.email,
    phone: order.phone ?? null,
    currencyCode: currency,
    presentmentCurrencyCode: presentment.currency,
    displayFinancialStatus: order.financialStatus,
    sourceName: order.sourceName,
    tags: order.tags,
    test: order.test ?? false,
    taxesIncluded: order.taxesIncluded ?? false,
    edited: Boolean(order.editedAt),
    paymentGatewayNames: gatewaysOf(order),
    customer: () => (customer && !customer.deletedAt ? customerView(ctx, customer) : null),
    subtotalPriceSet: () => bag(t().subtotal),
    totalPriceSet: () => bag(t().total),
    currentTotalPriceSet: () => bag(t().currentTotal),
    currentSubtotalPriceSet: () => bag(t().currentSubtotal),
    totalDiscountsSet: () => bag(t().totalDiscounts),
    currentTotalDiscountsSet: () => bag(t().totalDiscounts),
    totalRefundedSet: () => bag(t().refunded),
    totalRefundedShippingSet: () => bag(t().refundedShipping),
    totalShippingPriceSet: () => bag(t().shipping),
    currentShippingPriceSet: () => bag(t().shipping - t().refundedShipping),
    totalTaxSet: () => bag(t().tax),
    currentTotalTaxSet: () => bag(t().currentTax),
    totalLineItemsPriceSet: () => bag(t().lineItemsTotal),
    totalReceivedSet: () => bag(saleTransactions(order).reduce((s, x) => s + toCents(x.amount), 0n) - t().refunded),
    netPaymentSet: () => bag(saleTransactions(order).reduce((s, x) => s + toCents(x.amount), 0n) - t().refunded),
    subtotalLineItemsQuantity: order.lineItems.reduce((s, l) => s + editedQuantity(l), 0),
    currentSubtotalLineItemsQuantity: order.lineItems.reduce((s, l) => s + currentQuantity(order, l), 0),
    discountCode: order.discountCodes[0] ?? null,
    discountCodes: order.discountCodes,
    transactions: (args: { first?: number | null }) =>
      [...saleTransactions(order), ...order.refunds.flatMap((r) => refundTransactions(order, r))]
        .slice(0, args.first ?? undefined)
        .map((x) => transactionView(order, x)),
    shippingLines: (args: ConnectionArgs) => listConnection([order], args, (o) => o.id, (o) => shippingLineView(o)),
    discountApplications: (args: ConnectionArgs) =>
      listConnection(
        order.discountApplications.map((app, index) => ({ app, index })),
        args,
        (entry) => String(entry.index),
        (entry) => discountApplicationView(entry.app, entry.index, currency, presentment),
      ),
    lineItems: (args: ConnectionArgs) => listConnection(order.lineItems, args, (l) => l.id, (l) => lineItemView(ctx, order, l)),
    refunds: (args: { first?: number | null }) =>
      (args.first == null ? order.refunds : order.refunds.slice(0, args.first)).map((r) => refundView(ctx, order, r)),
  };
}
