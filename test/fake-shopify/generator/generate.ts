import type { Archetype, FakeCustomer, FakeOrder, FakeProduct, FakeShop, FakeStoreData, GroundTruth, Plan } from "../store/model";
import { BEHAVIOUR, personalTierWeights } from "./behaviour";
import { DAY_MS, isoSeconds } from "./calendar";
import { buildCatalogue, type CatalogueItem, productCountFor, quoteAt } from "./catalogue";
import { salePercentAt } from "./calendar";
import { localDate } from "../util/timezone";
import { resolveShapes, shapeCatalogue, type ShapesOption, shopWallToUtc, type StoreShapes } from "./shapes";
import { ID_BASE, IdSequence } from "./ids";
import { archetypeCounts, shuffledArchetypes } from "./mix";
import { buildOrder, type OrderBuyer, type OrderFactory, type OrderShapeContext } from "./orders";
import { accountCreatedMs, guestEmail, makePerson, taxRateFor } from "./people";
import { Rng, Stream } from "./rng";
import { guestOrderTime, makeTimeline, orderTimes, REPEAT_ARCHETYPES } from "./timing";

export interface GenerateOptions {
  seed: number;
  shopDomain: string;
  customers: number;
  /** The store's "now": nothing happens after it. */
  asOf?: Date;
  years?: number;
  currency?: string;
  plan?: Plan;
  archetypeMix?: Partial<Record<Archetype, number>>;
  /** Total orders wanted (roughly); scales how often repeat buyers order. Default ≈ 10 per customer. */
  targetOrders?: number;
  products?: number;
  /** Guest checkouts (no customer) as a share of customers' orders. */
  guestOrderShare?: number;
  /**
   * Mix in the shapes real stores send (see `shapes.ts` and the README): `true` for the
   * defaults, an object to override some. Off by default, so a plain store stays as it was.
   */
  shapes?: ShapesOption;
}

export interface StoreStream {
  readonly shop: FakeShop;
  readonly products: FakeProduct[];
  readonly customers: FakeCustomer[];
  readonly truth: GroundTruth;
  readonly orderCount: number;
  /** The shapes mixed in, or null. */
  readonly shapes: StoreShapes | null;
  /** Orders by createdAt, built one at a time; every pass yields the same orders. */
  orders(): Generator<FakeOrder>;
}

export const DEFAULT_AS_OF = new Date("2026-11-01T00:00:00Z");
export const DEFAULT_YEARS = 2.5;
const DEFAULT_GUEST_SHARE = 0.04;
// How far one customer's taste may stray from their archetype's: the realistic overlap.
const TASTE_BLEND = 0.4;
const YEAR_MS = 365.25 * DAY_MS;

function validate(options: GenerateOptions): void {
  if (!Number.isSafeInteger(options.seed)) throw new RangeError("seed must be an integer");
  if (!Number.isSafeInteger(options.customers) || options.customers < 0) throw new RangeError("customers must be a non-negative integer");
  if ((options.years ?? DEFAULT_YEARS) < 1.5) throw new RangeError("years must be at least 1.5 for the archetypes to fit");
  if (options.targetOrders !== undefined && !(options.targetOrders > 0)) throw new RangeError("targetOrders must be positive");
}

function makeShop(options: GenerateOptions, startMs: number, rng: Rng, shapes: StoreShapes | null): FakeShop {
  const handle = options.shopDomain.replace(/\.myshopify\.com$/, "");
  const name = handle
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
  return {
    domain: options.shopDomain,
    id: (ID_BASE.shop + BigInt(rng.int(0, 999_999))).toString(),
    name,
    email: `owner@${handle}.example`,
    currency: options.currency ?? "USD",
    plan: options.plan ?? "advanced",
    createdAt: isoSeconds(startMs - rng.int(30, 300) * DAY_MS - rng.int(0, 86_399) * 1000),
    ...(shapes ? { ianaTimezone: shapes.ianaTimezone, taxesIncluded: shapes.taxesIncludedFrom !== null } : {}),
  };
}

/**
 * With shapes, each planned instant is read as the shop's wall clock (the diurnal curve
 * is the shop's), so evening orders west of UTC fall on the next UTC day. An instant
 * the shift would push past asOf stays where it was.
 */
