// A message is what a merchant reads, kept as a key and the values it needs rather than as
// English text, so it can be stored (scores' reasons are JSON in the database) and rendered
// later in the language of whoever reads it. Shared by the server and the browser.

/** A number shown as a percentage: `pct` is in points (12 means 12%), with `digits` decimals (default 0). */
export interface PercentValue {
  readonly pct: number;
  readonly digits?: number;
}
/** An amount of money in the shop's currency (ISO 4217 code), e.g. `{ amount: 12.5, currency: "EUR" }`. */
export interface MoneyValue {
  readonly amount: number;
  readonly currency: string;
}
/** A calendar date or an instant, ISO 8601. */
export interface DateValue {
  readonly date: string;
}
/** An instant shown with its time of day (UTC), ISO 8601. */
export interface DateTimeValue {
  readonly dateTime: string;
}

/** Messages shown one after another: `items` are short ("codes 30%, automatic 10%"), `clauses` are phrases ("…; …"). */
export interface ListValue {
  readonly list: readonly Message[];
  readonly style: "items" | "clauses";
}

export type MessageValue = string | number | PercentValue | MoneyValue | DateValue | DateTimeValue | ListValue | Message;

/** A key in app/locales/*.json and its placeholders' values. */
export interface Message {
  readonly key: string;
  readonly values?: Readonly<Record<string, MessageValue>>;
}

/** A message as text in one language: `m` from useFormat in components, `translate` bound to a locale elsewhere. */
export type RenderMessage = (message: Message) => string;

export const msg = (key: string, values?: Record<string, MessageValue>): Message => (values ? { key, values } : { key });

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** True when `x` has a message's shape (a stored reason read back from JSON, for example). */
export function isMessage(x: unknown): x is Message {
  if (!isRecord(x) || typeof x.key !== "string") return false;
  if (x.values === undefined) return true;
  if (!isRecord(x.values)) return false;
  return Object.values(x.values).every(isMessageValue);
}

function isMessageValue(v: unknown): boolean {
  if (typeof v === "string" || typeof v === "number") return true;
  if (!isRecord(v)) return false;
  if (Array.isArray(v.list)) return v.list.every(isMessage) && (v.style === "items" || v.style === "clauses");
  if (typeof v.pct === "number") return true;
  if (typeof v.amount === "number" && typeof v.currency === "string") return true;
  if (typeof v.date === "string") return true;
  if (typeof v.dateTime === "string") return true;
  return isMessage(v);
}
