import type { Locale } from "./locales";

// Numbers, money, percentages and dates as the merchant's language writes them, with Intl.
// Shared by the server and the browser: a page renders the same text in both, so nothing
// here reads the machine's own locale or time zone defaults.

export interface Formatters {
  locale: Locale;
  /** A count or measure; `digits` fixes the decimals (default: up to 2, as needed). */
  number(value: number, digits?: number): string;
  /** An amount in `currency` (ISO 4217), with the currency's own decimals. Accepts a decimal string. */
  money(amount: number | string, currency: string): string;
  /** An amount without its currency symbol, two decimals (for tables whose column says the currency). */
  amount(amount: number | string): string;
  /** A share 0–1 as a percentage; null is a dash. */
  percent(share: number | null, digits?: number): string;
  /** A day (ISO date or instant), medium length, in UTC so server and browser agree. */
  date(iso: string | null): string;
  /** An instant with its time, in UTC and saying so: the server and the browser render the same text. */
  dateTime(iso: string): string;
  /** A month as `YYYY-MM`; `style` "short" also shortens the year. */
  month(yyyyMm: string, style?: "long" | "short"): string;
  /** A week's first day (ISO date), as month and day. */
  day(iso: string): string;
  /** Items as a list with a conjunction ("a, b and c"; "a、b和c"). */
  list(items: readonly string[]): string;
}

const DASH = "–";
const cache = new Map<string, Formatters>();

/** Formatters for `locale`, made once per locale. */
export function formatters(locale: Locale): Formatters {
  let f = cache.get(locale);
  if (!f) {
    f = makeFormatters(locale);
    cache.set(locale, f);
  }
  return f;
}

function makeFormatters(locale: Locale): Formatters {
  const numbers = new Map<string, Intl.NumberFormat>();
  const nf = (key: string, options: Intl.NumberFormatOptions) => {
    let n = numbers.get(key);
    if (!n) {
      n = new Intl.NumberFormat(locale, options);
      numbers.set(key, n);
    }
    return n;
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const monthLong = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
  const monthShort = new Intl.DateTimeFormat(locale, { month: "short", year: "2-digit", timeZone: "UTC" });
  const dayFormat = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  const listFormat = new Intl.ListFormat(locale, { type: "conjunction" });
  return {
    locale,
    number: (value, digits) =>
      digits === undefined ? nf("n", { maximumFractionDigits: 2 }).format(value) : nf(`n${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value),
    money: (amount, currency) => nf(`c${currency}`, { style: "currency", currency }).format(Number(amount)),
    amount: (amount) => nf("a", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount)),
    percent: (share, digits = 0) =>
      share === null ? DASH : nf(`p${digits}`, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share),
    date: (iso) => (iso ? dateFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : DASH),
    dateTime: (iso) => `${dateTimeFormat.format(new Date(iso))} UTC`,
    month: (yyyyMm, style = "long") => (style === "short" ? monthShort : monthLong).format(new Date(`${yyyyMm}-01T00:00:00Z`)),
    day: (iso) => dayFormat.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)),
    list: (items) => listFormat.format(items),
  };
}
