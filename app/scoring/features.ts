import { shopDay } from "./days";
import type { CustomerHistory, OrderSummary } from "./types";

const RECENT_ORDERS = 3;

export interface FeatureOptions {
  asOf: Date;
  /** Margin rate assumed for lines whose unit cost is unknown (0–1). */
  defaultMarginRate: number;
  /** The shop's IANA time zone: purchase days, "same day" and the as-of cut-off are days in it (UTC when absent). */
  timeZone?: string | null;
}

export interface CustomerFeatures {
  customerId: string;
  acceptsMarketing: boolean;
  /** Non-cancelled orders placed up to asOf's day (an order of gift cards only counts, with no revenue). */
  orders: number;
  /** Distinct purchase days; same-day orders are one purchase, as in the BTYD literature. */
  purchaseDays: number;
  /** BTYD summary in weeks: x repeat purchases, t_x first → last purchase, T first purchase → asOf. */
  x: number;
  tx: number;
  T: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  daysSinceLastOrder: number | null;
  tenureDays: number;
  /** Product revenue: goods after discounts, ex tax, less product refunds (app/orders/record.ts). */
  monetary: number;
  averageOrderValue: number;
  /** Mean net value of repeat purchase days (zbar of the spend model); 0 without repeats. */
  repeatSpendMean: number;
  ordersPerYear: number;
  /** Coefficient of variation of the gaps between purchase days; null below three purchase days. */
  regularityCv: number | null;
  marginRate: number;
  /** True when some revenue had no known unit cost and the shop's default margin was used. */
  marginEstimated: boolean;
  knownCostShare: number;
  discountedOrderShare: number;
  codeOrderShare: number;
  automaticOrderShare: number;
  markdownOrderShare: number;
  /** (discounts + markdowns) / list value, value-weighted over all orders. */
  discountDepth: number;
  recentDiscountShare: number;
  /**
   * Mean of the later half of the gaps between purchase days over the mean of the earlier half
   * (the middle gap left out when their number is odd): below 1, the customer is buying more often.
   * Null below three purchase days.
   */
  gapTrend: number | null;
  /**
   * Mean order value (after discounts, before refunds) of the later half of orders over that of the
   * earlier half (the middle order left out when their number is odd): above 1, baskets are growing.
   * Null below two orders.
   */
  spendTrend: number | null;
  refundRate: number;
  returnRate: number | null;
}

export interface OrderFigures {
  revenue: number;
  listValue: number;
  reduction: number;
  cost: number;
  knownCostRevenue: number;
  quantity: number;
  discounted: boolean;
  code: boolean;
  automatic: boolean;
  markdown: boolean;
}

/** One order's revenue, list value, reduction (discounts + markdowns) and discount flags; money as in the summary. */
export function orderFigures(order: OrderSummary, defaultMarginRate: number): OrderFigures {
  let gross = 0;
  let listValue = 0;
  let markdown = 0;
  let lineDiscounts = 0;
  let quantity = 0;
  let tax = 0;
  for (const line of order.lines) {
    const lineGross = line.quantity * line.unitPrice;
    gross += lineGross;
    quantity += line.quantity;
    tax += line.taxIncluded ?? 0;
    const compareAt = line.compareAtPrice ?? 0;
    // A 0.00 line (bundle header, free gift) is not a price cut, whatever its compare-at price.
    if (line.unitPrice > 0 && compareAt > line.unitPrice) {
      markdown += line.quantity * (compareAt - line.unitPrice);
      listValue += line.quantity * compareAt;
    } else {
      listValue += lineGross;
    }
    lineDiscounts += lineDiscount(line.quantity, line.unitPrice, line.discountAllocated, line.discountedUnitPrice);
  }
  const discount = Math.max(order.totalDiscounts, lineDiscounts);
  // Discounts not allocated to lines are spread over lines by gross value.
  const unallocated = discount - lineDiscounts;
  let cost = 0;
  let knownCostRevenue = 0;
  for (const line of order.lines) {
    const lineGross = line.quantity * line.unitPrice;
    const share = gross > 0 ? lineGross / gross : 0;
    const lineRevenue =
      lineGross -
      lineDiscount(line.quantity, line.unitPrice, line.discountAllocated, line.discountedUnitPrice) -
      unallocated * share -
      (line.taxIncluded ?? 0);
    if (line.unitCost === null) {
      cost += lineRevenue * (1 - defaultMarginRate);
    } else {
      cost += line.quantity * line.unitCost;
      knownCostRevenue += lineRevenue;
    }
  }
  const code = order.discountCodes.length > 0;
  return {
    revenue: gross - discount - tax,
    listValue,
    reduction: discount + markdown,
    cost,
    knownCostRevenue,
    quantity,
    discounted: code || order.hasAutomaticDiscount || discount > 0 || markdown > 0,
    code,
    automatic: order.hasAutomaticDiscount,
    markdown: markdown > 0,
  };
}

function lineDiscount(quantity: number, unitPrice: number, allocated: number, discountedUnitPrice?: number): number {
  if (allocated > 0) return allocated;
  if (discountedUnitPrice !== undefined && discountedUnitPrice < unitPrice) {
    return quantity * (unitPrice - discountedUnitPrice);
  }
  return 0;
}

/**
 * Per-customer features as of a day. Orders count up to the end of asOf's day in the shop's
 * calendar (options.timeZone, or each order's own `day` from the source).
 */
