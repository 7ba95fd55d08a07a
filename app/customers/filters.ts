import { z } from "zod";
import { LIST_GROUPS } from "./groups";

// The customer list's filter, as URL parameters: read by the list, its count, the CSV
// export, bulk actions and a campaign audience. Outside the .server module because the
// new-campaign form (bundled for the browser too) reads it.

export const SORTS = ["value", "clv", "margin", "last_order"] as const;
export type SortKey = (typeof SORTS)[number];

// z.iso.date() checks the calendar too: 2026-02-30 is refused, not rolled into March.
const date = z.iso.date("expected a date as YYYY-MM-DD").refine((s) => s >= "1900-01-01" && s <= "9999-12-31", "out of range");
export const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const listFiltersSchema = z.object({
  group: z.enum(LIST_GROUPS).default("valued"),
  sort: z.enum(SORTS).default("value"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  vip: z.preprocess(blankToUndefined, z.enum(["1", "0"]).optional()).transform((v) => v === "1"),
  minOrders: z.preprocess(blankToUndefined, z.string().regex(/^\d{1,6}$/, "expected a whole number").transform(Number).pipe(z.number().int().min(0).max(100_000)).optional()),
  lastFrom: z.preprocess(blankToUndefined, date.optional()),
  lastTo: z.preprocess(blankToUndefined, date.optional()),
  q: z
    .preprocess(blankToUndefined, z.string().trim().max(100).regex(/^[^\p{Cc}]*$/u, "must not contain control characters").optional())
    .transform((v) => (v ? v.toLowerCase() : undefined)),
});

export type ListFilters = z.infer<typeof listFiltersSchema>;

/** Filters back in the form listFiltersSchema reads (URL parameters), for storing and re-reading them. */
export function filtersToParams(f: ListFilters): Record<string, string> {
  const out: Record<string, string> = { group: f.group, sort: f.sort, dir: f.dir };
  if (f.vip) out.vip = "1";
  if (f.minOrders !== undefined) out.minOrders = String(f.minOrders);
  if (f.lastFrom) out.lastFrom = f.lastFrom;
  if (f.lastTo) out.lastTo = f.lastTo;
  if (f.q) out.q = f.q;
  return out;
}
/**
 * A filter as the list's URL query (`group=all&minOrders=1`), e.g. a campaign audience;
 * the error names the first bad parameter (`group: Invalid option…`).
 */
export function parseListFilters(query: string): { ok: true; filters: ListFilters } | { ok: false; error: string } {
  const parsed = listFiltersSchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
  if (parsed.success) return { ok: true, filters: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `${issue.path.join(".")}: ${issue.message}` };
}
