import type { Prisma, PrismaClient } from "@prisma/client";
import type { GroupPersonas } from "../personas/persona";
import { loadPersonas } from "../personas/personas.server";
import type { BacktestReport } from "../scoring";
import { type Accuracy, accuracyView } from "./accuracy";
import {
  type Backfill,
  backfills,
  type GroupAggregateRow,
  MOVEMENT_DAYS,
  type GroupBreakdown,
  groupBreakdown,
  type Movement,
  movement,
  type MovementRow,
  type MovementSummary,
  type PeriodDays,
  summarizeMovement,
  type SyncRunRow,
} from "./shape";

/** Above this many, "synced so far" counts read as "at least": counting is a scan. */
export const COUNT_CAP = 100_000;
const RECENT_FAILURES = 5;

export interface Counted {
  value: number;
  /** True when there are more than `value` (the count stopped at COUNT_CAP). */
  more: boolean;
}

export interface SyncStatus {
  backfills: Backfill[];
  failedRuns: Backfill[];
  lastWebhook: { receivedAt: string; topic: string } | null;
  pendingWebhooks: number;
  failedWebhooks: number;
  recentWebhookFailures: { topic: string; receivedAt: string; attempts: number; error: string | null }[];
  lastScoring: { id: number; fittedAt: string; kind: string; customers: number; durationMs: number; trigger: string } | null;
  /** Background access: since when Shopify has refused the shop's refresh token (the merchant must open the app), and why; when it was restored, if in the last 7 days. */
  access: { needsMerchantSince: string | null; reason: string | null; restoredAt: string | null };
}

export interface Dashboard {
  domain: string;
  currency: string;
  installed: boolean;
  periodDays: PeriodDays;
  /** Until the first scoring run, the page shows what has been synced so far instead. */
  scored: boolean;
  synced: { customers: Counted; orders: Counted } | null;
  breakdown: GroupBreakdown;
  movement: Movement;
  /** How well the ranking predicted the shop's own recent history (the latest run's backtest). */
  accuracy: Accuracy;
  /** Who each group is (app/personas), as of the end of the day the latest scoring run's snapshot was first made; null before the first scoring. */
  personas: GroupPersonas | null;
  sync: SyncStatus;
}

/**
 * Everything the home page shows for one shop. The aggregates (a GROUP BY over the
 * shop's scores and one over its group changes of the last CHART_WEEKS weeks) come
 * from the shop's DashboardSnapshot when it is as of the latest scoring run and
 * today (UTC); otherwise they are computed and the snapshot replaced. Sync status
 * is a few small indexed reads every time.
 */
export async function loadDashboard(
  db: PrismaClient,
  domain: string,
  { periodDays, now }: { periodDays: PeriodDays; now: Date },
): Promise<Dashboard> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true, currency: true } });
  if (!shop) {
    return {
      domain,
      currency: "USD",
      installed: false,
      periodDays,
      scored: false,
      synced: { customers: { value: 0, more: false }, orders: { value: 0, more: false } },
      breakdown: groupBreakdown([]),
      movement: movement(summarizeMovement([], now), periodDays, now),
      accuracy: { state: "none" },
      personas: null,
      sync: emptySync(),
    };
  }
  const shopId = shop.id;
  const [sync, stored, measured] = await Promise.all([
    syncStatus(db, shopId),
    db.dashboardSnapshot.findUnique({ where: { shopId } }),
    db.modelFit.findFirst({
      where: { shopId, reconstructed: false },
      orderBy: [{ fittedAt: "desc" }, { id: "desc" }],
      select: { backtest: true, fittedAt: true },
    }),
  ]);
  const day = utcDay(now);
  let aggregates: Aggregates | null = null;
  if (sync.lastScoring) {
    const fitId = sync.lastScoring.id;
    aggregates =
      stored?.modelFitId === fitId && utcDay(stored.day) === day && (stored.movement as unknown as MovementSummary).months !== undefined && stored.personas !== null
        ? {
            groups: stored.groups as unknown as GroupAggregateRow[],
            movement: stored.movement as unknown as MovementSummary,
            personas: stored.personas as unknown as GroupPersonas,
          }
        : await refreshSnapshot(
            db,
            shopId,
            fitId,
            day,
            stored?.modelFitId === fitId
              ? { groups: stored.groups as unknown as GroupAggregateRow[], personas: stored.personas as unknown as GroupPersonas | null }
              : null,
          );
  }
  return {
    domain,
    currency: shop.currency,
    installed: shop.uninstalledAt === null,
    periodDays,
    scored: aggregates !== null,
    synced: aggregates ? null : await syncedCounts(db, shopId),
    breakdown: groupBreakdown(aggregates?.groups ?? []),
    movement: movement(aggregates?.movement ?? summarizeMovement([], new Date(day)), periodDays, new Date(day)),
    accuracy: accuracyView((measured?.backtest ?? null) as unknown as BacktestReport | null, measured?.fittedAt.toISOString() ?? null),
    personas: aggregates?.personas ?? null,
    sync,
  };
}