function toShopTime(times: Timelines, zone: string, asOfMs: number): Timelines {
  return times.map((t) =>
    t
      .map((ms) => {
        const shifted = shopWallToUtc(ms, zone);
        return shifted < asOfMs ? shifted : ms;
      })
      .sort((a, b) => a - b),
  );
}

/** Some repeat customers top up an order the same evening: two orders, one shop day. */
function addTopUps(times: Timelines, archetypes: readonly Archetype[], shapes: StoreShapes, seed: number, asOfMs: number): Timelines {
  return times.map((t, i) => {
    if (!REPEAT_ARCHETYPES.has(archetypes[i]) || t.length === 0) return t;
    const rng = new Rng(seed, Stream.shape, i, 1);
    if (!rng.chance(shapes.topUpShare)) return t;
    const k = rng.int(0, t.length - 1);
    const topUp = Math.floor((t[k] + rng.float(20, 150) * 60_000) / 1000) * 1000;
    const next = k + 1 < t.length ? t[k + 1] : asOfMs;
    if (topUp >= next || localDate(isoSeconds(topUp), shapes.ianaTimezone) !== localDate(isoSeconds(t[k]), shapes.ianaTimezone)) return t;
    return [...t, topUp].sort((a, b) => a - b);
  });
}

type Timelines = number[][];

function planTimes(options: GenerateOptions, archetypes: readonly Archetype[], startMs: number, asOfMs: number, rateFactor: number): Timelines {
  const timeline = makeTimeline(startMs, asOfMs, rateFactor);
  return archetypes.map((a, i) => orderTimes(a, timeline, new Rng(options.seed, Stream.customer, i, 0)));
}

/** Repeat buyers' frequency is tuned (a few secant steps) until the order count nears the target. */
function planForTarget(options: GenerateOptions, archetypes: readonly Archetype[], startMs: number, asOfMs: number, guestShare: number): Timelines {
  let rateFactor = 1;
  let times = planTimes(options, archetypes, startMs, asOfMs, rateFactor);
  if (options.targetOrders === undefined) return times;
  const wanted = options.targetOrders / (1 + guestShare);
  for (let step = 0; step < 3; step++) {
    let fixed = 0;
    let repeat = 0;
    times.forEach((t, i) => (REPEAT_ARCHETYPES.has(archetypes[i]) ? (repeat += t.length) : (fixed += t.length)));
    if (repeat === 0 || Math.abs(fixed + repeat - wanted) < 0.01 * wanted) break;
    rateFactor = Math.min(10, Math.max(0.1, (rateFactor * Math.max(wanted - fixed, 1)) / repeat));
    times = planTimes(options, archetypes, startMs, asOfMs, rateFactor);
  }
  return times;
}

