// The shapes real stores send and tidy data hides (issue 11): a tax-inclusive price
// setting, a shop time zone far from UTC, presentment currencies, gift cards, test
// orders, order edits, restock-only returns, phone-only and guest buyers, zero-priced
// gift lines. Each is drawn from its own random stream, so a store without shapes is
// byte-identical to what the generator made before they existed.
import type { FakeOrder, FakeProduct, FakeTransaction, FakeVariant } from "../store/model";
import type { CatalogueItem } from "./catalogue";
import { HOUR_MS, isoSeconds } from "./calendar";
import { ID_BASE, IdSequence } from "./ids";
import { formatCents } from "./money";
import type { Rng } from "./rng";
import { offsetMinutes } from "../util/timezone";

export interface StoreShapes {
  /** The shop's IANA time zone; order times follow the diurnal curve in it. */
  ianaTimezone: string;
  /** Orders from this instant on have taxes included in their prices (the shop switched); null: never. */
  taxesIncludedFrom: string | null;
  /** The included tax: Shopify's tax line title and rate (a fraction). */
  includedTax: { title: string; rate: number };
  /** Share of customers (and guest checkouts) paying in another currency. */
  presentmentShare: number;
  /** Presentment currencies and their rate per shop unit. */
  presentmentCurrencies: readonly { currency: string; rate: number }[];
  /** Share of orders that buy a gift card; `giftCardOnlyShare` of those buy nothing else. */
  giftCardPurchaseShare: number;
  giftCardOnlyShare: number;
  /** Share of orders paid, partly or wholly, with a gift card. */
  giftCardRedemptionShare: number;
  /** Test orders (bogus gateway) placed by the owner's account and as guests; null sizes it to the store. */
  testOrders: number | null;
  /** Share of orders edited after checkout: a line swapped for a same-priced sibling variant. */
  editShare: number;
  /** Share of returns that are restock only: goods back, no money moved. */
  restockOnlyShare: number;
  /** Share of orders with a free gift: a 0.00 line with a compare-at price and a real unit cost. */
  freeGiftShare: number;
  /** Share of repeat customers with a same-evening top-up order (two orders, one shop day). */
  topUpShare: number;
  /** Share of email-less guest checkouts that leave a phone number. */
  guestPhoneShare: number;
}

export const DEFAULT_SHAPES: StoreShapes = {
  ianaTimezone: "America/Mexico_City",
  taxesIncludedFrom: null, // resolved to the middle of the history
  includedTax: { title: "IVA", rate: 0.16 },
  presentmentShare: 0.12,
  presentmentCurrencies: [
    { currency: "CAD", rate: 1.3642 },
    { currency: "EUR", rate: 0.9218 },
    { currency: "MXN", rate: 17.0615 },
  ],
  giftCardPurchaseShare: 0.025,
  giftCardOnlyShare: 0.4,
  giftCardRedemptionShare: 0.03,
  testOrders: null,
  editShare: 0.03,
  restockOnlyShare: 0.25,
  freeGiftShare: 0.04,
  topUpShare: 0.04,
  guestPhoneShare: 0.6,
};

/** `true` gives the defaults; an object overrides some of them. */
export type ShapesOption = boolean | Partial<StoreShapes>;

export function resolveShapes(option: ShapesOption | undefined, startMs: number, asOfMs: number): StoreShapes | null {
  if (!option) return null;
  const shapes = { ...DEFAULT_SHAPES, ...(option === true ? {} : option) };
  if (shapes.taxesIncludedFrom === null && !(option !== true && "taxesIncludedFrom" in option)) {
    shapes.taxesIncludedFrom = isoSeconds(startMs + (asOfMs - startMs) / 2);
  }
  offsetMinutes(asOfMs, shapes.ianaTimezone); // throws RangeError for an unknown zone
  return shapes;
}

export interface ShapeCatalogue {
  readonly products: FakeProduct[];
  readonly giftCards: readonly CatalogueItem[];
  readonly freeGift: CatalogueItem;
}

