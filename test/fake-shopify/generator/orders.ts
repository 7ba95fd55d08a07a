import type { FakeDiscountApplication, FakeOrder } from "../store/model";
import { BEHAVIOUR, type Behaviour, type Buyer } from "./behaviour";
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
import { formatCents } from "./money";
import type { Rng } from "./rng";
import { settle, type SoldLine } from "./settlement";

export interface OrderBuyer {
  readonly kind: Buyer;
  readonly customerId: string | null;
  readonly email: string | null;
  readonly spendScaleCents: number;
  readonly dealProb: number;
  readonly taxRate: number;
  /** This buyer's own taste over premium, core and value products. */
  readonly tierWeights: readonly [number, number, number];
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
}

type Deal = { kind: "none" } | { kind: "markdown" } | { kind: "automatic" } | { kind: "code"; code: ProductCodeName | "FREESHIP" };

interface DraftLine extends PricedLine {
  readonly item: CatalogueItem;
  readonly quote: Quote;
}

const FREE_SHIPPING_FROM_CENTS = 7500;
const SHIPPING_RATES = ["5.95", "8.95"] as const;
const SHIPPING_CENTS = [595, 895] as const;
const SOURCES = ["web", "iphone", "android", "pos", "shopify_draft_order"];
const SOURCE_WEIGHTS = [0.8, 0.06, 0.05, 0.05, 0.04];

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

/** One order, fully priced and settled; `position` is its rank by createdAt in the store. */
export function buildOrder(
  factory: OrderFactory,
  buyer: OrderBuyer,
  ordinal: number,
  createdMs: number,
  position: number,
  rng: Rng,
): FakeOrder {
  const behaviour = BEHAVIOUR[buyer.kind];
  const salePercent = salePercentAt(createdMs);
  const deal = chooseDeal(buyer, behaviour, ordinal, createdMs, rng);
  const target = rng.logNormal(buyer.spendScaleCents, 0.4) * (1 + behaviour.growthPerOrder * ordinal);
  const lines = fillBasket(factory.catalogue, buyer, behaviour, target, deal.kind === "markdown", salePercent, rng);
  const sourceName = SOURCES[rng.weighted(SOURCE_WEIGHTS)];

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

  const sold: SoldLine[] = lines.map((draft) => ({
    netCents: lineTotal(draft) - draft.discountCents,
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
  const finalSubtotal = sold.reduce((s, l) => s + l.netCents, 0);
  const taxCents = Math.round((finalSubtotal + shippingCents) * buyer.taxRate);
  const settlement = settle(
    { lines: sold, shippingCents, taxCents, taxRate: buyer.taxRate },
    createdMs,
    factory.asOfMs,
    behaviour,
    rng,
    factory.ids,
  );
  const createdAt = isoSeconds(createdMs);

  return {
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
}
