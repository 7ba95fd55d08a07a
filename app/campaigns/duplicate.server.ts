import type { PrismaClient } from "@prisma/client";
import { filtersToParams, listFiltersSchema, type ListFilters } from "../customers/filters";
import { MAX_CUSTOMER_IDS } from "./form";
import { translate } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { msg } from "../i18n/message";

// Duplicating a campaign: the new-campaign form filled from an existing one, with a
// code no campaign of the shop uses. Nothing is created until the merchant submits.

const DAY_MS = 86_400_000;
const MAX_CODE = 64;

/** `BASE-2`, `BASE-3`, … (a trailing `-N` of the original is replaced): the first code not in `taken` (upper case). */
export function nextFreeCode(code: string, taken: ReadonlySet<string>): string {
  const base = code.toUpperCase().replace(/-\d+$/, "");
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, MAX_CODE - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

export interface DuplicateSource {
  title: string;
  code: string;
  audience: "group" | "customers" | "filter" | "all";
  group: string | null;
  /** A filter audience's filter as the list's URL query. */
  filterQuery?: string;
  excludeVolume: boolean;
  discount: "percentage" | "fixed_amount" | "free_shipping";
  value: number | null;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  oncePerCustomer: boolean;
  combinesOrder: boolean;
  combinesProduct: boolean;
  combinesShipping: boolean;
  controlShare: number;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const on = (b: boolean) => (b ? "on" : "");

/** The new-campaign form's fields for a copy starting `today`, running as many days as the original (open-ended stays open-ended), titled "Copy of …" in `locale`. */
export function duplicateFields(c: DuplicateSource, customerIds: string[], code: string, today: Date, locale: Locale): Record<string, string> {
  // Calendar days, as the form takes dates: a campaign started at 15:00 and ending at midnight 14 days on runs 14 days, not 13.5 rounded.
  const dayOf = (d: Date) => Math.floor(d.getTime() / DAY_MS);
  const days = c.endsAt ? Math.max(1, dayOf(c.endsAt) - dayOf(c.startsAt)) : null;
  return {
    title: translate(locale, msg("campaigns.manage.duplicate.title", { title: c.title })).slice(0, 120),
    code,
    audience: c.audience === "group" ? `group:${c.group}` : c.audience,
    customers: c.audience === "customers" ? customerIds.join(",") : "",
    filter: c.audience === "filter" ? (c.filterQuery ?? "") : "",
    discountKind: c.discount,
    value: c.value === null ? "" : String(c.value),
    shippingCost: "8",
    startsAt: ymd(today),
    endsAt: days === null ? "" : ymd(new Date(today.getTime() + days * DAY_MS)),
    usageLimit: c.usageLimit === null ? "" : String(c.usageLimit),
    oncePerCustomer: on(c.oncePerCustomer),
    combinesOrder: on(c.combinesOrder),
    combinesProduct: on(c.combinesProduct),
    combinesShipping: on(c.combinesShipping),
    controlPercent: String(Math.round(c.controlShare * 1000) / 10),
    excludeVolume: on(c.excludeVolume),
  };
}

/**
 * The prefilled form for a copy of campaign `id` of this shop (its new title in the merchant's `locale`), or null (never another shop's).
 * Customer audiences copy every member, treated and held out; a filter audience copies the filter, matched afresh when the copy is created.
 */
export async function loadDuplicate(
  db: PrismaClient,
  shopDomain: string,
  id: string,
  locale: Locale,
  today = new Date(),
): Promise<{ fields: Record<string, string>; customerIds: bigint[]; filters: ListFilters | null; sourceTitle: string } | null> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return null;
  const c = await db.campaign.findUnique({ where: { shopId_id: { shopId: shop.id, id } } });
  if (!c) return null;
  const members =
    c.audience === "customers"
      ? await db.campaignMember.findMany({ where: { shopId: shop.id, campaignId: c.id }, select: { customerId: true }, orderBy: { customerId: "asc" }, take: MAX_CUSTOMER_IDS })
      : [];
  const base = c.code.toUpperCase().replace(/-\d+$/, "");
  const taken = await db.campaign.findMany({ where: { shopId: shop.id, code: { startsWith: base, mode: "insensitive" } }, select: { code: true } });
  const code = nextFreeCode(c.code, new Set(taken.map((t) => t.code.toUpperCase())));
  const customerIds = members.map((m) => m.customerId);
  const filter = c.audience === "filter" ? listFiltersSchema.safeParse(c.audienceFilter) : null;
  const filters = filter?.success ? filter.data : null;
  const filterQuery = filters ? new URLSearchParams(filtersToParams(filters)).toString() : undefined;
  const fields = duplicateFields({ ...c, value: c.value === null ? null : Number(c.value), filterQuery }, customerIds.map(String), code, today, locale);
  return { fields, customerIds, filters, sourceTitle: c.title };
}
