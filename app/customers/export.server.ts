import type { PrismaClient } from "@prisma/client";
import { translate } from "../i18n/i18n";
import { DEFAULT_LOCALE, type Locale } from "../i18n/locales";
import { logger } from "../logger.server";
import { allCustomers, type CustomerRow, type ListFilters } from "./list.server";

const COLUMNS: [string, (r: CustomerRow) => string | number | boolean | null][] = [
  ["customer_id", (r) => r.id],
  ["first_name", (r) => r.firstName],
  ["last_name", (r) => r.lastName],
  ["email", (r) => r.email],
  ["group", (r) => r.group],
  ["vip", (r) => r.vip],
  ["vip_source", (r) => r.vipSource],
  ["value_score", (r) => r.valueScore],
  ["volume_score", (r) => r.volumeScore],
  ["predicted_clv", (r) => r.predictedClv],
  ["margin_rate", (r) => r.marginRate.toFixed(4)],
  ["margin_estimated", (r) => r.marginEstimated],
  ["discount_share", (r) => r.discountShare.toFixed(4)],
  ["orders", (r) => r.orders],
  ["last_order_at", (r) => r.lastOrderAt],
];

// Free text a customer typed: a leading =, +, -, @ is neutralised so a spreadsheet never runs it as a formula.
const FREE_TEXT = new Set(["first_name", "last_name", "email"]);

/** RFC 4180 quoting. */
export function csvCell(value: string | number | boolean | null, freeText = false): string {
  if (value === null) return "";
  let text = String(value);
  if (freeText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The header row in the merchant's language (`export.columns.*`). English keeps the snake_case
 * names earlier exports had, so spreadsheets and scripts reading them keep working; the cells
 * stay data (group codes as in the tags, ISO dates, plain decimals) in every language.
 */
export function csvHeader(locale: Locale): string {
  return COLUMNS.map(([name]) => csvCell(translate(locale, { key: `export.columns.${name}` }))).join(",");
}

/** How long one page of the export may take before the download is abandoned. */
export const EXPORT_PAGE_TIMEOUT_MS = 30_000;

/**
 * The filtered list as CSV, read and sent a page at a time so memory stays flat at any
 * size. A page that fails or takes longer than `pageTimeoutMs` errors the stream: the
 * server then aborts the connection (the browser shows a failed download) rather than
 * ending a truncated file with a 200 or leaving it open.
 */
export function customersCsv(
  db: PrismaClient,
  shopId: number,
  filters: ListFilters,
  options: { pageTimeoutMs?: number; locale?: Locale } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pageTimeoutMs = options.pageTimeoutMs ?? EXPORT_PAGE_TIMEOUT_MS;
  let pages: AsyncGenerator<CustomerRow[]> | undefined;
  let rows = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${csvHeader(options.locale ?? DEFAULT_LOCALE)}\r\n`));
    },
    async pull(controller) {
      pages ??= allCustomers(db, shopId, filters);
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`an export page took over ${pageTimeoutMs} ms`)), pageTimeoutMs);
        });
        const { value, done } = await Promise.race([pages.next(), timeout]);
        if (done) return controller.close();
        rows += value.length;
        controller.enqueue(encoder.encode(value.map((r) => `${COLUMNS.map(([name, get]) => csvCell(get(r), FREE_TEXT.has(name))).join(",")}\r\n`).join("")));
      } catch (error) {
        logger.error({ shopId, rowsSent: rows, err: (error as Error).message }, "customer export aborted");
        controller.error(error);
      } finally {
        clearTimeout(timer);
      }
    },
    async cancel() {
      await pages?.return(undefined);
    },
  });
}

export function exportFileName(filters: ListFilters, now = new Date()): string {
  return `patron-customers-${filters.group}-${now.toISOString().slice(0, 10)}.csv`;
}
