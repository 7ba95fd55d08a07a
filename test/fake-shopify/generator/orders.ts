import type { FakeDiscountApplication, FakeLineItem, FakeOrder, FakeTaxLine } from "../store/model";
import { BEHAVIOUR, type Behaviour, type Buyer, SOURCES } from "./behaviour";
import { isBfcm, isoSeconds, salePercentAt } from "./calendar";
import { type Catalogue, type CatalogueItem, isMarkedDown, type Quote, quoteAt, TIERS } from "./catalogue";
import {
  allocateAcross,
  allocateEach,
  applyProductCode,
  BUNDLE_AND_SAVE,
  BUNDLE_MIN_ITEMS,
  BUNDLE_PERCENT,
  FREESHIP,
  lineTotal,
  type PricedLine,
  PRODUCT_CODES,
  type ProductCodeName,
  SPEND_AND_SAVE,
  SPEND_MIN_CENTS,
  SPEND_PERCENT,
} from "./discounts";
import { FIRST_ORDER_NUMBER, ID_BASE, type IdSequence } from "./ids";
import { allocate, formatCents } from "./money";
import type { Rng } from "./rng";
import { includedTaxCents, settle, type SoldLine } from "./settlement";
import { editDelayMs, payWithGiftCard, presentmentRateText, type ShapeCatalogue, type StoreShapes, TEST_GATEWAY } from "./shapes";

export interface OrderBuyer {
  readonly kind: Buyer;
  readonly customerId: string | null;
  readonly email: string | null;
  readonly spendScaleCents: number;
  readonly dealProb: number;
  readonly taxRate: number;
  /** This buyer's own taste over premium, core and value products. */
  readonly tierWeights: readonly [number, number, number];
  /** With shapes: the checkout phone (phone-only buyers), a foreign currency, a test order. */
  readonly phone?: string | null;
  readonly presentment?: { readonly currency: string; readonly rate: number } | null;
  readonly test?: boolean;
}

export interface OrderShapeContext {
  readonly shapes: StoreShapes;
  readonly extras: ShapeCatalogue;
  /** Orders created at or after this instant have taxes included; Infinity when never. */
  readonly taxesIncludedFromMs: number;
  /** Another variant of the same product selling at the same price right now, for a size swap. */
  readonly siblingOf: (variantId: string, createdMs: number) => { item: CatalogueItem; quote: Quote } | null;
  readonly ids: { readonly lineItem: IdSequence; readonly transaction: IdSequence };
}

export interface OrderFactory {
  readonly catalogue: Catalogue;
  readonly currency: string;
  readonly asOfMs: number;
  readonly ids: {
    readonly lineItem: IdSequence;
    readonly refund: IdSequence;
    readonly refundLineItem: IdSequence;
  };
  readonly shapes?: OrderShapeContext;
}

type Deal = { kind: "none" } | { kind: "markdown" } | { kind: "automatic" } | { kind: "code"; code: ProductCodeName | "FREESHIP" };

interface DraftLine extends PricedLine {
  readonly item: CatalogueItem;
  readonly quote: Quote;
}

const FREE_SHIPPING_FROM_CENTS = 7500;
const SHIPPING_RATES = ["5.95", "8.95"] as const;
const SHIPPING_CENTS = [595, 895] as const;

function chooseDeal(buyer: OrderBuyer, behaviour: Behaviour, ordinal: number, createdMs: number, rng: Rng): Deal {
  if (ordinal === 0 && rng.chance(behaviour.welcomeCode)) return { kind: "code", code: "WELCOME10" };
  if (!rng.chance(buyer.dealProb)) return { kind: "none" };
  const kind = rng.weighted(behaviour.dealKinds);
  if (kind === 1) return { kind: "automatic" };
  if (kind === 2) return { kind: "markdown" };
  if (isBfcm(createdMs) && rng.chance(0.8)) return { kind: "code", code: "BFCM30" };
  return { kind: "code", code: (["SALE20", "TAKE5", "FREESHIP"] as const)[rng.weighted([0.5, 0.25, 0.25])] };
}

