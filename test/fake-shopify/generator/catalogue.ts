import type { FakeProduct, FakeVariant, Money } from "../store/model";
import { DAY_MS, isoSeconds } from "./calendar";
import { ID_BASE, IdSequence } from "./ids";
import { formatCents } from "./money";
import { WeightedPool } from "./pool";
import type { Rng } from "./rng";

export type Tier = "premium" | "core" | "value";
export const TIERS: readonly Tier[] = ["premium", "core", "value"];

export interface CatalogueItem {
  readonly product: FakeProduct;
  readonly variant: FakeVariant;
  readonly tier: Tier;
  readonly priceCents: number;
  readonly costCents: number | null;
  /** Permanently marked down against compare-at price. */
  readonly clearance: boolean;
  /** Joins store-wide sales (BFCM, January, July). */
  readonly saleEligible: boolean;
  /** What the line shows in each sale state; money strings are shared to keep a big store lean. */
  readonly regular: Quote;
  readonly sale20: Quote;
  readonly sale30: Quote;
}

export interface Quote {
  readonly unitCents: number;
  readonly unit: Money;
  readonly compareAt: Money | null;
}

export interface Catalogue {
  readonly products: FakeProduct[];
  readonly byTier: Readonly<Record<Tier, WeightedPool<CatalogueItem>>>;
  readonly clearance: WeightedPool<CatalogueItem>;
  readonly saleEligible: WeightedPool<CatalogueItem>;
}

interface ProductKind {
  type: string;
  code: string;
  nouns: readonly string[];
  options: readonly string[];
  priceFactor: number;
}

const KINDS: readonly ProductKind[] = [
  { type: "Apparel", code: "APP", nouns: ["Shirt", "Sweater", "Jacket", "Tee", "Hoodie", "Cardigan"], options: ["S", "M", "L", "XL"], priceFactor: 1 },
  { type: "Footwear", code: "FTW", nouns: ["Sneaker", "Loafer", "Boot", "Sandal"], options: ["7", "8", "9", "10", "11"], priceFactor: 1.5 },
  { type: "Accessories", code: "ACC", nouns: ["Tote", "Wallet", "Belt", "Scarf", "Cap"], options: ["Black", "Tan", "Olive"], priceFactor: 0.8 },
  { type: "Home", code: "HOM", nouns: ["Candle", "Throw", "Mug", "Vase", "Cushion"], options: ["Small", "Large"], priceFactor: 0.9 },
  { type: "Beauty", code: "BTY", nouns: ["Serum", "Balm", "Cleanser", "Body Oil"], options: ["Default Title"], priceFactor: 0.7 },
  { type: "Pantry", code: "PNT", nouns: ["Coffee Beans", "Loose Tea", "Granola", "Olive Oil"], options: ["Default Title"], priceFactor: 0.45 },
];
const ADJECTIVES = ["Classic", "Everyday", "Heritage", "Coastal", "Alpine", "Studio", "Weekend", "Essential", "Nordic", "Field", "Harbor", "Canyon"];
const MATERIALS = ["Linen", "Merino", "Organic Cotton", "Leather", "Ceramic", "Cedar", "Wool", "Canvas", "Oak", "Suede", "Botanical", "Single-Origin"];
const VENDORS = ["Northwind Goods", "Atelier Nine", "Field & Co", "Harbor Supply"];
/** Value-tier products are the store's Basics line, made by one supplier: what volume customers buy most. */
export const VALUE_PRODUCT_TYPE = "Basics";
export const VALUE_VENDOR = "Harbor Supply";

const TIER_SHARE = [0.25, 0.45, 0.3];
const TIER_MEDIAN_CENTS: Record<Tier, number> = { premium: 8500, core: 3800, value: 1800 };
const TIER_SIGMA: Record<Tier, number> = { premium: 0.55, core: 0.45, value: 0.4 };
const TIER_MARGIN: Record<Tier, readonly [number, number]> = { premium: [0.55, 0.75], core: [0.35, 0.55], value: [0.15, 0.3] };
const MIN_SALE_MARGIN = 0.05;

function charmPrice(cents: number, rng: Rng): number {
  const dollars = Math.max(3, Math.round(cents / 100));
  const ending = rng.pick([0, 0, 95, 99]);
  return ending === 0 ? dollars * 100 : (dollars - 1) * 100 + ending;
}

function salePrice(priceCents: number, costCents: number | null, percent: number): number {
  const reduced = Math.round(priceCents * (1 - percent / 100));
  if (costCents === null) return reduced;
  return Math.min(priceCents, Math.max(reduced, Math.ceil(costCents / (1 - MIN_SALE_MARGIN))));
}

export function productCountFor(customers: number): number {
  return Math.min(300, Math.max(50, Math.round(50 + customers / 40)));
}

