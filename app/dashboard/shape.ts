import { addMoney } from "../sync/records";
import { GROUPS, type Group } from "../scoring/types";

// Pure shaping of the dashboard's aggregate rows into what the page shows.
// Money stays a decimal string end to end; shares and averages are plain numbers.

export const PERIODS = [7, 30, 90, 365] as const;
export type PeriodDays = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: PeriodDays = 30;
/** The movement chart always spans this many weeks, whatever the selected period. */
export const CHART_WEEKS = 13;
/** The month chart: this calendar month and the 12 before it (the year reconstructed at install). */
export const CHART_MONTHS = 13;
/** Movement rows go back this many days: enough for the oldest month of the month chart. */
export const MOVEMENT_DAYS = 400;
const DAY_MS = 86_400_000;

export function parsePeriod(value: string | null | undefined): PeriodDays {
  const n = Number(value);
  return (PERIODS as readonly number[]).includes(n) ? (n as PeriodDays) : DEFAULT_PERIOD;
}

export interface GroupAggregateRow {
  group: string;
  customers: number;
  orders: number;
  revenue: string;
  grossMargin: string;
  clvTotal: string;
  discountShareTotal: number;
}

export interface GroupStat {
  group: Group;
  customers: number;
  orders: number;
  revenue: string;
  grossMargin: string;
  customerShare: number | null;
  revenueShare: number | null;
  marginShare: number | null;
  averageClv: string | null;
  averageDiscountShare: number | null;
}

export interface GroupBreakdown {
  groups: GroupStat[];
  totals: { customers: number; orders: number; revenue: string; grossMargin: string };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function divideMoney(total: string, count: number): string | null {
  if (count === 0) return null;
  return (Number(total) / count).toFixed(2);
}

/** One row per group in the fixed order, zeros for groups nobody is in. */
export function groupBreakdown(rows: readonly GroupAggregateRow[]): GroupBreakdown {
  const byGroup = new Map(rows.map((r) => [r.group, r]));
  const totals = {
    customers: rows.reduce((s, r) => s + r.customers, 0),
    orders: rows.reduce((s, r) => s + r.orders, 0),
    revenue: addMoney(rows.map((r) => r.revenue)),
    grossMargin: addMoney(rows.map((r) => r.grossMargin)),
  };
  // A share of a non-positive total means nothing (refunds can leave margin below zero).
  const revenueTotal = Number(totals.revenue);
  const marginTotal = Number(totals.grossMargin);
  const groups = GROUPS.map((group): GroupStat => {
    const r = byGroup.get(group);
    const customers = r?.customers ?? 0;
    return {
      group,
      customers,
      orders: r?.orders ?? 0,
      revenue: r ? addMoney([r.revenue]) : "0.00",
      grossMargin: r ? addMoney([r.grossMargin]) : "0.00",
      customerShare: share(customers, totals.customers),
      revenueShare: share(Number(r?.revenue ?? 0), revenueTotal),
      marginShare: share(Number(r?.grossMargin ?? 0), marginTotal),
      averageClv: r ? divideMoney(r.clvTotal, customers) : null,
      averageDiscountShare: r && customers > 0 ? r.discountShareTotal / customers : null,
    };
  });
  return { groups, totals };
}

export interface MovementRow {
  from: string;
  to: string;
  /** Whole days between the change and the page's "now" (0 = within the last 24 hours). */
  daysAgo: number;
  count: number;
  /** Worked out from the order history after install (scored as of a past month-end). */
  reconstructed?: boolean;
}

export interface Transition {
  from: Group;
  to: Group;
  customers: number;
}

export interface Movement {
  periodDays: PeriodDays;
  /** Every move between groups in the period, largest first. */
  transitions: Transition[];
  /** The moves a merchant watches, zero when none happened. */
  /** `label` is a message key (app/locales). */
  highlights: (Transition & { label: string })[];
  /** Oldest week first; `weekStart` is an ISO date (UTC) of the week's first day. */
  weekly: { weekStart: string; intoValued: number; intoAtRisk: number }[];
  /** Oldest month first; `month` is YYYY-MM (UTC). */
  monthly: MonthMovement[];
  /** Moves in the selected period that were reconstructed rather than seen. */
  reconstructedInPeriod: number;
}

export interface MonthMovement {
  month: string;
  volumeToValued: number;
  intoValued: number;
  /** How many of the month's moves were reconstructed from the order history. */
  reconstructed: number;
}

export const HIGHLIGHTS: readonly { from: Group; to: Group; label: string }[] = [
  { from: "volume", to: "valued", label: "dashboard.highlights.volumeToValued" },
  { from: "rising", to: "valued", label: "dashboard.highlights.risingToValued" },
  { from: "valued", to: "at_risk", label: "dashboard.highlights.valuedToAtRisk" },
  { from: "at_risk", to: "valued", label: "dashboard.highlights.atRiskToValued" },
  { from: "valued", to: "volume", label: "dashboard.highlights.valuedToVolume" },
];

/** What the snapshot keeps of the changes: counts per period, per week and per month, not per day. */
export interface MovementSummary {
  periods: { days: PeriodDays; transitions: Transition[]; reconstructed?: number }[];
  /** Most recent week first. */
  weeks: { intoValued: number; intoAtRisk: number }[];
  /** Oldest month first; absent from snapshots saved before months were kept. */
  months?: MonthMovement[];
}

/**
 * Rows cover the last MOVEMENT_DAYS days before `day`; first assignments (no previous group) are not
 * movement. Months are calendar months (UTC) of `day` and the CHART_MONTHS − 1 before it.
 */
export function summarizeMovement(rows: readonly MovementRow[], day: Date = new Date(0)): MovementSummary {
  const counts = PERIODS.map(() => new Map<string, number>());
  const reconstructed = PERIODS.map(() => 0);
  const weeks = Array.from({ length: CHART_WEEKS }, () => ({ intoValued: 0, intoAtRisk: 0 }));
  const months = Array.from({ length: CHART_MONTHS }, (_, i): MonthMovement => {
    const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - (CHART_MONTHS - 1 - i), 1));
    return { month: d.toISOString().slice(0, 7), volumeToValued: 0, intoValued: 0, reconstructed: 0 };
  });
  const monthIndex = new Map(months.map((m, i) => [m.month, i]));
  for (const r of rows) {
    if (r.daysAgo < 0) continue;
    PERIODS.forEach((days, i) => {
      if (r.daysAgo >= days) return;
      const key = `${r.from}>${r.to}`;
      counts[i].set(key, (counts[i].get(key) ?? 0) + r.count);
      if (r.reconstructed) reconstructed[i] += r.count;
    });
    const m = monthIndex.get(new Date(day.getTime() - r.daysAgo * DAY_MS).toISOString().slice(0, 7));
    if (m !== undefined) {
      if (r.to === "valued") months[m].intoValued += r.count;
      if (r.from === "volume" && r.to === "valued") months[m].volumeToValued += r.count;
      if (r.reconstructed) months[m].reconstructed += r.count;
    }
    const week = Math.floor(r.daysAgo / 7);
    if (week >= CHART_WEEKS) continue;
    if (r.to === "valued") weeks[week].intoValued += r.count;
    if (r.to === "at_risk") weeks[week].intoAtRisk += r.count;
  }
  const periods = PERIODS.map((days, i) => ({
    days,
    reconstructed: reconstructed[i],
    transitions: [...counts[i]]
      .map(([key, customers]) => {
        const [from, to] = key.split(">") as [Group, Group];
        return { from, to, customers };
      })
      .sort((a, b) => b.customers - a.customers || GROUPS.indexOf(a.from) - GROUPS.indexOf(b.from) || GROUPS.indexOf(a.to) - GROUPS.indexOf(b.to)),
  }));
  return { periods, weeks, months };
}