function pickItem(catalogue: Catalogue, buyer: OrderBuyer, behaviour: Behaviour, hunting: boolean, salePercent: number, rng: Rng): CatalogueItem {
  if (hunting) {
    const pool = salePercent > 0 && catalogue.saleEligible.size > 0 && rng.chance(0.6) ? catalogue.saleEligible : catalogue.clearance;
    if (pool.size > 0) return pool.pick(rng);
  }
  for (let attempt = 0; attempt < 4; attempt++) {
    const item = catalogue.byTier[TIERS[rng.weighted(buyer.tierWeights)]].pick(rng);
    if (!isMarkedDown(quoteAt(item, salePercent)) || !rng.chance(behaviour.avoidMarkdown)) return item;
  }
  // Premium products are never marked down.
  return catalogue.byTier.premium.pick(rng);
}

function fillBasket(
  catalogue: Catalogue,
  buyer: OrderBuyer,
  behaviour: Behaviour,
  targetCents: number,
  wantMarkdown: boolean,
  salePercent: number,
  rng: Rng,
): DraftLine[] {
  const lines: DraftLine[] = [];
  let subtotal = 0;
  while (lines.length < behaviour.maxLines && subtotal < targetCents) {
    const hunting = wantMarkdown && (lines.length === 0 || rng.chance(0.5));
    const item = pickItem(catalogue, buyer, behaviour, hunting, salePercent, rng);
    const quote = quoteAt(item, salePercent);
    const quantity = rng.chance(behaviour.extraQuantity) ? (rng.chance(0.25) ? 3 : 2) : 1;
    const same = lines.find((l) => l.item === item);
    if (same) same.quantity += quantity;
    else lines.push({ item, quote, unitCents: quote.unitCents, quantity, allocations: [], discountCents: 0 });
    subtotal += quote.unitCents * quantity;
  }
  return lines;
}

function applyAutomatic(lines: DraftLine[], applications: FakeDiscountApplication[]): void {
  const items = lines.reduce((s, l) => s + l.quantity, 0);
  const subtotal = lines.reduce((s, l) => s + lineTotal(l), 0);
  if (items < BUNDLE_MIN_ITEMS && subtotal >= SPEND_MIN_CENTS) {
    applications.push(SPEND_AND_SAVE);
    allocateAcross(lines, Math.round((subtotal * SPEND_PERCENT) / 100), applications.length - 1);
    return;
  }
  // A shopper chasing the bundle deal adds a second unit to qualify.
  if (items < BUNDLE_MIN_ITEMS) lines[0].quantity = BUNDLE_MIN_ITEMS;
  applications.push(BUNDLE_AND_SAVE);
  allocateEach(lines, BUNDLE_PERCENT, applications.length - 1);
}

export function orderId(position: number): string {
  return (ID_BASE.order + BigInt(position)).toString();
}

const EXCLUSIVE_TAX_TITLE = "State Tax";

function taxLine(title: string, rate: number, cents: number): FakeTaxLine[] {
  return cents > 0 ? [{ title, rate, price: formatCents(cents) }] : [];
}

function extraLine(factory: OrderFactory, item: CatalogueItem): FakeLineItem {
  return {
    id: factory.ids.lineItem.next(),
    productId: item.product.id,
    variantId: item.variant.id,
    title: item.product.title,
    sku: item.variant.sku,
    quantity: 1,
    originalUnitPrice: item.variant.price,
    compareAtPrice: item.variant.compareAtPrice,
    unitCost: item.variant.unitCost,
    discountAllocations: [],
    ...(item.product.giftCard ? { giftCard: true } : {}),
  };
}

/**
 * One order, fully priced and settled; `position` is its rank by createdAt in the store.
 * `shapeRng` draws the issue-11 shapes when the factory has them; the rest of the order
 * is drawn from `rng` exactly as without shapes.
 */
