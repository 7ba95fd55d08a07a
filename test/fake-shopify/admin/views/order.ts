import type { FakeDiscountApplication, FakeLineItem, FakeOrder, FakeRefund, FakeVariant } from "../../store/model";
import type { AdminContext } from "../context";
import type { ConnectionArgs } from "../../util/connection";
import { gid } from "../../util/ids";
import { toCents } from "../../util/money";
import { lineDiscountCents, lineDiscountedUnitCents, lineOriginalTotalCents, orderTotals, refundedQuantity } from "../../store/order-math";
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

export function discountApplicationView(app: FakeDiscountApplication, index: number, currency: string): object {
  return {
    __typename: applicationTypename[app.type],
    index,
    allocationMethod: app.allocationMethod,
    targetSelection: app.allocationMethod === "ACROSS" ? "ALL" : "ENTITLED",
    targetType: app.targetType,
    value:
      app.valueType === "PERCENTAGE"
        ? { __typename: "PricingPercentageValue", percentage: Number(app.value) }
        : moneyV2(toCents(app.value), currency),
    code: app.code ?? "",
    title: app.title ?? app.code ?? "",
    description: null,
  };
}

function lineItemView(ctx: AdminContext, order: FakeOrder, line: FakeLineItem): object {
  const currency = order.currency;
  const variant = line.variantId ? ctx.store.variantsById.get(line.variantId) : undefined;
  const product = line.productId ? ctx.store.productsById.get(line.productId) : undefined;
  const discount = lineDiscountCents(line);
  return {
    __typename: "LineItem",
    id: gid("LineItem", line.id),
    name: line.title,
    title: line.title,
    sku: line.sku,
    quantity: line.quantity,
    currentQuantity: Math.max(0, line.quantity - refundedQuantity(order, line.id)),
    originalUnitPriceSet: moneyBag(toCents(line.originalUnitPrice), currency),
    discountedUnitPriceSet: moneyBag(lineDiscountedUnitCents(line), currency),
    originalTotalSet: moneyBag(lineOriginalTotalCents(line), currency),
    discountedTotalSet: moneyBag(lineOriginalTotalCents(line) - discount, currency),
    totalDiscountSet: moneyBag(discount, currency),
    variant: () => (variant ? variantAsOrdered(ctx, variant, line) : null),
    product: () => (product ? productView(ctx, product) : null),
    discountAllocations: line.discountAllocations.map((a) => ({
      allocatedAmountSet: moneyBag(toCents(a.amount), currency),
      discountApplication: discountApplicationView(order.discountApplications[a.discountApplicationIndex], a.discountApplicationIndex, currency),
    })),
  };
}

/** Cost and compare-at price as they were when the order was placed, not as the variant is now. */
function variantAsOrdered(ctx: AdminContext, variant: FakeVariant, line: FakeLineItem): object {
  return variantView(ctx, { ...variant, compareAtPrice: line.compareAtPrice, unitCost: line.unitCost ?? variant.unitCost });
}

function refundView(ctx: AdminContext, order: FakeOrder, refund: FakeRefund): object {
  const currency = order.currency;
  return {
    __typename: "Refund",
    id: gid("Refund", refund.id),
    createdAt: refund.createdAt,
    note: refund.note,
    totalRefundedSet: moneyBag(toCents(refund.totalRefunded), currency),
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
          subtotalSet: moneyBag(subtotal, currency),
          priceSet: moneyBag(rli.quantity === 0 ? 0n : subtotal / BigInt(rli.quantity), currency),
        };
      }),
  };
}

export function orderView(ctx: AdminContext, order: FakeOrder): object {
  const currency = order.currency;
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
    currencyCode: currency,
    presentmentCurrencyCode: currency,
    displayFinancialStatus: order.financialStatus,
    sourceName: order.sourceName,
    tags: order.tags,
    test: false,
    customer: () => (customer && !customer.deletedAt ? customerView(ctx, customer) : null),
    subtotalPriceSet: () => moneyBag(t().subtotal, currency),
    totalPriceSet: () => moneyBag(t().total, currency),
    currentTotalPriceSet: () => moneyBag(t().currentTotal, currency),
    currentSubtotalPriceSet: () => moneyBag(t().currentSubtotal, currency),
    totalDiscountsSet: () => moneyBag(t().totalDiscounts, currency),
    currentTotalDiscountsSet: () => moneyBag(t().totalDiscounts, currency),
    totalRefundedSet: () => moneyBag(t().refunded, currency),
    totalShippingPriceSet: () => moneyBag(t().shipping, currency),
    totalTaxSet: () => moneyBag(t().tax, currency),
    discountCode: order.discountCodes[0] ?? null,
    discountCodes: order.discountCodes,
    discountApplications: (args: ConnectionArgs) =>
      listConnection(
        order.discountApplications.map((app, index) => ({ app, index })),
        args,
        (entry) => String(entry.index),
        (entry) => discountApplicationView(entry.app, entry.index, currency),
      ),
    lineItems: (args: ConnectionArgs) => listConnection(order.lineItems, args, (l) => l.id, (l) => lineItemView(ctx, order, l)),
    refunds: (args: { first?: number | null }) =>
      (args.first == null ? order.refunds : order.refunds.slice(0, args.first)).map((r) => refundView(ctx, order, r)),
  };
}
