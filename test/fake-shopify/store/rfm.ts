import type { FakeOrder } from "./model";
import { customerSpendCents } from "./order-math";

export type RfmGroup =
  | "ACTIVE" | "ALMOST_LOST" | "AT_RISK" | "CHAMPIONS" | "DORMANT" | "LOYAL"
  | "NEEDS_ATTENTION" | "NEW" | "PREVIOUSLY_LOYAL" | "PROMISING" | "PROSPECTS";
export type SpendTier = "HIGH" | "MEDIUM" | "LOW";

const DAY = 86_400_000;

// Shopify scores recency and frequency+monetary 1-5 against the shop; the fake uses
// fixed thresholds so a generated archetype lands in a plausible group.
function recencyScore(daysSince: number): number {
  if (daysSince <= 30) return 5;
  if (daysSince <= 90) return 4;
  if (daysSince <= 180) return 3;
  if (daysSince <= 365) return 2;
  return 1;
}

function frequencyScore(count: number): number {
  if (count >= 10) return 5;
  if (count >= 5) return 4;
  if (count >= 3) return 3;
  return count;
}

function monetaryScore(spendCents: bigint): number {
  if (spendCents >= 100_000n) return 5;
  if (spendCents >= 40_000n) return 4;
  if (spendCents >= 15_000n) return 3;
  if (spendCents >= 5_000n) return 2;
  return 1;
}

export function rfmGroup(orders: readonly FakeOrder[], now: number): RfmGroup {
  const live = orders.filter((o) => o.cancelledAt === null);
  if (live.length === 0) return "PROSPECTS";
  const last = Math.max(...live.map((o) => Date.parse(o.processedAt)));
  const r = recencyScore((now - last) / DAY);
  const fm = Math.round((frequencyScore(live.length) + monetaryScore(customerSpendCents(live))) / 2);
  if (r >= 4) {
    if (fm >= 4 && live.length > 1) return "CHAMPIONS";
    if (fm >= 2 && live.length > 1) return "ACTIVE";
    return r === 5 ? "NEW" : "PROMISING";
  }
  if (r === 3) return fm >= 4 ? "LOYAL" : fm >= 2 ? "NEEDS_ATTENTION" : "ALMOST_LOST";
  if (r === 2) return fm >= 3 ? "AT_RISK" : "ALMOST_LOST";
  return fm >= 4 ? "PREVIOUSLY_LOYAL" : "DORMANT";
}

export function predictedSpendTier(orders: readonly FakeOrder[], now: number): SpendTier | null {
  if (orders.length === 0) return null;
  const lastYear = orders.filter((o) => now - Date.parse(o.processedAt) <= 365 * DAY);
  const spend = customerSpendCents(lastYear);
  if (spend >= 50_000n) return "HIGH";
  if (spend >= 10_000n) return "MEDIUM";
  return "LOW";
}
