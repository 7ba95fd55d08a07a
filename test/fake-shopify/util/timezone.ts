// Shop-local time for an IANA zone, with Intl (no tz database of our own).

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

interface LocalParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

// formatToParts is slow and payloads repeat the same instants; a bounded memo keeps replays quick.
const memo = new Map<string, LocalParts>();
const MEMO_LIMIT = 200_000;

function localParts(ms: number, zone: string): LocalParts {
  const key = `${zone}|${ms}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const parts: Record<string, string> = {};
  for (const p of partsFormatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  const value = { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** Minutes east of UTC in `zone` at instant `ms` (e.g. -300 for New York in winter). Throws RangeError for an unknown zone. */
export function offsetMinutes(ms: number, zone: string): number {
  const p = localParts(Math.floor(ms / 1000) * 1000, zone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

function offsetText(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${sign}${hh}${colon ? ":" : ""}${mm}`;
}

/** The shop's calendar day of an instant, "YYYY-MM-DD". */
export function localDate(iso: string, zone: string): string {
  const p = localParts(Date.parse(iso), zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** REST style: "2024-03-05T18:40:12-05:00" (UTC is written "+00:00", as Shopify does for UTC shops). */
export function restTimestamp(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  const p = localParts(ms, zone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offsetText(offsetMinutes(ms, zone), true)}`;
}

/** Orders-export style: "2024-03-05 18:40:12 -0500". */
export function exportTimestamp(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  const p = localParts(ms, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${offsetText(offsetMinutes(ms, zone), false)}`;
}

/** Shopify's `timezoneOffset` text, "-0500". */
export const offsetAt = (ms: number, zone: string): string => offsetText(offsetMinutes(ms, zone), false);

/** Shopify's `timezoneAbbreviation`, e.g. "EST"; falls back to "GMT-5" style where Intl has no abbreviation. */
export function abbreviationAt(ms: number, zone: string): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }).formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName");
  return part?.value ?? "UTC";
}
