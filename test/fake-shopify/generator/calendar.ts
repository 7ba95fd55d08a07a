export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Shopify serialises timestamps to the second: 2026-11-01T09:30:00Z. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function blackFriday(year: number): number {
  const novFirst = Date.UTC(year, 10, 1);
  const weekday = new Date(novFirst).getUTCDay();
  const firstThursday = 1 + ((4 - weekday + 7) % 7);
  return Date.UTC(year, 10, firstThursday + 21 + 1);
}

/** Black Friday through Cyber Monday, inclusive. */
export function isBfcm(ms: number): boolean {
  const start = blackFriday(new Date(ms).getUTCFullYear());
  return ms >= start && ms < start + 4 * DAY_MS;
}

/** Store-wide sale percentage on sale-eligible products at this moment (0 outside sales). */
export function salePercentAt(ms: number): number {
  if (isBfcm(ms)) return 30;
  const date = new Date(ms);
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  if (month === 0 && day >= 2 && day <= 15) return 20;
  if (month === 6 && day <= 14) return 20;
  return 0;
}

// Relative order intensity per month: a November/December peak and a quiet Q1.
const MONTH_WEIGHT = [0.8, 0.78, 0.88, 0.92, 0.98, 0.95, 1.02, 0.92, 0.96, 1.02, 1.4, 1.5];
// Evenings are busiest; the small hours are almost empty.
const HOUR_WEIGHT = [
  0.3, 0.2, 0.12, 0.1, 0.1, 0.15, 0.35, 0.6, 0.85, 1, 1.05, 1.1, 1.2, 1.15, 1.05, 1, 1.05, 1.15, 1.3, 1.45,
  1.5, 1.35, 1, 0.6,
];
const HOUR_CUMULATIVE = HOUR_WEIGHT.reduce<number[]>((acc, w) => [...acc, (acc.at(-1) ?? 0) + w], []);

/** A time of day (ms after midnight) following the diurnal curve, for a uniform draw u. */
export function timeOfDay(u: number, v: number): number {
  const target = u * HOUR_CUMULATIVE[23];
  let hour = 0;
  while (HOUR_CUMULATIVE[hour] <= target) hour++;
  return hour * HOUR_MS + Math.floor(v * HOUR_MS);
}

export type Seasonality = "base" | "deals";

function intensity(dayStartMs: number, kind: Seasonality): number {
  const month = new Date(dayStartMs).getUTCMonth();
  const weight = MONTH_WEIGHT[month];
  if (!isBfcm(dayStartMs)) return weight;
  return weight * (kind === "deals" ? 3.5 : 1.4);
}

/**
 * Maps calendar time to "operational" time whose unit is an average day, so a renewal
 * process with mean gap g days in operational time runs faster in the holiday peak.
 */
export class SeasonalClock {
  private readonly firstDay: number;
  private readonly cumulative: Float64Array;

  constructor(startMs: number, endMs: number, kind: Seasonality) {
    this.firstDay = Math.floor(startMs / DAY_MS);
    const days = Math.ceil(endMs / DAY_MS) - this.firstDay + 1;
    const weights = new Float64Array(days);
    let total = 0;
    for (let d = 0; d < days; d++) {
      weights[d] = intensity((this.firstDay + d) * DAY_MS, kind);
      total += weights[d];
    }
    const mean = total / days;
    this.cumulative = new Float64Array(days + 1);
    for (let d = 0; d < days; d++) this.cumulative[d + 1] = this.cumulative[d] + weights[d] / mean;
  }

  toOperational(ms: number): number {
    const x = ms / DAY_MS - this.firstDay;
    const d = Math.min(Math.max(Math.floor(x), 0), this.cumulative.length - 2);
    return this.cumulative[d] + (x - d) * (this.cumulative[d + 1] - this.cumulative[d]);
  }

  fromOperational(u: number): number {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] <= u) lo = mid;
      else hi = mid;
    }
    const span = this.cumulative[hi] - this.cumulative[lo];
    const frac = span > 0 ? (u - this.cumulative[lo]) / span : 0;
    return (this.firstDay + lo + frac) * DAY_MS;
  }
}
