import { parse } from "csv-parse";
import { Readable } from "node:stream";
import { calendarDay } from "../scoring/days";
import type { CustomerHistory, OrderSummary } from "../scoring/types";
import { fromCents, scaleCents, splitCents, toCents } from "./money";
import { type LineRecord, orderSummary, type RefundRecord } from "./record";

// Shopify admin's orders export (one row per line item; order fields on the first row
// of each order) and products export, read into the order record's rules (./record.ts).
// What the export cannot say exactly is estimated, as noted where it happens.

/** Where and why an export could not be read. Never carries cell values: they may be customer data. */
export interface ExportError {
  file: "orders" | "products";
  /** Spreadsheet row: the header is row 1. */
  row: number;
  column: string | null;
  message: string;
}

export type ExportResult<T> = { ok: true; value: T } | { ok: false; error: ExportError };

export interface ProductCost {
  unitCost: number | null;
  compareAtPrice: number | null;
  /** The products export's "Gift Card" column: selling one is not revenue. */
  giftCard?: boolean;
  /** The product's Type and Vendor (written on its first row only); null when blank. */
  productType?: string | null;
  vendor?: string | null;
}

export interface OrdersExportStats {
  rows: number;
  orders: number;
  customers: number;
  /** Orders left out because they carry neither an email nor a phone (guest checkouts, POS walk-ins). */
  ordersWithoutContact: number;
  /** Orders left out as test orders (the bogus gateway). */
  testOrders: number;
  lines: number;
  linesWithCost: number;
  currencies: string[];
  latestOrderAt: Date | null;
}

export interface OrdersExport {
  histories: CustomerHistory[];
  stats: OrdersExportStats;
}

type Input = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

const ORDER_REQUIRED = ["Name", "Email", "Created at", "Lineitem quantity", "Lineitem price"] as const;
const PRODUCT_REQUIRED = ["Variant SKU", "Cost per item"] as const;

class RowError extends Error {
  constructor(
    readonly column: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** Streams CSV records with their spreadsheet row number; the file is never held whole in memory. */
async function* records(input: Input): AsyncGenerator<{ row: number; cells: string[] }> {
  const parser = Readable.from(input).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: false }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
    yield { row: item.info.records, cells: item.record };
  }
}

interface Columns {
  get(cells: string[], name: string): string;
}

function headerColumns(header: string[], required: readonly string[], file: ExportError["file"]): Columns | ExportError {
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  for (const name of required) {
    if (!index.has(name)) return { file, row: 1, column: name, message: `missing required column "${name}"` };
  }
  return {
    get: (cells, name) => {
      const i = index.get(name);
      return i === undefined ? "" : (cells[i] ?? "").trim();
    },
  };
}

