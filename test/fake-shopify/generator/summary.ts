import type { Archetype, FakeCustomer, FakeOrder, FakeStoreData, GroundTruth } from "../store/model";
import { DAY_MS } from "./calendar";
import { ARCHETYPES } from "./mix";
import { parseCents } from "./money";
import { type CustomerTruth, TruthBuilder } from "./truth";

export interface ArchetypeSummary {
  customers: number;
  orders: number;
  ordersPerCustomer: number;
  /** Mean merchandise value per order after discounts, in currency units. */
  averageOrderValue: number;
  spendPerCustomer: { mean: number; p50: number; p90: number; max: number };
  discountedOrderShare: number;
  /** Discount (codes, automatic, markdowns) as a share of compare-at-or-list value. */
  discountDepth: number;
  grossMargin: number;
  refundedOrderShare: number;
  cancelledOrderShare: number;
  emailSubscribedShare: number;
  meanDaysSinceLastOrder: number;
  meanDaysSinceFirstOrder: number;
  /** Mean of each repeat customer's average gap between orders. */
  meanGapDays: number;
  /** Orders not cancelled in the 365 days up to asOf, per customer with an order not cancelled. */
  ordersLastYearPerCustomer: number;
  /** Of orders not cancelled: by channel (web = online store, pos, anything else = other). */
  channelShares: { online_store: number; pos: number; other: number };
  /** Of units sold on goods lines (gift cards left out) of orders not cancelled: by product type. */
  productTypeShares: Record<string, number>;
  smsSubscribedShare: number;
}

export interface StoreSummary {
  shop: string;
  asOf: string;
  customers: number;
  products: number;
  variants: number;
  variantsWithoutCost: number;
  orders: { total: number; guest: number; perCustomer: number; cancelled: number; refunded: number; byMonth: Record<string, number> };
  revenue: { gross: number; discounts: number; net: number; refunded: number; shipping: number; tax: number };
  discountedOrderShare: number;
  codeUsage: Record<string, number>;
  automaticDiscountOrders: number;
  markdownOrders: number;
  grossMargin: number;
  byArchetype: Record<Archetype, ArchetypeSummary>;
  /** Test orders, left out of every figure above. */
  testOrders: number;
  /** Per-customer ground truth (see truth.ts), when asked for. */
  customerTruth?: CustomerTruth[];
}

interface Tally {
  orders: number;
  kept: number;
  keptLastYear: number;
  channels: { online_store: number; pos: number; other: number };
  typeUnits: Map<string, number>;
  discounted: number;
  refunded: number;
  cancelled: number;
  netCents: number;
  listCents: number;
  discountCents: number;
  costedNetCents: number;
  costCents: number;
}

const emptyTally = (): Tally => ({
  orders: 0,
  kept: 0,
  keptLastYear: 0,
  channels: { online_store: 0, pos: 0, other: 0 },
  typeUnits: new Map(),
  discounted: 0,
  refunded: 0,
  cancelled: 0,
  netCents: 0,
  listCents: 0,
  discountCents: 0,
  costedNetCents: 0,
  costCents: 0,
});

interface CustomerTrack {
  archetype: Archetype;
  orders: number;
  firstMs: number;
  lastMs: number;
  netCents: number;
  subscribed: boolean;
  sms: boolean;
  /** Orders not cancelled. */
  kept: number;
}

const round = (x: number, places = 4): number => (Number.isFinite(x) ? Number(x.toFixed(places)) : 0);
const ratio = (a: number, b: number): number => round(b === 0 ? 0 : a / b);