export function computeFeatures(history: CustomerHistory, options: FeatureOptions): CustomerFeatures {
  const dayOf = (o: OrderSummary) => o.day ?? shopDay(o.processedAt, options.timeZone);
  const asOfDay = shopDay(options.asOf, options.timeZone);
  const orders = history.orders
    .filter((o) => !o.cancelled && dayOf(o) <= asOfDay)
    .sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  if (orders.length === 0) {
    return {
      customerId: history.customerId,
      acceptsMarketing: history.acceptsMarketing,
      orders: 0,
      purchaseDays: 0,
      x: 0,
      tx: 0,
      T: 0,
      firstOrderAt: null,
      lastOrderAt: null,
      daysSinceLastOrder: null,
      tenureDays: Math.max(0, asOfDay - (history.createdDay ?? shopDay(history.createdAt, options.timeZone))),
      monetary: 0,
      averageOrderValue: 0,
      repeatSpendMean: 0,
      ordersPerYear: 0,
      regularityCv: null,
      marginRate: options.defaultMarginRate,
      marginEstimated: true,
      knownCostShare: 0,
      discountedOrderShare: 0,
      codeOrderShare: 0,
      automaticOrderShare: 0,
      markdownOrderShare: 0,
      discountDepth: 0,
      recentDiscountShare: 0,
      gapTrend: null,
      spendTrend: null,
      refundRate: 0,
      returnRate: null,
    };
  }

  const days: number[] = [];
  const dayValues: number[] = [];
  let revenue = 0;
  let refunded = 0;
  let listValue = 0;
  let reduction = 0;
  let cost = 0;
  let knownCostRevenue = 0;
  let quantity = 0;
  let returned = 0;
  let returnsKnown = false;
  let discounted = 0;
  let code = 0;
  let automatic = 0;
  let markdown = 0;
  let recentDiscounted = 0;
  const recentFrom = Math.max(0, orders.length - RECENT_ORDERS);
  // Halves of the orders for the spend trend (the middle order is in neither when their number is odd).
  const half = orders.length >> 1;
  let earlierSpend = 0;
  let laterSpend = 0;

  orders.forEach((order, i) => {
    const f = orderFigures(order, options.defaultMarginRate);
    revenue += f.revenue;
    refunded += order.refunded;
    listValue += f.listValue;
    reduction += f.reduction;
    cost += f.cost;
    knownCostRevenue += f.knownCostRevenue;
    quantity += f.quantity;
    if (order.returnedQuantity !== undefined) {
      returnsKnown = true;
      returned += order.returnedQuantity;
    }
    if (f.discounted) discounted++;
    if (f.code) code++;
    if (f.automatic) automatic++;
    if (f.markdown) markdown++;
    if (f.discounted && i >= recentFrom) recentDiscounted++;
    if (i < half) earlierSpend += f.revenue;
    else if (i >= orders.length - half) laterSpend += f.revenue;
    const day = dayOf(order);
    const net = f.revenue - order.refunded;
    if (days.length > 0 && days[days.length - 1] === day) {
      dayValues[dayValues.length - 1] += net;
    } else {
      days.push(day);
      dayValues.push(net);
    }
  });

  const first = days[0];
  const last = days[days.length - 1];
  const x = days.length - 1;
  let repeatSpend = 0;
  for (let i = 1; i < dayValues.length; i++) repeatSpend += Math.max(0, dayValues[i]);
  const tenureDays = asOfDay - first;
  const n = orders.length;
  const monetary = Math.max(0, revenue - refunded);
  return {
    customerId: history.customerId,
    acceptsMarketing: history.acceptsMarketing,
    orders: n,
    purchaseDays: days.length,
    x,
    tx: (last - first) / 7,
    T: tenureDays / 7,
    firstOrderAt: orders[0].processedAt,
    lastOrderAt: orders[n - 1].processedAt,
    daysSinceLastOrder: asOfDay - last,
    tenureDays,
    monetary,
    averageOrderValue: monetary / n,
    repeatSpendMean: x > 0 ? repeatSpend / x : 0,
    ordersPerYear: (days.length * 365) / Math.max(tenureDays, 90),
    regularityCv: coefficientOfVariationOfGaps(days),
    marginRate: revenue > 0 ? (revenue - cost) / revenue : options.defaultMarginRate,
    marginEstimated: revenue <= 0 || knownCostRevenue < revenue * (1 - 1e-9),
    knownCostShare: revenue > 0 ? Math.min(1, knownCostRevenue / revenue) : 0,
    discountedOrderShare: discounted / n,
    codeOrderShare: code / n,
    automaticOrderShare: automatic / n,
    markdownOrderShare: markdown / n,
    discountDepth: listValue > 0 ? reduction / listValue : 0,
    recentDiscountShare: recentDiscounted / (n - recentFrom),
    gapTrend: gapTrend(days),
    spendTrend: half > 0 && earlierSpend > 0 ? laterSpend / earlierSpend : null,
    refundRate: revenue > 0 ? Math.min(1, refunded / revenue) : 0,
    returnRate: returnsKnown && quantity > 0 ? Math.min(1, returned / quantity) : null,
  };
}

function gapTrend(days: number[]): number | null {
  const gaps = days.length - 1;
  if (gaps < 2) return null;
  const h = gaps >> 1;
  return (days[gaps] - days[gaps - h]) / (days[h] - days[0]);
}

function coefficientOfVariationOfGaps(days: number[]): number | null {
  if (days.length < 3) return null;
  const gaps = days.length - 1;
  const mean = (days[days.length - 1] - days[0]) / gaps;
  if (mean === 0) return null;
  let ss = 0;
  for (let i = 1; i < days.length; i++) ss += (days[i] - days[i - 1] - mean) ** 2;
  return Math.sqrt(ss / gaps) / mean;
}