export function buildOrder(
  factory: OrderFactory,
  buyer: OrderBuyer,
  ordinal: number,
  createdMs: number,
  position: number,
  rng: Rng,
  shapeRng?: Rng,
): FakeOrder {
  const sx = factory.shapes && shapeRng ? { ctx: factory.shapes, rng: shapeRng } : null;
  const wantsGiftCard = sx !== null && !buyer.test && sx.rng.chance(sx.ctx.shapes.giftCardPurchaseShare);
  const giftCardOnly = sx !== null && wantsGiftCard && sx.rng.chance(sx.ctx.shapes.giftCardOnlyShare);
  const giftCardItem = sx !== null && wantsGiftCard ? sx.rng.pick(sx.ctx.extras.giftCards) : null;
  const freeGift = sx !== null && !giftCardOnly && sx.rng.chance(sx.ctx.shapes.freeGiftShare);
  const behaviour = BEHAVIOUR[buyer.kind];
  const salePercent = salePercentAt(createdMs);
  const deal = chooseDeal(buyer, behaviour, ordinal, createdMs, rng);
  const target = rng.logNormal(buyer.spendScaleCents, 0.4) * (1 + behaviour.growthPerOrder * ordinal);
  const lines = fillBasket(factory.catalogue, buyer, behaviour, target, deal.kind === "markdown", salePercent, rng);
  const sourceName = SOURCES[rng.weighted(behaviour.sources)];

  const applications: FakeDiscountApplication[] = [];
  const codes: string[] = [];
  if (deal.kind === "automatic") applyAutomatic(lines, applications);
  if (deal.kind === "code" && deal.code !== "FREESHIP") {
    const code = PRODUCT_CODES[deal.code];
    const subtotal = lines.reduce((s, l) => s + lineTotal(l), 0);
    const usable = subtotal >= code.minSubtotalCents ? code : PRODUCT_CODES.SALE20;
    applications.push(usable.application);
    codes.push(usable.application.code ?? deal.code);
    applyProductCode(lines, usable, applications.length - 1);
  }

  const netSubtotal = lines.reduce((s, l) => s + lineTotal(l) - l.discountCents, 0);
  const shippingIndex = sourceName === "pos" || netSubtotal >= FREE_SHIPPING_FROM_CENTS ? -1 : rng.int(0, 1);
  const wantsFreeShipping =
    deal.kind === "code" && (deal.code === "FREESHIP" || (buyer.kind === "volume" && rng.chance(0.15)));
  let shippingCents = shippingIndex < 0 ? 0 : SHIPPING_CENTS[shippingIndex];
  let shipping: string = shippingIndex < 0 ? "0.00" : SHIPPING_RATES[shippingIndex];
  if (wantsFreeShipping && shippingCents > 0) {
    applications.push(FREESHIP);
    codes.push("FREESHIP");
    shippingCents = 0;
    shipping = "0.00";
  } else if (deal.kind === "code" && deal.code === "FREESHIP") {
    // Shipping was already free, so the shopper reaches for a product code instead.
    applications.push(PRODUCT_CODES.SALE20.application);
    codes.push("SALE20");
    applyProductCode(lines, PRODUCT_CODES.SALE20, applications.length - 1);
  }

  if (giftCardOnly) {
    // A gift card alone: nothing to ship, nothing discounted.
    lines.length = 0;
    applications.length = 0;
    codes.length = 0;
    shippingCents = 0;
    shipping = "0.00";
  }
  const sold: SoldLine[] = lines.map((draft) => ({
    netCents: lineTotal(draft) - draft.discountCents,
    taxCents: 0,
    refundable: true,
    line: {
      id: factory.ids.lineItem.next(),
      productId: draft.item.product.id,
      variantId: draft.item.variant.id,
      title: draft.item.product.title,
      sku: draft.item.variant.sku,
      quantity: draft.quantity,
      originalUnitPrice: draft.quote.unit,
      compareAtPrice: draft.quote.compareAt,
      unitCost: draft.item.variant.unitCost,
      discountAllocations: draft.allocations,
    },
  }));
  if (giftCardItem) sold.push({ line: extraLine(factory, giftCardItem), netCents: giftCardItem.priceCents, taxCents: 0, refundable: false });
  if (freeGift && sx) sold.push({ line: extraLine(factory, sx.ctx.extras.freeGift), netCents: 0, taxCents: 0, refundable: false });

  // Gift cards are never taxed. Tax-exclusive: round((taxable + shipping) × rate) on top,
  // split over lines and shipping. Tax-inclusive: each line and shipping holds round(gross × r / (1 + r)).
  const taxesIncluded = sx !== null && createdMs >= sx.ctx.taxesIncludedFromMs;
  const taxable = sold.map((s) => (s.line.giftCard ? 0 : s.netCents));
  const taxRate = taxesIncluded && sx ? sx.ctx.shapes.includedTax.rate : buyer.taxRate;
  const taxTitle = taxesIncluded && sx ? sx.ctx.shapes.includedTax.title : EXCLUSIVE_TAX_TITLE;
  let shares: number[];
  if (taxesIncluded) {
    shares = [...taxable, shippingCents].map((gross) => includedTaxCents(gross, taxRate));
  } else {
    const finalSubtotal = taxable.reduce((s, x) => s + x, 0);
    shares = allocate(Math.round((finalSubtotal + shippingCents) * taxRate), [...taxable, shippingCents]);
  }
  const taxCents = shares.reduce((s, x) => s + x, 0);
  const shippingTaxCents = shares[sold.length];
  const taxedSold: SoldLine[] = sold.map((s, i) => {
    const tax = shares[i];
    const lineTaxes = taxLine(taxTitle, taxRate, tax);
    if (lineTaxes.length > 0) s.line.taxLines = lineTaxes;
    return { ...s, taxCents: tax };
  });
  const settlement = settle(
    { lines: taxedSold, shippingCents, shippingTaxCents, taxCents, taxRate, taxesIncluded },
    createdMs,
    factory.asOfMs,
    behaviour,
    rng,
    factory.ids,
  );
  const createdAt = isoSeconds(createdMs);

  const order: FakeOrder = {
    id: orderId(position),
    name: `#${FIRST_ORDER_NUMBER + position}`,
    customerId: buyer.customerId,
    email: buyer.email,
    createdAt,
    processedAt: createdAt,
    updatedAt: settlement.updatedMs === createdMs ? createdAt : isoSeconds(settlement.updatedMs),
    cancelledAt: settlement.cancelledAt,
    cancelReason: settlement.cancelReason,
    closedAt: settlement.closedAt,
    currency: factory.currency,
    financialStatus: settlement.financialStatus,
    sourceName,
    lineItems: sold.map((s) => s.line),
    shippingPrice: shipping,
    totalTax: formatCents(taxCents),
    discountCodes: codes,
    discountApplications: applications,
    refunds: settlement.refunds,
    tags: rng.chance(0.03) ? ["gift"] : [],
  };
  if (sx) {
    const paid = taxedSold.reduce((s, l) => s + l.netCents, 0) + shippingCents + (taxesIncluded ? 0 : taxCents);
    applyShapes(order, { factory, ctx: sx.ctx, rng: sx.rng, buyer, createdMs, paidCents: paid, taxesIncluded });
  }
  return order;
}

