// Exact money for the order record: amounts are decimal strings with two places,
// computed in integer cents (bigint), so three sources read the same order to the cent.

export class MoneyError extends Error {
  override name = "MoneyError";
}

const AMOUNT = /^(-)?(\d+)(?:\.(\d+))?$/;

/** "12.3" → 1230n. Digits past the second decimal are rounded half away from zero (Shopify's amounts have two). */
export function toCents(value: string): bigint {
  const m = AMOUNT.exec(value.trim());
  if (!m) throw new MoneyError(`not an amount: ${value}`);
  const [, minus, whole, fraction = ""] = m;
  let cents = BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
  if (fraction.length > 2 && Number(fraction[2]) >= 5) cents += 1n;
  return minus ? -cents : cents;
}

/** 1230n → "12.30". */
export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

export function addMoney(values: readonly string[]): string {
  let cents = 0n;
  for (const value of values) cents += toCents(value);
  return fromCents(cents);
}

/** amount × numerator / denominator in cents, rounded half away from zero; 0 when the denominator is 0. */
export function scaleCents(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) return 0n;
  const product = amount * numerator;
  const negative = product < 0n !== denominator < 0n;
  const p = product < 0n ? -product : product;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (p * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/**
 * Splits `total` cents over parts in proportion to `weights`, exactly: the parts sum to
 * `total` (largest remainders take the leftover cents). All-zero weights split evenly.
 */
export function splitCents(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0n);
  const w = sum === 0n ? weights.map(() => 1n) : weights;
  const s = sum === 0n ? BigInt(weights.length) : sum;
  const negative = total < 0n;
  const t = negative ? -total : total;
  const parts = w.map((x) => (t * x) / s);
  let left = t - parts.reduce((a, b) => a + b, 0n);
  const order = w.map((x, i) => ({ i, rem: (t * x) % s })).sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}