function shares(counts: ReadonlyMap<string, number>): Record<string, number> {
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  return Object.fromEntries([...counts].sort(([x], [y]) => x.localeCompare(y)).map(([k, n]) => [k, ratio(n, total)]));
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Folds orders one at a time, so a streamed million-order store can be summarised too. */
export class SummaryBuilder {
  private readonly asOfMs: number;
  private readonly tracks = new Map<string, CustomerTrack>();
  private readonly all = emptyTally();
  private readonly byArchetype = new Map<Archetype, Tally>(ARCHETYPES.map((a) => [a, emptyTally()]));
  private readonly byMonth = new Map<string, number>();
  private readonly codeUsage: Record<string, number> = {};
  private guest = 0;
  private automatic = 0;
  private markdown = 0;
  private refundedCents = 0;
  private shippingCents = 0;
  private taxCents = 0;
  private testOrders = 0;
  private readonly perCustomer: TruthBuilder | null;

  constructor(
    private readonly header: { shop: string; products: number; variants: number; variantsWithoutCost: number; productTypes?: ReadonlyMap<string, string> },
    customers: readonly FakeCustomer[],
    truth: GroundTruth,
    options: { perCustomer?: boolean; ianaTimezone?: string } = {},
  ) {
    this.asOfMs = Date.parse(truth.asOf);
    this.perCustomer = options.perCustomer ? new TruthBuilder(customers, options.ianaTimezone ?? "UTC", this.asOfMs) : null;
    for (const c of customers) {
      const archetype = truth.archetypeByCustomerId.get(c.id);
      if (archetype === undefined) continue;
      this.tracks.set(c.id, { archetype, orders: 0, firstMs: Infinity, lastMs: -Infinity, netCents: 0, subscribed: c.emailMarketingState === "SUBSCRIBED", sms: c.smsMarketingState === "SUBSCRIBED", kept: 0 });
    }
  }

  add(order: FakeOrder): void {
    this.perCustomer?.add(order);
    if (order.test) {
      this.testOrders += 1;
      return;
    }
    const createdMs = Date.parse(order.createdAt);
    const track = order.customerId === null ? undefined : this.tracks.get(order.customerId);
    const tallies = track ? [this.all, this.byArchetype.get(track.archetype) ?? emptyTally()] : [this.all];
    let net = 0;
    let list = 0;
    let discount = 0;
    let costedNet = 0;
    let cost = 0;
    let markedDown = false;
    for (const line of order.lineItems) {
      const unit = parseCents(line.originalUnitPrice);
      const compareAt = line.compareAtPrice === null ? unit : Math.max(unit, parseCents(line.compareAtPrice));
      if (compareAt > unit) markedDown = true;
      const allocated = line.discountAllocations.reduce((s, a) => s + parseCents(a.amount), 0);
      const lineNet = unit * line.quantity - allocated;
      net += lineNet;
      list += compareAt * line.quantity;
      discount += (compareAt - unit) * line.quantity + allocated;
      if (line.unitCost !== null) {
        costedNet += lineNet;
        cost += parseCents(line.unitCost) * line.quantity;
      }
    }
    const discounted = markedDown || order.discountApplications.length > 0;
    const kept = order.cancelledAt === null;
    const channel = order.sourceName === "web" ? "online_store" : order.sourceName === "pos" ? "pos" : "other";
    for (const t of tallies) {
      if (kept) {
        t.kept += 1;
        if (createdMs > this.asOfMs - 365 * DAY_MS && createdMs <= this.asOfMs) t.keptLastYear += 1;
        t.channels[channel] += 1;
        for (const line of order.lineItems) {
          const type = line.giftCard || line.productId === null ? undefined : this.header.productTypes?.get(line.productId);
          const units = line.quantity - (line.removedQuantity ?? 0);
          if (type !== undefined && units > 0) t.typeUnits.set(type, (t.typeUnits.get(type) ?? 0) + units);
        }
      }
      t.orders += 1;
      t.discounted += discounted ? 1 : 0;
      t.refunded += order.refunds.length > 0 && order.cancelledAt === null ? 1 : 0;
      t.cancelled += order.cancelledAt !== null ? 1 : 0;
      t.netCents += net;
      t.listCents += list;
      t.discountCents += discount;
      t.costedNetCents += costedNet;
      t.costCents += cost;
    }
    if (track) {
      track.orders += 1;
      if (kept) track.kept += 1;
      track.firstMs = Math.min(track.firstMs, createdMs);
      track.lastMs = Math.max(track.lastMs, createdMs);
      track.netCents += net;
    } else this.guest += 1;
    const month = order.createdAt.slice(0, 7);
    this.byMonth.set(month, (this.byMonth.get(month) ?? 0) + 1);
    for (const code of order.discountCodes) this.codeUsage[code] = (this.codeUsage[code] ?? 0) + 1;
    if (order.discountApplications.some((a) => a.type === "AUTOMATIC")) this.automatic += 1;
    if (markedDown) this.markdown += 1;
    for (const refund of order.refunds) this.refundedCents += parseCents(refund.totalRefunded);
    this.shippingCents += parseCents(order.shippingPrice);
    this.taxCents += parseCents(order.totalTax);
  }

  private archetypeSummary(archetype: Archetype): ArchetypeSummary {
    const tally = this.byArchetype.get(archetype) ?? emptyTally();
    const tracks = [...this.tracks.values()].filter((t) => t.archetype === archetype && t.orders > 0);
    const spend = tracks.map((t) => t.netCents / 100).sort((a, b) => a - b);
    const repeat = tracks.filter((t) => t.orders > 1);
    const keptTracks = tracks.filter((t) => t.kept > 0);
    const mean = (xs: readonly number[]): number => round(xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length, 2);
    return {
      customers: [...this.tracks.values()].filter((t) => t.archetype === archetype).length,
      orders: tally.orders,
      ordersPerCustomer: round(tracks.length === 0 ? 0 : tally.orders / tracks.length, 2),
      averageOrderValue: round(tally.orders === 0 ? 0 : tally.netCents / 100 / tally.orders, 2),
      spendPerCustomer: { mean: mean(spend), p50: quantile(spend, 0.5), p90: quantile(spend, 0.9), max: spend.at(-1) ?? 0 },
      discountedOrderShare: ratio(tally.discounted, tally.orders),
      discountDepth: ratio(tally.discountCents, tally.listCents),
      grossMargin: ratio(tally.costedNetCents - tally.costCents, tally.costedNetCents),
      refundedOrderShare: ratio(tally.refunded, tally.orders),
      cancelledOrderShare: ratio(tally.cancelled, tally.orders),
      emailSubscribedShare: ratio(tracks.filter((t) => t.subscribed).length, tracks.length),
      meanDaysSinceLastOrder: mean(tracks.map((t) => (this.asOfMs - t.lastMs) / DAY_MS)),
      meanDaysSinceFirstOrder: mean(tracks.map((t) => (this.asOfMs - t.firstMs) / DAY_MS)),
      meanGapDays: mean(repeat.map((t) => (t.lastMs - t.firstMs) / DAY_MS / (t.orders - 1))),
      ordersLastYearPerCustomer: round(keptTracks.length === 0 ? 0 : tally.keptLastYear / keptTracks.length),
      channelShares: {
        online_store: ratio(tally.channels.online_store, tally.kept),
        pos: ratio(tally.channels.pos, tally.kept),
        other: ratio(tally.channels.other, tally.kept),
      },
      productTypeShares: shares(tally.typeUnits),
      smsSubscribedShare: ratio(keptTracks.filter((t) => t.sms).length, keptTracks.length),
    };
  }

  result(): StoreSummary {
    const a = this.all;
    return {
      shop: this.header.shop,
      asOf: new Date(this.asOfMs).toISOString(),
      customers: this.tracks.size,
      products: this.header.products,
      variants: this.header.variants,
      variantsWithoutCost: this.header.variantsWithoutCost,
      orders: {
        total: a.orders,
        guest: this.guest,
        perCustomer: round(this.tracks.size === 0 ? 0 : (a.orders - this.guest) / this.tracks.size, 2),
        cancelled: a.cancelled,
        refunded: a.refunded,
        byMonth: Object.fromEntries([...this.byMonth].sort(([x], [y]) => x.localeCompare(y))),
      },
      revenue: {
        gross: round((a.netCents + a.discountCents) / 100, 2),
        discounts: round(a.discountCents / 100, 2),
        net: round(a.netCents / 100, 2),
        refunded: round(this.refundedCents / 100, 2),
        shipping: round(this.shippingCents / 100, 2),
        tax: round(this.taxCents / 100, 2),
      },
      discountedOrderShare: ratio(a.discounted, a.orders),
      codeUsage: Object.fromEntries(Object.entries(this.codeUsage).sort(([x], [y]) => x.localeCompare(y))),
      automaticDiscountOrders: this.automatic,
      markdownOrders: this.markdown,
      grossMargin: ratio(a.costedNetCents - a.costCents, a.costedNetCents),
      byArchetype: Object.fromEntries(ARCHETYPES.map((x) => [x, this.archetypeSummary(x)])) as Record<Archetype, ArchetypeSummary>,
      testOrders: this.testOrders,
      ...(this.perCustomer ? { customerTruth: this.perCustomer.result() } : {}),
    };
  }
}

export function summaryBuilderFor(store: Omit<FakeStoreData, "orders">, options: { perCustomer?: boolean } = {}): SummaryBuilder {
  const variants = store.products.flatMap((p) => p.variants);
  return new SummaryBuilder(
    {
      shop: store.shop.domain,
      products: store.products.length,
      variants: variants.length,
      variantsWithoutCost: variants.filter((v) => v.unitCost === null).length,
      productTypes: new Map(store.products.map((p) => [p.id, p.productType])),
    },
    store.customers,
    store.truth,
    { perCustomer: options.perCustomer, ianaTimezone: store.shop.ianaTimezone },
  );
}

/** The store's summary; `perCustomer` adds every customer's ground truth (truth.ts). */
export function summarize(store: FakeStoreData, options: { perCustomer?: boolean } = {}): StoreSummary {
  const builder = summaryBuilderFor(store, options);
  for (const order of store.orders) builder.add(order);
  return builder.result();
}
