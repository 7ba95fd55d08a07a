// What sync writes to the database, whatever it came from (webhook payload, bulk
// export, reconciliation query). Ids are bigint; money stays a decimal string.
// Orders have their own module (app/orders), which owns the money rules.

export { addMoney } from "../orders/money";
export type { LineRecord, OrderRecord, RefundRecord } from "../orders/record";

import { MAX_SHOPIFY_ID } from "../ids";

export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING" | "UNKNOWN";

export interface CustomerRecord {
  id: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  emailMarketing: MarketingState;
  smsMarketing: MarketingState;
  createdAt: Date | null;
  updatedAt: Date;
}

export class PayloadError extends Error {
  override name = "PayloadError";
}

/** `gid://shopify/Order/123` or `123` → 123n (1 to 2^63 - 1); never through a JS number. Throws PayloadError otherwise. */
export function shopifyId(value: unknown, what: string): bigint {
  const text = typeof value === "string" ? value : typeof value === "bigint" ? value.toString() : undefined;
  const digits = text?.match(/^(?:gid:\/\/shopify\/\w+\/)?(\d{1,19})$/)?.[1];
  if (digits && BigInt(digits) > 0n && BigInt(digits) <= MAX_SHOPIFY_ID) return BigInt(digits);
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  throw new PayloadError(`${what} is not a Shopify id: ${JSON.stringify(String(value))}`);
}

export function optionalShopifyId(value: unknown, what: string): bigint | null {
  return value === null || value === undefined || value === "" ? null : shopifyId(value, what);
}

export function date(value: unknown, what: string): Date {
  const parsed = typeof value === "string" ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new PayloadError(`${what} is not a date: ${String(value)}`);
  return parsed;
}

export function optionalDate(value: unknown, what: string): Date | null {
  return value === null || value === undefined || value === "" ? null : date(value, what);
}

export function money(value: unknown, what: string): string {
  const text = typeof value === "number" ? value.toFixed(2) : value;
  if (typeof text !== "string" || !/^-?\d+(\.\d+)?$/.test(text)) {
    throw new PayloadError(`${what} is not an amount: ${String(value)}`);
  }
  return text;
}

export function optionalMoney(value: unknown, what: string): string | null {
  return value === null || value === undefined || value === "" ? null : money(value, what);
}

export function marketingState(value: unknown): MarketingState {
  const upper = typeof value === "string" ? value.toUpperCase() : "";
  return upper === "SUBSCRIBED" || upper === "NOT_SUBSCRIBED" || upper === "UNSUBSCRIBED" || upper === "PENDING"
    ? upper
    : "UNKNOWN";
}