interface ShapeInput {
  readonly factory: OrderFactory;
  readonly ctx: OrderShapeContext;
  readonly rng: Rng;
  readonly buyer: OrderBuyer;
  readonly createdMs: number;
  readonly paidCents: number;
  readonly taxesIncluded: boolean;
}

/** The shapes decided once the order is priced and settled. */
function applyShapes(order: FakeOrder, input: ShapeInput): void {
  const { ctx, rng, buyer } = input;
  const shapes = ctx.shapes;
  if (input.taxesIncluded) order.taxesIncluded = true;
  if (buyer.test) {
    order.test = true;
    order.paymentGatewayNames = [TEST_GATEWAY];
  }
  if (buyer.presentment) {
    order.presentmentCurrency = buyer.presentment.currency;
    order.presentmentRate = presentmentRateText(buyer.presentment.rate, rng);
  }
  if (order.email === null) {
    const phone = buyer.phone ?? (buyer.customerId === null && rng.chance(shapes.guestPhoneShare) ? guestPhone(order.id) : null);
    if (phone) order.phone = phone;
  }
  // A return the merchant took back without paying anything: a refund record, no transaction.
  let restockOnly = false;
  if (order.cancelledAt === null) {
    for (const refund of order.refunds) {
      if (rng.chance(shapes.restockOnlyShare)) {
        refund.transactions = [];
        refund.totalRefunded = "0.00";
        refund.refundLineItems.forEach((r) => (r.restockType = "RETURN"));
        restockOnly = true;
      }
    }
    if (restockOnly && order.refunds.every((r) => r.totalRefunded === "0.00")) order.financialStatus = "PAID";
  }
  if (!buyer.test && order.financialStatus !== "VOIDED" && order.financialStatus !== "AUTHORIZED" && rng.chance(shapes.giftCardRedemptionShare)) {
    payWithGiftCard(order, input.paidCents, rng, ctx.ids.transaction);
  }
  if (rng.chance(shapes.editShare)) swapLine(order, input);
}

