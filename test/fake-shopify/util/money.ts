import type { Money } from "../store/model";

/** Money is held as integer cents so sums never drift. */
export function toCents(amount: Money | string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`Not a decimal amount: ${amount}`);
  const fraction = (match[3] ?? "").padEnd(2, "0");
  const rounded = BigInt(match[2]) * 100n + BigInt(fraction.slice(0, 2)) + (Number(fraction[2] ?? "0") >= 5 ? 1n : 0n);
  return match[1] ? -rounded : rounded;
}

/** REST payloads: two places, "243.00". */
export function formatMoney(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** GraphQL Decimal: trailing zeros dropped but one place kept, "243.0", "19.99". */
export function formatDecimal(cents: bigint): string {
  const text = formatMoney(cents);
  return text.endsWith("0") ? text.slice(0, -1) : text;
}

export function sumCents(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}