export function streamStore(options: GenerateOptions): StoreStream {
  validate(options);
  const { seed } = options;
  const asOfMs = (options.asOf ?? DEFAULT_AS_OF).getTime();
  const startMs = asOfMs - (options.years ?? DEFAULT_YEARS) * YEAR_MS;
  const guestShare = options.guestOrderShare ?? DEFAULT_GUEST_SHARE;
  const shapes = resolveShapes(options.shapes, startMs, asOfMs);
  const shop = makeShop(options, startMs, new Rng(seed, Stream.shop), shapes);
  const shopCreatedMs = Date.parse(shop.createdAt);
  const catalogue = buildCatalogue(
    new Rng(seed, Stream.catalogue),
    options.products ?? productCountFor(options.customers),
    shop.name,
    { shopCreatedMs, historyStartMs: startMs, asOfMs },
  );

  const archetypes = shuffledArchetypes(archetypeCounts(options.customers, options.archetypeMix), new Rng(seed, Stream.mix));
  let times = planForTarget(options, archetypes, startMs, asOfMs, guestShare);
  if (shapes) times = addTopUps(toShopTime(times, shapes.ianaTimezone, asOfMs), archetypes, shapes, seed, asOfMs);
  const createdMs = times.map((t, i) => accountCreatedMs(t[0], shopCreatedMs, new Rng(seed, Stream.customer, i, 1)));

  // Shopify hands out customer ids in creation order.
  const byCreation = archetypes.map((_, i) => i).sort((a, b) => createdMs[a] - createdMs[b] || a - b);
  const customers: FakeCustomer[] = new Array<FakeCustomer>(archetypes.length);
  const buyers: OrderBuyer[] = new Array<OrderBuyer>(archetypes.length);
  const archetypeByCustomerId = new Map<string, Archetype>();
  byCreation.forEach((i, rank) => {
    const archetype = archetypes[i];
    const id = (ID_BASE.customer + BigInt(rank)).toString();
    const rng = new Rng(seed, Stream.customer, i, 2);
    const person = makePerson(id, archetype, createdMs[i], times[i][times[i].length - 1], asOfMs, rng);
    const behaviour = BEHAVIOUR[archetype];
    customers[rank] = person.customer;
    buyers[i] = {
      kind: archetype,
      customerId: id,
      email: person.customer.email,
      spendScaleCents: rng.logNormal(behaviour.spendMedianCents, behaviour.spendSigma),
      dealProb: rng.float(behaviour.dealProb[0], behaviour.dealProb[1]),
      taxRate: person.taxRate,
      tierWeights: personalTierWeights(behaviour, rng.float(0, TASTE_BLEND)),
      ...(shapes ? shapeBuyer(shapes, person.customer.email === null ? person.customer.phone : null, new Rng(seed, Stream.shape, i, 2)) : {}),
    };
    archetypeByCustomerId.set(id, archetype);
  });

  const customerOrders = times.reduce((s, t) => s + t.length, 0);
  const guestOrders = Math.round(customerOrders * guestShare);
  const testTimes = shapes ? planTestOrders(shapes, customerOrders + guestOrders, createdMs[byCreation[0]] ?? startMs, startMs, asOfMs, seed) : [];
  const total = customerOrders + guestOrders + testTimes.length;
  const when = new Float64Array(total);
  // owner >= 0: customer index (ordinal = nth order); -guestOrders <= owner < 0: guest checkout
  // number -owner-1; below that: test order number -owner-guestOrders-1.
  const owner = new Int32Array(total);
  const ordinal = new Int32Array(total);
  let k = 0;
  times.forEach((t, i) =>
    t.forEach((ms, n) => {
      when[k] = ms;
      owner[k] = i;
      ordinal[k++] = n;
    }),
  );
  const timeline = makeTimeline(startMs, asOfMs, 1);
  for (let g = 0; g < guestOrders; g++) {
    const planned = guestOrderTime(timeline, new Rng(seed, Stream.guest, g, 0));
    const shifted = shapes ? shopWallToUtc(planned, shapes.ianaTimezone) : planned;
    when[k] = shifted < asOfMs ? shifted : planned;
    owner[k] = -g - 1;
    ordinal[k++] = 0;
  }
  testTimes.forEach((ms, t) => {
    when[k] = ms;
    owner[k] = -guestOrders - t - 1;
    ordinal[k++] = 0;
  });
  const sequence = new Uint32Array(total).map((_, j) => j);
  sequence.sort((a, b) => when[a] - when[b] || owner[a] - owner[b] || ordinal[a] - ordinal[b]);

  const currency = shop.currency;
  function* orders(): Generator<FakeOrder> {
    const factory: OrderFactory = {
      catalogue,
      currency,
      asOfMs,
      ids: {
        lineItem: new IdSequence(ID_BASE.lineItem),
        refund: new IdSequence(ID_BASE.refund),
        refundLineItem: new IdSequence(ID_BASE.refundLineItem),
      },
      ...(shapeContext ? { shapes: shapeContext() } : {}),
    };
    const shapeRng = (position: number): Rng | undefined => (shapes ? new Rng(seed, Stream.shape, position, 3) : undefined);
    for (let position = 0; position < total; position++) {
      const j = sequence[position];
      const who = owner[j];
      if (who >= 0) {
        yield buildOrder(factory, buyers[who], ordinal[j], when[j], position, new Rng(seed, Stream.order, who, ordinal[j]), shapeRng(position));
        continue;
      }
      if (who < -guestOrders) {
        const t = -who - guestOrders - 1;
        const rng = new Rng(seed, Stream.shape, t, 4);
        const ownerIndex = byCreation[0];
        const byOwner = t % 2 === 0 && ownerIndex !== undefined && Date.parse(customers[0].createdAt) <= when[j];
        const tester: OrderBuyer = {
          kind: "guest",
          customerId: byOwner ? customers[0].id : null,
          email: byOwner ? customers[0].email : shop.email,
          spendScaleCents: rng.logNormal(BEHAVIOUR.guest.spendMedianCents, BEHAVIOUR.guest.spendSigma),
          dealProb: 0,
          taxRate: taxRateFor(rng),
          tierWeights: BEHAVIOUR.guest.tierWeights,
          test: true,
        };
        yield buildOrder(factory, tester, 0, when[j], position, rng, shapeRng(position));
        continue;
      }
      const rng = new Rng(seed, Stream.guest, -who - 1, 1);
      const guest: OrderBuyer = {
        kind: "guest",
        customerId: null,
        email: guestEmail(-who, rng),
        spendScaleCents: rng.logNormal(BEHAVIOUR.guest.spendMedianCents, BEHAVIOUR.guest.spendSigma),
        dealProb: BEHAVIOUR.guest.dealProb[0],
        taxRate: taxRateFor(rng),
        tierWeights: BEHAVIOUR.guest.tierWeights,
        ...(shapes ? shapeBuyer(shapes, null, new Rng(seed, Stream.shape, -who - 1, 5)) : {}),
      };
      yield buildOrder(factory, guest, 0, when[j], position, rng, shapeRng(position));
    }
  }

  const extras = shapes ? shapeCatalogue(catalogue.products.length, catalogue.products.reduce((s, p) => s + p.variants.length, 0), isoSeconds(startMs)) : null;
  const shapeContext =
    shapes && extras
      ? (): OrderShapeContext => {
          const byVariant = new Map<string, CatalogueItem>();
          for (const tier of ["premium", "core", "value"] as const) for (const item of catalogue.byTier[tier].items) byVariant.set(item.variant.id, item);
          return {
            shapes,
            extras,
            taxesIncludedFromMs: shapes.taxesIncludedFrom === null ? Infinity : Date.parse(shapes.taxesIncludedFrom),
            siblingOf: (variantId, createdMs) => {
              const item = byVariant.get(variantId);
              if (!item) return null;
              const sale = salePercentAt(createdMs);
              const unit = quoteAt(item, sale).unit;
              for (const v of item.product.variants) {
                const other = byVariant.get(v.id);
                if (!other || other === item) continue;
                const quote = quoteAt(other, sale);
                if (quote.unit === unit) return { item: other, quote };
              }
              return null;
            },
            ids: { lineItem: new IdSequence(ID_BASE.lineItem + EDIT_LINE_OFFSET), transaction: new IdSequence(ID_BASE.transaction) },
          };
        }
      : null;

  return {
    shop,
    products: extras ? [...catalogue.products, ...extras.products] : catalogue.products,
    customers,
    truth: { archetypeByCustomerId, seed, asOf: isoSeconds(asOfMs) },
    orderCount: total,
    shapes,
    orders,
  };
}