/** Fictional phone numbers (555-01xx is reserved for fiction in North America). */
const guestPhone = (orderId: string): string => `+1202555${orderId.slice(-4)}`;

/**
 * An order edit before fulfilment: one undiscounted line is swapped for a sibling variant
 * at the same price (a size swap). The old line keeps its `quantity` with all units
 * removed; the new line is added at the edit. No money moves.
 */
function swapLine(order: FakeOrder, input: ShapeInput): void {
  if (order.cancelledAt !== null || order.test) return;
  const editMs = input.createdMs + editDelayMs(input.rng);
  const firstRefundMs = Math.min(...order.refunds.map((r) => Date.parse(r.createdAt)));
  if (editMs >= input.factory.asOfMs || editMs >= firstRefundMs || (order.closedAt !== null && editMs >= Date.parse(order.closedAt))) return;
  const refunded = new Set(order.refunds.flatMap((r) => r.refundLineItems.map((x) => x.lineItemId)));
  const candidates = order.lineItems.filter(
    (l) => l.variantId !== null && !l.giftCard && !refunded.has(l.id) && l.discountAllocations.length === 0 && l.originalUnitPrice !== "0.00",
  );
  if (candidates.length === 0) return;
  const line = input.rng.pick(candidates);
  const sibling = input.ctx.siblingOf(line.variantId ?? "", input.createdMs);
  if (!sibling || sibling.quote.unit !== line.originalUnitPrice) return;
  const editedAt = isoSeconds(editMs);
  line.removedQuantity = line.quantity;
  order.lineItems.push({
    id: input.ctx.ids.lineItem.next(),
    productId: sibling.item.product.id,
    variantId: sibling.item.variant.id,
    title: sibling.item.product.title,
    sku: sibling.item.variant.sku,
    quantity: line.quantity,
    originalUnitPrice: line.originalUnitPrice,
    compareAtPrice: sibling.quote.compareAt,
    unitCost: sibling.item.variant.unitCost,
    discountAllocations: [],
    ...(line.taxLines ? { taxLines: line.taxLines.map((t) => ({ ...t })) } : {}),
    addedAt: editedAt,
  });
  order.editedAt = editedAt;
  if (Date.parse(order.updatedAt) < editMs) order.updatedAt = editedAt;
}
