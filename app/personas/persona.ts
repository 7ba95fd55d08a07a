import { orderFigures } from "../scoring/features";
import { GROUPS, type Group, type OrderSummary } from "../scoring/types";

/*
 * Who the customers of a group are in this store, in figures. One definition of each figure,
 * used by `analyze` (from an orders export) and, as SQL, by personas.server.ts (from synced
 * orders); the server's test holds the two to the same numbers.
 *
 * - Counted orders: not cancelled (test orders are never stored or read).
 * - Order value: product revenue before refunds (goods after discounts, ex tax; orders/record.ts).
 * - Orders per year: counted orders in the 365 days up to `asOf`, per customer of the group.
 * - Days between orders: per customer with two or more counted orders, (last − first) / (orders − 1).
 * - Tenure: days from a customer's first counted order to `asOf`.
 * - Product types and vendors: share of units sold, over the lines whose product type
 *   (or vendor) is known; the top three.
 * - Discounted order: a code, an automatic discount, a discount on a line or a markdown
 *   (scoring/features.ts). Depth: (discounts + markdowns) / list value, over all counted orders.
 * - Channel: Shopify's order source — "web" is the online store, "pos" the point of sale,
 *   anything else (draft orders, mobile, other apps' ids) other; orders without one are left out.
 * - Consent: customers whose email (SMS) marketing state is SUBSCRIBED.
 * - Refunded order: an order with product money refunded.
 */

export const CHANNELS = ["online_store", "pos", "other"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Shopify's order `sourceName` as a channel; null when the order names none. */
export function channelOf(sourceName: string | null | undefined): Channel | null {
  if (sourceName === null || sourceName === undefined || sourceName === "") return null;
  if (sourceName === "web") return "online_store";
  if (sourceName === "pos") return "pos";
  return "other";
}

export interface Share {
  name: string;
  /** 0–1 */
  share: number;
}

export interface PersonaFigures {
  /** Customers of the group with at least one counted order. */
  customers: number;
  /** Of those, customers with two or more counted orders. */
  repeatCustomers: number;
  orders: number;
  /** Shop currency. Null without orders. */
  medianOrderValue: number | null;
  ordersPerYear: number | null;
  medianDaysBetweenOrders: number | null;
  medianTenureDays: number | null;
  /** Top three by units, largest first. */
  productTypes: Share[];
  vendors: Share[];
  discountedOrderShare: number | null;
  /** 0–1 of list value. */
  discountDepth: number | null;
  /** Shares of the orders whose source is known; null when none is. */
  channels: Record<Channel, number> | null;
  emailSubscribedShare: number | null;
  /** Null when the source knows no SMS consent (an orders export). */
  smsSubscribedShare: number | null;
  refundedOrderShare: number | null;
}

export interface PersonaCustomer {
  group: Group;
  /** True when subscribed; null when the source does not say. */
  emailSubscribed: boolean | null;
  smsSubscribed: boolean | null;
  orders: readonly OrderSummary[];
}

export interface GroupPersonas {
  /** Every group, in GROUPS order; groups without customers have zero counts and null figures. */
  groups: Record<Group, PersonaFigures>;
  overall: PersonaFigures;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
export const TOP_SHARES = 3;

/** The median (mean of the two middle values for an even count), or null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The largest shares of a count map, ties broken by name; at most `limit`. */
export function topShares(counts: ReadonlyMap<string, number>, limit = TOP_SHARES): Share[] {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total <= 0) return [];
  return [...counts.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([name, n]) => ({ name, share: n / total }));
}

class Tally {
  customers = 0;
  orders = 0;
  ordersLastYear = 0;
  values: number[] = [];
  gaps: number[] = [];
  tenures: number[] = [];
  types = new Map<string, number>();
  vendors = new Map<string, number>();
  discounted = 0;
  reduction = 0;
  listValue = 0;
  channels: Record<Channel, number> = { online_store: 0, pos: 0, other: 0 };
  emailKnown = 0;
  email = 0;
  smsKnown = 0;
  sms = 0;
  refunded = 0;

  add(customer: PersonaCustomer, asOfMs: number): void {
    const orders = customer.orders.filter((o) => !o.cancelled);
    if (orders.length === 0) return;
    this.customers++;
    if (customer.emailSubscribed !== null) {
      this.emailKnown++;
      if (customer.emailSubscribed) this.email++;
    }
    if (customer.smsSubscribed !== null) {
      this.smsKnown++;
      if (customer.smsSubscribed) this.sms++;
    }
    let first = Infinity;
    let last = -Infinity;
    for (const order of orders) {
      const at = order.processedAt.getTime();
      first = Math.min(first, at);
      last = Math.max(last, at);
      this.orders++;
      if (at > asOfMs - YEAR_MS && at <= asOfMs) this.ordersLastYear++;
      const f = orderFigures(order, 0);
      this.values.push(f.revenue);
      if (f.discounted) this.discounted++;
      this.reduction += f.reduction;
      this.listValue += f.listValue;
      if (order.refunded > 0) this.refunded++;
      const channel = channelOf(order.sourceName);
      if (channel !== null) this.channels[channel]++;
      for (const line of order.lines) {
        if (line.productType) this.types.set(line.productType, (this.types.get(line.productType) ?? 0) + line.quantity);
        if (line.vendor) this.vendors.set(line.vendor, (this.vendors.get(line.vendor) ?? 0) + line.quantity);
      }
    }
    if (orders.length >= 2) this.gaps.push((last - first) / DAY_MS / (orders.length - 1));
    this.tenures.push((asOfMs - first) / DAY_MS);
  }

  figures(): PersonaFigures {
    const share = (n: number, of: number) => (of > 0 ? n / of : null);
    const known = this.channels.online_store + this.channels.pos + this.channels.other;
    return {
      customers: this.customers,
      repeatCustomers: this.gaps.length,
      orders: this.orders,
      medianOrderValue: median(this.values),
      ordersPerYear: share(this.ordersLastYear, this.customers),
      medianDaysBetweenOrders: median(this.gaps),
      medianTenureDays: median(this.tenures),
      productTypes: topShares(this.types),
      vendors: topShares(this.vendors),
      discountedOrderShare: share(this.discounted, this.orders),
      discountDepth: this.orders > 0 ? (this.listValue > 0 ? this.reduction / this.listValue : 0) : null,
      channels:
        known > 0
          ? { online_store: this.channels.online_store / known, pos: this.channels.pos / known, other: this.channels.other / known }
          : null,
      emailSubscribedShare: share(this.email, this.emailKnown),
      smsSubscribedShare: share(this.sms, this.smsKnown),
      refundedOrderShare: share(this.refunded, this.orders),
    };
  }
}

/**
 * The persona figures of every group and of the whole store (all customers with a counted
 * order), as of `asOf`. Pure; O(orders + lines) plus the sorts of the medians.
 */
export function computePersonas(customers: Iterable<PersonaCustomer>, asOf: Date): GroupPersonas {
  const asOfMs = asOf.getTime();
  const tallies = Object.fromEntries(GROUPS.map((g) => [g, new Tally()])) as Record<Group, Tally>;
  const overall = new Tally();
  for (const customer of customers) {
    tallies[customer.group].add(customer, asOfMs);
    overall.add(customer, asOfMs);
  }
  return {
    groups: Object.fromEntries(GROUPS.map((g) => [g, tallies[g].figures()])) as Record<Group, PersonaFigures>,
    overall: overall.figures(),
  };
}