// Lines added by order edits get ids from their own range, above any checkout line's.
const EDIT_LINE_OFFSET = 50_000_000_000n;

/** A buyer's shapes: a foreign currency for some, the checkout phone for phone-only buyers. */
function shapeBuyer(shapes: StoreShapes, phone: string | null, rng: Rng): Pick<OrderBuyer, "phone" | "presentment"> {
  const foreign = rng.chance(shapes.presentmentShare) && shapes.presentmentCurrencies.length > 0;
  return { phone, presentment: foreign ? rng.pick(shapes.presentmentCurrencies) : null };
}

/**
 * Test orders: the owner checks out a few times in the first weeks (half of them with
 * their own customer account, the store's first), and once in a while later on.
 */
function planTestOrders(shapes: StoreShapes, realOrders: number, ownerCreatedMs: number, startMs: number, asOfMs: number, seed: number): number[] {
  const count = shapes.testOrders ?? Math.min(30, Math.max(3, Math.round(realOrders * 0.002)));
  const rng = new Rng(seed, Stream.shape, 0, 6);
  const times: number[] = [];
  let at = Math.max(ownerCreatedMs, startMs);
  for (let t = 0; t < count; t++) {
    at += (t < 4 ? rng.float(0.05, 3) : rng.float(10, 90)) * DAY_MS;
    if (at >= asOfMs) break;
    times.push(Math.floor(at / 1000) * 1000);
  }
  return times;
}

export function generateStore(options: GenerateOptions): FakeStoreData {
  const stream = streamStore(options);
  const orders = new Array<FakeOrder>(stream.orderCount);
  let i = 0;
  for (const order of stream.orders()) orders[i++] = order;
  return { shop: stream.shop, products: stream.products, customers: stream.customers, truth: stream.truth, orders };
}