/** `day` is the UTC day the summary counts back from. */
export function movement(summary: MovementSummary, periodDays: PeriodDays, day: Date): Movement {
  const period = summary.periods.find((p) => p.days === periodDays);
  const transitions = period?.transitions ?? [];
  const counts = new Map(transitions.map((t) => [`${t.from}>${t.to}`, t.customers]));
  const highlights = HIGHLIGHTS.map((h) => ({ ...h, customers: counts.get(`${h.from}>${h.to}`) ?? 0 }));
  const weekly = Array.from({ length: CHART_WEEKS }, (_, i) => ({
    weekStart: new Date(day.getTime() - (i * 7 + 6) * DAY_MS).toISOString().slice(0, 10),
    intoValued: summary.weeks[i]?.intoValued ?? 0,
    intoAtRisk: summary.weeks[i]?.intoAtRisk ?? 0,
  })).reverse();
  return { periodDays, transitions, highlights, weekly, monthly: summary.months ?? [], reconstructedInPeriod: period?.reconstructed ?? 0 };
}

export type SyncKind = "CUSTOMERS" | "ORDERS";

export interface SyncRunRow {
  id: number;
  kind: SyncKind;
  status: string;
  ordersSince: Date | null;
  rootObjectCount: bigint | number;
  rootsDone: bigint | number;
  error: string | null;
  startedAt: Date;
  completedAt: Date | null;
}

export interface Backfill {
  kind: SyncKind;
  status: string;
  rootsDone: number;
  rootObjectCount: number;
  /** 0–1; null while Shopify has not said how many records the export holds. */
  progress: number | null;
  /** Set when only recent orders could be read (no read_all_orders). */
  ordersSince: string | null;
  startedAt: string;
  completedAt: string | null;
  error: string | null;
}

export function backfill(run: SyncRunRow): Backfill {
  const total = Number(run.rootObjectCount);
  const done = Number(run.rootsDone);
  const progress = run.status === "COMPLETED" ? 1 : total > 0 ? Math.min(1, done / total) : null;
  return {
    kind: run.kind,
    status: run.status,
    rootsDone: done,
    rootObjectCount: total,
    progress,
    ordersSince: run.ordersSince?.toISOString() ?? null,
    startedAt: run.startedAt.toISOString(),
    completedAt: run.completedAt?.toISOString() ?? null,
    error: run.error,
  };
}

/** The latest run of each kind (customers first), and every failed run, newest first. */
export function backfills(runs: readonly SyncRunRow[]): { latest: Backfill[]; failed: Backfill[] } {
  const newestFirst = [...runs].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || b.id - a.id);
  const latest = (["CUSTOMERS", "ORDERS"] as const)
    .map((kind) => newestFirst.find((r) => r.kind === kind))
    .filter((r): r is SyncRunRow => r !== undefined)
    .map(backfill);
  const failed = newestFirst.filter((r) => r.status === "FAILED").map(backfill);
  return { latest, failed };
}
