// Per-customer ground truth under issue 11's money rules, computed from the generator's
// own records (never from a view), so webhooks, bulk JSONL, paged GraphQL and the CSV
// export can each be checked against it to the cent.
import type { FakeCustomer, FakeLineItem, FakeOrder } from "../store/model";
import { editedQuantity, lineTaxCents, refundTransactions } from "../store/order-math";
import { localDate } from "../util/timezone";
import { parseCents } from "./money";

/**
 * One customer's figures. Money is integer cents of shop money. Definitions (aligned with
 * app/scoring/features.ts, where that module already has the figure):
 * - an order counts when it is not a test order, not cancelled, and created by asOf;
 *   an order that only bought a gift card counts as an order with no revenue;
 * - `purchaseDays`: the distinct calendar days of those orders in the shop's time zone;
 * - a line's quantity is the quantity after order edits (removed units count 0) and
 *   before refunds; gift card lines are left out of every figure below;
 * - `revenueCents` = Σ (unit price × quantity − line discount allocations), less the
 *   line's tax when the order's taxes are included (its `taxLines`);
 * - `productRefundCents` = Σ refund line subtotals (less their `totalTax` when taxes are
 *   included) of refunds that moved money; refunded shipping, refunded tax and order
 *   adjustments are not product refunds, and a restock-only refund (no transaction) is not;
 * - `netRevenueCents` = max(0, revenue − product refunds) (features' `monetary`);
 * - `costCents` = Σ quantity × unit cost at order time over lines with a known cost
 *   (zero-priced gifts included); `knownCostRevenueCents` is those lines' revenue and
 *   `unknownCostRevenueCents` the rest; margin = revenue − cost;
 * - an order is discounted when it has a discount code, an automatic discount, an
 *   allocated discount or a markdown; a markdown is a line priced above 0.00 below its
 *   compare-at price (a 0.00 line is never a markdown);
 * - `listValueCents` = Σ quantity × (compare-at price for a markdown, else unit price) and
 *   `reductionCents` = allocated discounts + markdowns, both at the prices as charged
 *   (tax-inclusive when the order's are); `discountDepth` = reduction / list value;
 * - `refundRate` = min(1, product refunds / revenue), 0 without revenue.
 */
export interface CustomerTruth {
  customerId: string;
  /** What the orders export identifies the customer by: the email, else the phone. */
  email: string | null;
  phone: string | null;
  orders: number;
  purchaseDays: string[];
  revenueCents: number;
  productRefundCents: number;
  netRevenueCents: number;
  costCents: number;
  knownCostRevenueCents: number;
  unknownCostRevenueCents: number;
  marginCents: number;
  discountedOrders: number;
  discountedOrderShare: number;
  codeOrders: number;
  automaticOrders: number;
  markdownOrders: number;
  listValueCents: number;
  reductionCents: number;
  discountDepth: number;
  refundRate: number;
  /** Left out above, counted here: test orders, cancelled orders, gift card value bought. */
  testOrders: number;
  cancelledOrders: number;
  giftCardCents: number;
}

interface OrderFigures {
  revenue: number;
  cost: number;
  knownCostRevenue: number;
  listValue: number;
  reduction: number;
  markdown: boolean;
  allocated: number;
  refund: number;
  giftCards: number;
}

const lineRevenueCents = (order: FakeOrder, line: FakeLineItem, quantity: number): number => {
  const allocated = line.discountAllocations.reduce((s, a) => s + parseCents(a.amount), 0);
  const gross = parseCents(line.originalUnitPrice) * quantity - allocated;
  return order.taxesIncluded ? gross - Number(lineTaxCents(line)) : gross;
};