function number(value: string, column: string, fallback: number | null): number | null {
  if (value === "") return fallback;
  const cleaned = value.replace(/,/g, "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) throw new RowError(column, "not a number");
  return Number(cleaned);
}

function requiredNumber(value: string, column: string): number {
  const n = number(value, column, null);
  if (n === null) throw new RowError(column, "missing value");
  return n;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/;

/** Shopify writes "2024-03-05 14:22:10 -0500"; ISO 8601 and bare dates are accepted too. */
export function parseShopifyDate(value: string, column: string): Date {
  return parseShopifyTimestamp(value, column).at;
}

/**
 * A timestamp of the export with its shop-calendar day: the date as written, in the shop's
 * offset (scoring/days.ts counts days the same way).
 */
export function parseShopifyTimestamp(value: string, column: string): { at: Date; day: number } {
  const m = DATE_TIME.exec(value);
  if (!m) throw new RowError(column, value === "" ? "missing date" : "not a date");
  const [, y, mo, d, h = "0", mi = "0", s = "0", zone] = m;
  const calendar = new Date(Date.UTC(+y, +mo - 1, +d));
  if (calendar.getUTCMonth() !== +mo - 1 || calendar.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) {
    throw new RowError(column, "not a date");
  }
  let offsetMinutes = 0;
  if (zone && zone !== "Z" && zone !== "UTC") {
    const digits = zone.replace(":", "");
    const sign = digits.startsWith("-") ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return { at: new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - offsetMinutes * 60_000), day: calendarDay(+y, +mo, +d) };
}

function yesNo(value: string): boolean {
  return /^(yes|true|1)$/i.test(value);
}

export async function parseProductsExport(input: Input): Promise<ExportResult<Map<string, ProductCost>>> {
  const costs = new Map<string, ProductCost>();
  // Product columns are filled in on a product's first row only; its other variants share them by Handle.
  const productOf = new Map<string, { productType: string | null; vendor: string | null }>();
  let columns: Columns | null = null;
  let row = 0;
  try {
    for await (const record of records(input)) {
      row = record.row;
      if (columns === null) {
        const header = headerColumns(record.cells, PRODUCT_REQUIRED, "products");
        if ("message" in header) return { ok: false, error: header };
        columns = header;
        continue;
      }
      const handle = columns.get(record.cells, "Handle");
      let product = productOf.get(handle);
      if (product === undefined || handle === "") {
        product = { productType: columns.get(record.cells, "Type") || null, vendor: columns.get(record.cells, "Vendor") || null };
        if (handle !== "") productOf.set(handle, product);
      }
      const sku = columns.get(record.cells, "Variant SKU");
      if (sku === "") continue;
      costs.set(sku, {
        ...product,
        unitCost: number(columns.get(record.cells, "Cost per item"), "Cost per item", null),
        compareAtPrice: number(columns.get(record.cells, "Variant Compare At Price"), "Variant Compare At Price", null),
        giftCard: yesNo(columns.get(record.cells, "Gift Card")),
      });
    }
  } catch (e) {
    return { ok: false, error: toExportError(e, "products", row) };
  }
  if (columns === null) return { ok: false, error: { file: "products", row: 1, column: null, message: "empty file" } };
  return { ok: true, value: costs };
}

interface ExportLine {
  quantity: number;
  price: string;
  compareAtPrice: string | null;
  discount: string;
  unitCost: string | null;
  productType: string | null;
  vendor: string | null;
}

interface OrderDraft {
  name: string;
  id: string;
  key: string;
  acceptsMarketing: boolean;
  at: Date;
  day: number;
  cancelled: boolean;
  test: boolean;
  codes: string[];
  discountAmount: string;
  subtotal: string | null;
  shipping: string;
  taxes: string;
  total: string | null;
  refunded: string;
  /** The tax rate of the order's tax lines ("VAT 20%", "IVA 16%"), in thousandths of a percent; null when not written. */
  taxRate: bigint | null;
  /** The Source column: Shopify's source name ("web", "pos", …). */
  sourceName: string | null;
  lines: ExportLine[];
}

/** The rate written in the Tax n Name columns, summed over them; null when none names one. */
function taxRate(names: string[]): bigint | null {
  let rate: bigint | null = null;
  for (const name of names) {
    const m = /(\d+(?:\.\d{1,3})?)\s*%/.exec(name);
    if (m) rate = (rate ?? 0n) + BigInt(Math.round(Number(m[1]) * 1000));
  }
  return rate;
}

const cents = (value: string, column: string): string => {
  if (value === "") return "0.00";
  const cleaned = value.replace(/,/g, "");
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(cleaned)) throw new RowError(column, "not a number");
  return fromCents(toCents(cleaned.startsWith(".") ? `0${cleaned}` : cleaned));
};

/**
 * One export order under the record's rules: its goods lines (tax taken out where the
 * prices include it), and its refund as product revenue.
 * - Prices include tax when Total = Subtotal + Shipping while Taxes > 0 (VAT shops). The
 *   export does not split Taxes between goods and shipping: each line's tax is computed from
 *   the rate in the Tax n Name columns ("VAT 20%"), else all of Taxes is the goods'.
 * - Order discounts on goods: line value − Subtotal (Subtotal is after discounts and excludes
 *   shipping, so a shipping discount is not taken off goods); without Subtotal, Discount Amount.
 * - Refunded Amount is money, with tax and shipping: all of it back (≥ Total) returns the
 *   goods; less returns goods and their tax in proportion (shipping assumed kept).
 */
function exportOrder(draft: OrderDraft): OrderSummary {
  const gross = draft.lines.reduce((sum, l) => sum + toCents(l.price) * BigInt(l.quantity), 0n);
  const lineDiscounts = draft.lines.reduce((sum, l) => sum + toCents(l.discount), 0n);
  const subtotal = draft.subtotal === null ? null : toCents(draft.subtotal);
  const orderDiscount = subtotal === null ? toCents(draft.discountAmount) : gross - subtotal;
  const discount = orderDiscount > lineDiscounts ? orderDiscount : lineDiscounts;
  const goods = gross - discount;
  const shipping = toCents(draft.shipping);
  const taxes = toCents(draft.taxes);
  const total = draft.total === null ? null : toCents(draft.total);
  const inclusive = taxes > 0n && total !== null && subtotal !== null && abs(total - (subtotal + shipping)) <= 1n;
  const lineNet = draft.lines.map((l) => toCents(l.price) * BigInt(l.quantity) - toCents(l.discount));
  // With the rate written in the tax names, each line's tax is computed as Shopify does, per
  // line and rounded, so what is left of Taxes is shipping's. Without it, all of Taxes is
  // taken as the goods' (exact where shipping is untaxed), spread over the lines by value.
  const rate = draft.taxRate;
  const byRate =
    taxes > 0n && rate !== null && rate > 0n
      ? lineNet.map((v) => (v > 0n ? scaleCents(v, rate, inclusive ? 100_000n + rate : 100_000n) : 0n))
      : null;
  const rated = byRate?.reduce((a, b) => a + b, 0n) ?? null;
  const useRate = byRate !== null && rated !== null && rated <= taxes;
  // Tax added on top may be rounded once per order rather than per line: up to a cent per line
  // more than Taxes still reads as the written rate (Taxes less than that is shipping's tax).
  const rateHolds = byRate !== null && rated !== null && rated <= taxes + BigInt(byRate.length);
  const goodsTax = taxes <= 0n ? 0n : useRate ? rated! : taxes;
  // Unallocated order discounts are spread by the features.
  const lineTax = !inclusive
    ? draft.lines.map(() => 0n)
    : useRate
      ? byRate!
      : splitCents(goodsTax, lineNet.map((v) => (v > 0n ? v : 0n)));
  const lines: LineRecord[] = draft.lines.map((l, i) => ({
    id: BigInt(i),
    productId: null,
    variantId: null,
    title: "",
    sku: null,
    quantity: l.quantity,
    price: l.price,
    compareAtPrice: l.compareAtPrice,
    discountAllocated: l.discount,
    taxIncluded: fromCents(lineTax[i]),
    unitCost: l.unitCost,
    productType: l.productType,
    vendor: l.vendor,
  }));
  const goodsNet = goods - (inclusive ? goodsTax : 0n);
  const refundedMoney = toCents(draft.refunded);
  let productRefund = 0n;
  if (refundedMoney > 0n && goodsNet > 0n) {
    if (total !== null && refundedMoney >= total) productRefund = goodsNet;
    else {
      // Goods and their tax, shipping kept: the tax comes out at the written rate when there is one.
      productRefund =
        rateHolds && rate !== null
          ? inclusive
            ? refundedMoney - scaleCents(refundedMoney, rate, 100_000n + rate)
            : goodsBeforeTax(refundedMoney, rate)
          : scaleCents(refundedMoney, goodsNet, goodsNet + goodsTax);
      if (productRefund > goodsNet) productRefund = goodsNet;
    }
  }
  const refunds: RefundRecord[] =
    productRefund > 0n ? [{ id: 0n, processedAt: draft.at, amount: fromCents(productRefund), returnedQuantity: 0 }] : [];
  const summary = orderSummary(
    {
      id: draft.id,
      processedAt: draft.at,
      cancelledAt: draft.cancelled ? draft.at : null,
      lines,
      discountCodes: draft.codes,
      // The export cannot tell an automatic discount from a code apart from the missing code.
      hasAutomaticDiscount: discount > 0n && draft.codes.length === 0,
      totalDiscounts: fromCents(discount),
      refunds,
      sourceName: draft.sourceName,
    },
    draft.day,
  );
  // The export says nothing of returned units.
  delete summary.returnedQuantity;
  return summary;
}

/** The goods amount g whose tax at `rate` (thousandths of a percent), rounded per Shopify, brings it to `total`. */
function goodsBeforeTax(total: bigint, rate: bigint): bigint {
  const guess = scaleCents(total, 100_000n, 100_000n + rate);
  for (const g of [guess, guess - 1n, guess + 1n]) if (g + scaleCents(g, rate, 100_000n) === total) return g;
  return guess;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

const GIFT_CARD_NAME = /gift ?card/i;

/**
 * Reads an orders export into customer histories. Customers are keyed by email
 * (lowercased), else by the Phone column as written (phone-only checkouts: COD, SMS-first);
 * orders with neither are counted in stats.ordersWithoutContact and left out. Test orders
 * (Payment Method "bogus") are left out. Gift card lines (the products export's Gift Card
 * column, or an unshipped, untaxed line named like a gift card) are not goods.
 */
export async function parseOrdersExport(
  input: Input,
  products: ReadonlyMap<string, ProductCost> = new Map(),
): Promise<ExportResult<OrdersExport>> {
  const orders = new Map<string, OrderDraft>();
  const currencies = new Set<string>();
  let columns: Columns | null = null;
  let row = 0;
  let rows = 0;
  let lines = 0;
  let linesWithCost = 0;
  try {
    for await (const record of records(input)) {
      row = record.row;
      if (columns === null) {
        const header = headerColumns(record.cells, ORDER_REQUIRED, "orders");
        if ("message" in header) return { ok: false, error: header };
        columns = header;
        continue;
      }
      rows++;
      const col = (name: string) => columns!.get(record.cells, name);
      const name = col("Name");
      if (name === "") throw new RowError("Name", "missing order name");
      let draft = orders.get(name);
      if (draft === undefined) {
        // Order-level fields are only filled in on the first row of each order.
        const created = parseShopifyTimestamp(col("Created at"), "Created at");
        const currency = col("Currency");
        if (currency !== "") currencies.add(currency);
        if (col("Cancelled at") !== "") parseShopifyDate(col("Cancelled at"), "Cancelled at");
        draft = {
          name,
          id: col("Id") || name,
          key: col("Email").toLowerCase() || col("Phone"),
          acceptsMarketing: yesNo(col("Accepts Marketing")),
          at: created.at,
          day: created.day,
          cancelled: col("Cancelled at") !== "",
          test: /\bbogus\b/i.test(col("Payment Method")),
          codes: col("Discount Code")
            .split(",")
            .map((c) => c.trim())
            .filter((c) => c !== ""),
          discountAmount: cents(col("Discount Amount").replace("-", ""), "Discount Amount"),
          subtotal: col("Subtotal") === "" ? null : cents(col("Subtotal"), "Subtotal"),
          shipping: cents(col("Shipping"), "Shipping"),
          taxes: cents(col("Taxes"), "Taxes"),
          total: col("Total") === "" ? null : cents(col("Total"), "Total"),
          refunded: cents(col("Refunded Amount"), "Refunded Amount"),
          taxRate: taxRate([1, 2, 3, 4, 5].map((n) => col(`Tax ${n} Name`))),
          sourceName: col("Source") || null,
          lines: [],
        };
        orders.set(name, draft);
      }
      const sku = col("Lineitem sku");
      const product = sku === "" ? undefined : products.get(sku);
      const quantity = requiredNumber(col("Lineitem quantity"), "Lineitem quantity");
      if (!Number.isInteger(quantity) || quantity < 0) throw new RowError("Lineitem quantity", "not a count");
      if (col("Lineitem price") === "") throw new RowError("Lineitem price", "missing value");
      const price = cents(col("Lineitem price"), "Lineitem price");
      lines++;
      const giftCard =
        product?.giftCard === true ||
        (GIFT_CARD_NAME.test(col("Lineitem name")) && !yesNo(col("Lineitem requires shipping")) && !yesNo(col("Lineitem taxable")));
      if (giftCard) continue;
      const compareAt = number(col("Lineitem compare at price"), "Lineitem compare at price", null) ?? product?.compareAtPrice ?? null;
      const line: ExportLine = {
        quantity,
        price,
        compareAtPrice: compareAt === null ? null : compareAt.toFixed(2),
        discount: cents(col("Lineitem discount"), "Lineitem discount"),
        unitCost: product?.unitCost === null || product?.unitCost === undefined ? null : String(product.unitCost),
        productType: product?.productType ?? null,
        vendor: col("Vendor") || product?.vendor || null,
      };
      if (line.unitCost !== null) linesWithCost++;
      draft.lines.push(line);
    }
  } catch (e) {
    return { ok: false, error: toExportError(e, "orders", row) };
  }
  if (columns === null) return { ok: false, error: { file: "orders", row: 1, column: null, message: "empty file" } };

  const customers = new Map<string, CustomerHistory & { createdDay: number }>();
  let latest: Date | null = null;
  let withoutContact = 0;
  let tests = 0;
  let counted = 0;
  for (const draft of orders.values()) {
    if (draft.test) {
      tests++;
      continue;
    }
    if (draft.key === "") {
      withoutContact++;
      continue;
    }
    counted++;
    const order = exportOrder(draft);
    const at = draft.at;
    if (latest === null || at > latest) latest = at;
    const existing = customers.get(draft.key);
    if (existing === undefined) {
      customers.set(draft.key, {
        customerId: draft.key,
        createdAt: at,
        createdDay: draft.day,
        acceptsMarketing: draft.acceptsMarketing,
        orders: [order],
      });
      continue;
    }
    existing.orders.push(order);
    if (at < existing.createdAt) {
      existing.createdAt = at;
      existing.createdDay = draft.day;
    }
    // Consent as of the customer's latest order.
    const newest = existing.orders.reduce((a, b) => (b.processedAt > a.processedAt ? b : a));
    if (newest === order) existing.acceptsMarketing = draft.acceptsMarketing;
  }
  return {
    ok: true,
    value: {
      histories: [...customers.values()],
      stats: {
        rows,
        orders: counted,
        customers: customers.size,
        ordersWithoutContact: withoutContact,
        testOrders: tests,
        lines,
        linesWithCost,
        currencies: [...currencies].sort(),
        latestOrderAt: latest,
      },
    },
  };
}

function toExportError(e: unknown, file: ExportError["file"], row: number): ExportError {
  if (e instanceof RowError) return { file, row, column: e.column, message: e.message };
  // csv-parse messages can quote the offending text; its error code says enough.
  const code = typeof e === "object" && e !== null && "code" in e ? String(e.code) : "unreadable input";
  return { file, row: row + 1, column: null, message: `malformed CSV (${code})` };
}

export function describeExportError(error: ExportError): string {
  const where = error.column === null ? `row ${error.row}` : `row ${error.row}, column "${error.column}"`;
  return `${error.file} export, ${where}: ${error.message}`;
}