const GIFT_CARD_AMOUNTS = [2500, 5000, 10000];

/** A gift card product (25, 50, 100) and a free-gift tote (0.00, compare-at 12.00, cost 3.10), after the catalogue's ids. */
export function shapeCatalogue(productCount: number, variantCount: number, createdAt: string): ShapeCatalogue {
  const productIds = new IdSequence(ID_BASE.product + BigInt(productCount));
  const variantIds = new IdSequence(ID_BASE.variant + BigInt(variantCount));
  const inventoryIds = new IdSequence(ID_BASE.inventoryItem + BigInt(variantCount));
  const giftCard: FakeProduct = { id: productIds.next(), title: "Gift Card", productType: "Gift Cards", vendor: "Shop", createdAt, updatedAt: createdAt, variants: [], giftCard: true };
  const giftCards = GIFT_CARD_AMOUNTS.map((cents) => {
    const variant: FakeVariant = {
      id: variantIds.next(),
      productId: giftCard.id,
      title: `$${cents / 100}`,
      sku: `GIFT-${cents / 100}`,
      price: formatCents(cents),
      compareAtPrice: null,
      inventoryItemId: inventoryIds.next(),
      unitCost: null,
    };
    giftCard.variants.push(variant);
    return item(giftCard, variant, cents, null);
  });
  const tote: FakeProduct = { id: productIds.next(), title: "Gift With Purchase Tote", productType: "Promotional", vendor: "Shop", createdAt, updatedAt: createdAt, variants: [] };
  const toteVariant: FakeVariant = {
    id: variantIds.next(),
    productId: tote.id,
    title: "Default Title",
    sku: "GWP-TOTE",
    price: "0.00",
    compareAtPrice: "12.00",
    inventoryItemId: inventoryIds.next(),
    unitCost: "3.10",
  };
  tote.variants.push(toteVariant);
  return { products: [giftCard, tote], giftCards, freeGift: item(tote, toteVariant, 0, 310) };
}

function item(product: FakeProduct, variant: FakeVariant, priceCents: number, costCents: number | null): CatalogueItem {
  const quote = { unitCents: priceCents, unit: variant.price, compareAt: variant.compareAtPrice };
  return { product, variant, tier: "value", priceCents, costCents, clearance: false, saleEligible: false, regular: quote, sale20: quote, sale30: quote };
}

/** A wall-clock time in the shop's zone, as a UTC instant (the zone's offset at that moment). */
export function shopWallToUtc(wallMs: number, zone: string): number {
  const guess = wallMs - offsetMinutes(wallMs, zone) * 60_000;
  return wallMs - offsetMinutes(guess, zone) * 60_000;
}

/** A presentment rate drifting a little around its base, written as Shopify-style decimal text. */
export function presentmentRateText(base: number, rng: Rng): string {
  return (base * (1 + rng.float(-0.02, 0.02))).toFixed(4);
}

/** Pays part or all of the order with a gift card: two sale transactions, gift card first. */
export function payWithGiftCard(order: FakeOrder, totalCents: number, rng: Rng, ids: IdSequence): void {
  const cardCents = Math.min(totalCents, rng.pick(GIFT_CARD_AMOUNTS));
  const sales: FakeTransaction[] = [{ id: ids.next(), kind: "sale", gateway: "gift_card", amount: formatCents(cardCents), createdAt: order.processedAt }];
  if (totalCents > cardCents) {
    sales.push({ id: ids.next(), kind: "sale", gateway: "shopify_payments", amount: formatCents(totalCents - cardCents), createdAt: order.processedAt });
  }
  order.transactions = sales;
  order.paymentGatewayNames = sales.map((t) => t.gateway);
}

export const TEST_GATEWAY = "bogus";

/** Hours after checkout when an edit happens (before fulfilment). */
export const editDelayMs = (rng: Rng): number => Math.floor(rng.float(1, 20) * HOUR_MS / 1000) * 1000;