interface Aggregates {
  groups: GroupAggregateRow[];
  movement: MovementSummary;
  personas: GroupPersonas;
}

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Recomputes a shop's snapshot as of its latest scoring run: for the worker to call
 * after a rescore, so the next page view finds it ready.
 */
export async function refreshDashboardSnapshot(db: PrismaClient, shopId: number, now = new Date()): Promise<void> {
  const fit = await db.modelFit.findFirst({ where: { shopId, reconstructed: false }, orderBy: [{ fittedAt: "desc" }, { id: "desc" }], select: { id: true } });
  if (fit) await refreshSnapshot(db, shopId, fit.id, utcDay(now), null);
}

// The fit is read before the aggregates, so a snapshot never claims a newer fit than
// its data; a rescore committing in between only makes the next view recompute.
async function refreshSnapshot(
  db: PrismaClient,
  shopId: number,
  modelFitId: number,
  day: string,
  sameFit: { groups: GroupAggregateRow[]; personas: GroupPersonas | null } | null,
): Promise<Aggregates> {
  const [groups, moves, personas] = await Promise.all([
    sameFit?.groups ?? groupRows(db, shopId),
    movementRows(db, shopId, day).then((rows) => summarizeMovement(rows, new Date(day))),
    // The heaviest part (a pass over every order line): kept for the run's lifetime, as the
    // groups are; the worker recomputes it with each rescore.
    sameFit?.personas ?? loadPersonas(db, shopId, new Date(`${day}T23:59:59.999Z`)),
  ]);
  const data = {
    modelFitId,
    day: new Date(day),
    groups: groups as unknown as Prisma.InputJsonValue,
    movement: moves as unknown as Prisma.InputJsonValue,
    personas: personas as unknown as Prisma.InputJsonValue,
    computedAt: new Date(),
  };
  await db.dashboardSnapshot.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return { groups, movement: moves, personas };
}

function emptySync(): SyncStatus {
  return { backfills: [], failedRuns: [], lastWebhook: null, pendingWebhooks: 0, failedWebhooks: 0, recentWebhookFailures: [], lastScoring: null, access: { needsMerchantSince: null, reason: null, restoredAt: null } };
}

// Walks the shop's slice of the ("shopId", "group", …) index once.
export function groupRows(db: PrismaClient, shopId: number): Promise<GroupAggregateRow[]> {
  return db.$queryRaw<GroupAggregateRow[]>`
    SELECT "group"::text AS "group",
           count(*)::int AS customers,
           coalesce(sum(orders), 0)::int AS orders,
           coalesce(sum(revenue), 0)::text AS revenue,
           coalesce(sum("grossMargin"), 0)::text AS "grossMargin",
           coalesce(sum("predictedClv"), 0)::text AS "clvTotal",
           coalesce(sum("discountShare"), 0)::float8 AS "discountShareTotal"
    FROM "CustomerScore"
    WHERE "shopId" = ${shopId}
    GROUP BY "group"`;
}

