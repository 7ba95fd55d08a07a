// A purchase day is a day in the shop's calendar (its IANA time zone), never a UTC day:
// an evening order in New York is on the same day as the afternoon one. Days are counted
// from 1970-01-01 in that calendar.

const DAY_MS = 86_400_000;
// Zone offsets only change on quarter hours; an offset is looked up once per quarter hour.
const BUCKET_MS = 15 * 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function offsetMs(ms: number, timeZone: string): number {
  let byBucket = offsets.get(timeZone);
  if (!byBucket) {
    byBucket = new Map();
    offsets.set(timeZone, byBucket);
  }
  const bucket = Math.floor(ms / BUCKET_MS);
  const cached = byBucket.get(bucket);
  if (cached !== undefined) return cached;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const start = bucket * BUCKET_MS;
  const parts = Object.fromEntries(format.formatToParts(new Date(start)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const offset = local - start;
  byBucket.set(bucket, offset);
  return offset;
}

/**
 * The shop-calendar day of an instant: days since 1970-01-01 in `timeZone` (an IANA name
 * such as "America/New_York"; UTC when absent). Throws RangeError for an unknown zone.
 */
export function shopDay(at: Date, timeZone?: string | null): number {
  const ms = at.getTime();
  if (!timeZone || timeZone === "UTC") return Math.floor(ms / DAY_MS);
  return Math.floor((ms + offsetMs(ms, timeZone)) / DAY_MS);
}

/** The day number of a calendar date (year, month 1–12, day). */
export function calendarDay(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * The last instant (ms precision) of shop-calendar day `day` in `timeZone` (UTC when
 * absent): the instant before the next day's local midnight. Throws RangeError for an
 * unknown zone.
 */
export function shopDayEnd(day: number, timeZone?: string | null): Date {
  const midnight = (day + 1) * DAY_MS;
  if (!timeZone || timeZone === "UTC") return new Date(midnight - 1);
  // The offset at the next midnight decides it; a transition near midnight needs a second look.
  let at = midnight - offsetMs(midnight, timeZone);
  at = midnight - offsetMs(at, timeZone);
  return new Date(at - 1);
}