/** One order's figures under the rules above (the order is assumed to count). */
export function orderFigures(order: FakeOrder): OrderFigures {
  const f: OrderFigures = { revenue: 0, cost: 0, knownCostRevenue: 0, listValue: 0, reduction: 0, markdown: false, allocated: 0, refund: 0, giftCards: 0 };
  const giftCardLines = new Set<string>();
  for (const line of order.lineItems) {
    const quantity = editedQuantity(line);
    const unit = parseCents(line.originalUnitPrice);
    if (line.giftCard) {
      giftCardLines.add(line.id);
      f.giftCards += unit * quantity;
      continue;
    }
    const allocated = line.discountAllocations.reduce((s, a) => s + parseCents(a.amount), 0);
    const revenue = lineRevenueCents(order, line, quantity);
    f.revenue += revenue;
    f.allocated += allocated;
    const compareAt = line.compareAtPrice === null ? 0 : parseCents(line.compareAtPrice);
    if (unit > 0 && compareAt > unit) {
      f.markdown = f.markdown || quantity > 0;
      f.listValue += quantity * compareAt;
      f.reduction += quantity * (compareAt - unit);
    } else {
      f.listValue += quantity * unit;
    }
    f.reduction += allocated;
    if (line.unitCost === null) continue;
    f.cost += quantity * parseCents(line.unitCost);
    f.knownCostRevenue += revenue;
  }
  for (const refund of order.refunds) {
    if (refundTransactions(order, refund).length === 0) continue;
    for (const rli of refund.refundLineItems) {
      if (giftCardLines.has(rli.lineItemId)) continue;
      const tax = order.taxesIncluded ? parseCents(rli.totalTax ?? "0") : 0;
      f.refund += parseCents(rli.subtotal) - tax;
    }
  }
  return f;
}

/** Folds orders one at a time into per-customer truth. */
export class TruthBuilder {
  private readonly byId = new Map<string, { truth: CustomerTruth; days: Set<string> }>();

  constructor(
    customers: readonly FakeCustomer[],
    private readonly zone: string,
    private readonly asOfMs: number,
  ) {
    for (const c of customers) {
      this.byId.set(c.id, {
        days: new Set(),
        truth: {
          customerId: c.id,
          email: c.email,
          phone: c.phone,
          orders: 0,
          purchaseDays: [],
          revenueCents: 0,
          productRefundCents: 0,
          netRevenueCents: 0,
          costCents: 0,
          knownCostRevenueCents: 0,
          unknownCostRevenueCents: 0,
          marginCents: 0,
          discountedOrders: 0,
          discountedOrderShare: 0,
          codeOrders: 0,
          automaticOrders: 0,
          markdownOrders: 0,
          listValueCents: 0,
          reductionCents: 0,
          discountDepth: 0,
          refundRate: 0,
          testOrders: 0,
          cancelledOrders: 0,
          giftCardCents: 0,
        },
      });
    }
  }

  add(order: FakeOrder): void {
    if (order.customerId === null) return;
    const entry = this.byId.get(order.customerId);
    if (!entry) return;
    const t = entry.truth;
    if (order.test) {
      t.testOrders += 1;
      return;
    }
    if (order.cancelledAt !== null) {
      t.cancelledOrders += 1;
      return;
    }
    if (Date.parse(order.createdAt) > this.asOfMs) return;
    const f = orderFigures(order);
    const code = order.discountCodes.length > 0;
    const automatic = order.discountApplications.some((a) => a.type === "AUTOMATIC");
    t.orders += 1;
    entry.days.add(localDate(order.createdAt, this.zone));
    t.revenueCents += f.revenue;
    t.productRefundCents += f.refund;
    t.costCents += f.cost;
    t.knownCostRevenueCents += f.knownCostRevenue;
    t.listValueCents += f.listValue;
    t.reductionCents += f.reduction;
    t.giftCardCents += f.giftCards;
    if (code || automatic || f.allocated > 0 || f.markdown) t.discountedOrders += 1;
    if (code) t.codeOrders += 1;
    if (automatic) t.automaticOrders += 1;
    if (f.markdown) t.markdownOrders += 1;
  }

  result(): CustomerTruth[] {
    return [...this.byId.values()].map(({ truth: t, days }) => ({
      ...t,
      purchaseDays: [...days].sort(),
      netRevenueCents: Math.max(0, t.revenueCents - t.productRefundCents),
      unknownCostRevenueCents: t.revenueCents - t.knownCostRevenueCents,
      marginCents: t.knownCostRevenueCents - t.costCents,
      discountedOrderShare: t.orders === 0 ? 0 : t.discountedOrders / t.orders,
      discountDepth: t.listValueCents > 0 ? t.reductionCents / t.listValueCents : 0,
      refundRate: t.revenueCents > 0 ? Math.min(1, t.productRefundCents / t.revenueCents) : 0,
    }));
  }
}

/**
 * The margin rate features.ts reports for these figures: lines without a known cost are
 * costed at revenue × (1 − `defaultMarginRate`).
 */
export function expectedMarginRate(t: CustomerTruth, defaultMarginRate: number): number {
  if (t.revenueCents <= 0) return defaultMarginRate;
  const cost = t.costCents + t.unknownCostRevenueCents * (1 - defaultMarginRate);
  return (t.revenueCents - cost) / t.revenueCents;
}