// Changes by UTC calendar day before `day` (0 = that day). Timestamps are stored as
// UTC wall time (timestamp without time zone).
export function movementRows(db: PrismaClient, shopId: number, day: string): Promise<MovementRow[]> {
  return db.$queryRaw<MovementRow[]>`
    SELECT "from"::text AS "from", "to"::text AS "to",
           (${day}::date - at::date)::int AS "daysAgo",
           count(*)::int AS count,
           reconstructed
    FROM "GroupChange"
    WHERE "shopId" = ${shopId}
      AND at >= ${day}::date - ${MOVEMENT_DAYS - 1}::int
      AND at < ${day}::date + 1
      AND "from" IS NOT NULL
    GROUP BY 1, 2, 3, 5`;
}

const RESTORED_NOTICE_MS = 7 * 24 * 3600_000;

export async function syncStatus(db: PrismaClient, shopId: number): Promise<SyncStatus> {
  const [runs, lastWebhook, inbox, recentFailures, lastFit, shop] = await Promise.all([
    // A shop has a handful of backfills over its life.
    db.syncRun.findMany({
      where: { shopId },
      orderBy: { startedAt: "desc" },
      take: 50,
      select: { id: true, kind: true, status: true, ordersSince: true, rootObjectCount: true, rootsDone: true, error: true, startedAt: true, completedAt: true },
    }),
    db.webhookEvent.findFirst({ where: { shopId }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true, topic: true } }),
    db.webhookEvent.groupBy({ by: ["status"], where: { shopId, status: { in: ["PENDING", "FAILED"] } }, _count: { _all: true } }),
    db.webhookEvent.findMany({
      where: { shopId, status: "FAILED" },
      orderBy: { receivedAt: "desc" },
      take: RECENT_FAILURES,
      select: { topic: true, receivedAt: true, attempts: true, error: true },
    }),
    db.modelFit.findFirst({
      where: { shopId, reconstructed: false },
      orderBy: [{ fittedAt: "desc" }, { id: "desc" }],
      select: { id: true, fittedAt: true, kind: true, customers: true, durationMs: true, trigger: true },
    }),
    db.shop.findUnique({ where: { id: shopId }, select: { reauthNeededAt: true, reauthReason: true, accessRestoredAt: true } }),
  ]);
  const inboxCount = (status: string) => inbox.find((r) => r.status === status)?._count._all ?? 0;
  const { latest, failed } = backfills(runs as SyncRunRow[]);
  return {
    backfills: latest,
    failedRuns: failed.slice(0, RECENT_FAILURES),
    lastWebhook: lastWebhook ? { receivedAt: lastWebhook.receivedAt.toISOString(), topic: lastWebhook.topic } : null,
    pendingWebhooks: inboxCount("PENDING"),
    failedWebhooks: inboxCount("FAILED"),
    recentWebhookFailures: recentFailures.map((f) => ({ ...f, receivedAt: f.receivedAt.toISOString() })),
    lastScoring: lastFit ? { ...lastFit, fittedAt: lastFit.fittedAt.toISOString() } : null,
    access: {
      needsMerchantSince: shop?.reauthNeededAt?.toISOString() ?? null,
      reason: shop?.reauthReason ?? null,
      restoredAt: shop?.accessRestoredAt && shop.accessRestoredAt.getTime() > Date.now() - RESTORED_NOTICE_MS ? shop.accessRestoredAt.toISOString() : null,
    },
  };
}

async function syncedCounts(db: PrismaClient, shopId: number): Promise<{ customers: Counted; orders: Counted }> {
  const limit = COUNT_CAP + 1;
  const [row] = await db.$queryRaw<{ customers: number; orders: number }[]>`
    SELECT (SELECT count(*) FROM (SELECT 1 FROM "Customer" WHERE "shopId" = ${shopId} AND "deletedAt" IS NULL LIMIT ${limit}) c)::int AS customers,
           (SELECT count(*) FROM (SELECT 1 FROM "Order" WHERE "shopId" = ${shopId} LIMIT ${limit}) o)::int AS orders`;
  const capped = (n: number): Counted => ({ value: Math.min(n, COUNT_CAP), more: n > COUNT_CAP });
  return { customers: capped(row.customers), orders: capped(row.orders) };
}