export function buildCatalogue(
  rng: Rng,
  count: number,
  brand: string,
  window: { shopCreatedMs: number; historyStartMs: number; asOfMs: number },
): Catalogue {
  const { shopCreatedMs, historyStartMs, asOfMs } = window;
  const productIds = new IdSequence(ID_BASE.product);
  const variantIds = new IdSequence(ID_BASE.variant);
  const inventoryIds = new IdSequence(ID_BASE.inventoryItem);
  const products: FakeProduct[] = [];
  const items: CatalogueItem[] = [];
  const titles = new Set<string>();

  for (let p = 0; p < count; p++) {
    const kind = rng.pick(KINDS);
    const tier = TIERS[rng.weighted(TIER_SHARE)];
    let title = "";
    do title = `${rng.pick(ADJECTIVES)} ${rng.pick(MATERIALS)} ${rng.pick(kind.nouns)}`;
    while (titles.has(title) && titles.size < 5000);
    if (titles.has(title)) title = `${title} ${p}`;
    titles.add(title);

    const createdMs = Math.max(shopCreatedMs + DAY_MS, historyStartMs - rng.int(1, 240) * DAY_MS - rng.int(0, 86_399) * 1000);
    const productId = productIds.next();
    // The vendor is drawn for every product, so the random stream is the same whatever the tier.
    const drawnVendor = rng.chance(0.6) ? brand : rng.pick(VENDORS);
    const product: FakeProduct = {
      id: productId,
      title,
      productType: tier === "value" ? VALUE_PRODUCT_TYPE : kind.type,
      vendor: tier === "value" ? VALUE_VENDOR : tier === "premium" ? brand : drawnVendor,
      createdAt: isoSeconds(createdMs),
      updatedAt: isoSeconds(createdMs + rng.float(0, 1) * (asOfMs - createdMs)),
      variants: [],
    };
    const priceCents = charmPrice(rng.logNormal(TIER_MEDIAN_CENTS[tier] * kind.priceFactor, TIER_SIGMA[tier]), rng);
    const [lo, hi] = TIER_MARGIN[tier];
    const costUnknown = rng.chance(0.07);
    const clearanceShare = tier === "value" ? 0.3 : tier === "core" ? 0.06 : 0;
    const saleEligible = tier !== "premium" && rng.chance(tier === "value" ? 0.6 : 0.35);
    const optionCount = kind.options.length === 1 ? 1 : rng.int(2, kind.options.length);

    for (let v = 0; v < optionCount; v++) {
      const option = kind.options[v];
      const variantPrice = option === "Large" ? charmPrice(priceCents * 1.3, rng) : priceCents;
      const costCents = costUnknown || rng.chance(0.02) ? null : Math.round(variantPrice * (1 - rng.float(lo, hi)));
      const clearance = rng.chance(clearanceShare);
      const compareAt = clearance ? charmPrice(variantPrice / (1 - rng.float(0.2, 0.5)), rng) : null;
      const variant: FakeVariant = {
        id: variantIds.next(),
        productId,
        title: option,
        sku: `${kind.code}-${String(p + 1).padStart(4, "0")}-${v + 1}`,
        price: formatCents(variantPrice),
        compareAtPrice: compareAt !== null && compareAt > variantPrice ? formatCents(compareAt) : null,
        inventoryItemId: inventoryIds.next(),
        unitCost: costCents === null ? null : formatCents(costCents),
      };
      product.variants.push(variant);
      items.push({
        product,
        variant,
        tier,
        priceCents: variantPrice,
        costCents,
        clearance: variant.compareAtPrice !== null,
        saleEligible: saleEligible && variant.compareAtPrice === null,
        regular: { unitCents: variantPrice, unit: variant.price, compareAt: variant.compareAtPrice },
        sale20: saleQuote(variant, variantPrice, costCents, 20),
        sale30: saleQuote(variant, variantPrice, costCents, 30),
      });
    }
    products.push(product);
  }

  // Popularity falls off with rank (Zipf-like), so a few products dominate sales.
  const rank = new Map(products.map((product, i) => [product, i]));
  const popularity = (item: CatalogueItem): number =>
    1 / Math.pow(1 + (rank.get(item.product) ?? 0), 0.7) / item.product.variants.length;
  const pool = (filter: (item: CatalogueItem) => boolean) => new WeightedPool(items.filter(filter), popularity);
  const byTier = {
    premium: pool((i) => i.tier === "premium"),
    core: pool((i) => i.tier === "core"),
    value: pool((i) => i.tier === "value"),
  };
  for (const tier of TIERS) {
    if (byTier[tier].size === 0) throw new Error(`catalogue has no ${tier} products; raise the product count`);
  }
  return { products, byTier, clearance: pool((i) => i.clearance), saleEligible: pool((i) => i.saleEligible) };
}

function saleQuote(variant: FakeVariant, priceCents: number, costCents: number | null, percent: number): Quote {
  const unitCents = salePrice(priceCents, costCents, percent);
  if (unitCents >= priceCents) return { unitCents: priceCents, unit: variant.price, compareAt: variant.compareAtPrice };
  return { unitCents, unit: formatCents(unitCents), compareAt: variant.price };
}

/** What a variant sold for at a moment, and the compare-at price shown beside it. */
export function quoteAt(item: CatalogueItem, salePercent: number): Quote {
  if (!item.saleEligible) return item.regular;
  if (salePercent === 30) return item.sale30;
  if (salePercent === 20) return item.sale20;
  return item.regular;
}

export function isMarkedDown(quote: Quote): boolean {
  return quote.compareAt !== null;
}
