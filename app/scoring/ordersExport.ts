import { parse } from "csv-parse";
import { Readable } from "node:stream";
import type { CustomerHistory, OrderLine, OrderSummary } from "./types";

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
}

export interface OrdersExportStats {
  rows: number;
  orders: number;
  customers: number;
  /** Orders left out because they carry no email (POS walk-ins, drafts). */
  ordersWithoutEmail: number;
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
  return new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - offsetMinutes * 60_000);
}

function yesNo(value: string): boolean {
  return /^(yes|true|1)$/i.test(value);
}

export async function parseProductsExport(input: Input): Promise<ExportResult<Map<string, ProductCost>>> {
  const costs = new Map<string, ProductCost>();
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
      const sku = columns.get(record.cells, "Variant SKU");
      if (sku === "") continue;
      costs.set(sku, {
        unitCost: number(columns.get(record.cells, "Cost per item"), "Cost per item", null),
        compareAtPrice: number(columns.get(record.cells, "Variant Compare At Price"), "Variant Compare At Price", null),
      });
    }
  } catch (e) {
    return { ok: false, error: toExportError(e, "products", row) };
  }
  if (columns === null) return { ok: false, error: { file: "products", row: 1, column: null, message: "empty file" } };
  return { ok: true, value: costs };
}

interface OrderDraft {
  order: OrderSummary;
  email: string;
  acceptsMarketing: boolean;
}

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
  let withoutEmail = 0;
  const noEmail = new Set<string>();
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
        const email = col("Email").toLowerCase();
        const codes = col("Discount Code")
          .split(",")
          .map((c) => c.trim())
          .filter((c) => c !== "");
        const discountAmount = number(col("Discount Amount"), "Discount Amount", 0) ?? 0;
        const currency = col("Currency");
        if (currency !== "") currencies.add(currency);
        draft = {
          email,
          acceptsMarketing: yesNo(col("Accepts Marketing")),
          order: {
            id: col("Id") || name,
            processedAt: parseShopifyDate(col("Created at"), "Created at"),
            cancelled: col("Cancelled at") !== "",
            lines: [],
            discountCodes: codes,
            // The export cannot tell an automatic discount from a code apart from the missing code.
            hasAutomaticDiscount: discountAmount > 0 && codes.length === 0,
            totalDiscounts: Math.abs(discountAmount),
            refunded: number(col("Refunded Amount"), "Refunded Amount", 0) ?? 0,
          },
        };
        if (col("Cancelled at") !== "") parseShopifyDate(col("Cancelled at"), "Cancelled at");
        orders.set(name, draft);
        if (email === "") noEmail.add(name);
      }
      const sku = col("Lineitem sku");
      const product = sku === "" ? undefined : products.get(sku);
      const line: OrderLine = {
        quantity: requiredNumber(col("Lineitem quantity"), "Lineitem quantity"),
        unitPrice: requiredNumber(col("Lineitem price"), "Lineitem price"),
        compareAtPrice:
          number(col("Lineitem compare at price"), "Lineitem compare at price", null) ?? product?.compareAtPrice ?? null,
        unitCost: product?.unitCost ?? null,
        discountAllocated: number(col("Lineitem discount"), "Lineitem discount", 0) ?? 0,
      };
      lines++;
      if (line.unitCost !== null) linesWithCost++;
      draft.order.lines.push(line);
    }
  } catch (e) {
    return { ok: false, error: toExportError(e, "orders", row) };
  }
  if (columns === null) return { ok: false, error: { file: "orders", row: 1, column: null, message: "empty file" } };

  const customers = new Map<string, CustomerHistory>();
  let latest: Date | null = null;
  for (const [name, draft] of orders) {
    if (noEmail.has(name)) {
      withoutEmail++;
      continue;
    }
    const at = draft.order.processedAt;
    if (latest === null || at > latest) latest = at;
    const existing = customers.get(draft.email);
    if (existing === undefined) {
      customers.set(draft.email, {
        customerId: draft.email,
        createdAt: at,
        acceptsMarketing: draft.acceptsMarketing,
        orders: [draft.order],
      });
      continue;
    }
    existing.orders.push(draft.order);
    if (at < existing.createdAt) existing.createdAt = at;
    // Consent as of the customer's latest order.
    const newest = existing.orders.reduce((a, b) => (b.processedAt > a.processedAt ? b : a));
    if (newest === draft.order) existing.acceptsMarketing = draft.acceptsMarketing;
  }
  return {
    ok: true,
    value: {
      histories: [...customers.values()],
      stats: {
        rows,
        orders: orders.size - withoutEmail,
        customers: customers.size,
        ordersWithoutEmail: withoutEmail,
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
