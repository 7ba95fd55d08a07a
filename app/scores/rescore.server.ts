import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { type CustomerHistory, type Group, scoreShop, type ShopScores } from "../scoring";
import { readSettings } from "../settings/shop-settings";
import { loadHistories } from "./histories.server";
import { insertGroupChanges } from "./group-changes.server";
import { modelFitData } from "./modelFit.server";
import { reconstructHistory } from "./reconstruct.server";

export type RescoreTrigger = "orders-changed" | "schedule" | "settings" | "backfill" | "manual";

export interface GroupChangeEvent {
  customerId: bigint;
  from: Group | null;
  to: Group;
  valueScore: number;
  predictedClv: number;
}

export interface RescoreResult {
  fitId: number;
  customers: number;
  changes: GroupChangeEvent[];
  /** Customers whose VIP flag changed. */
  vipChanges: { customerId: bigint; vip: boolean }[];
  durationMs: number;
}

const WRITE_CHUNK = 2000;
const money = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "0.00");

/**
 * Scores every customer of a shop and saves the result: the fitted model, each
 * customer's current score, and a GroupChange row for each customer whose group
 * moved. The decision is the pure scoreShop; this only loads and saves around it.
 * Concurrent runs for one shop serialise on an advisory lock, and changes are taken
 * against the stored group inside it, so no change is recorded twice.
 */
export interface RescoreOptions {
  /**
   * On a shop's first scoring, first score it as of each of the last 12 month-ends (see
   * reconstruct.server.ts), so its movement starts a year back; the worker asks for this after the backfill.
   */
  reconstructHistory?: boolean;
}

export async function rescoreShop(
  db: PrismaClient,
  shopId: number,
  trigger: RescoreTrigger,
  asOf = new Date(),
  options: RescoreOptions = {},
): Promise<RescoreResult> {
  const started = Date.now();
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true, domain: true, ianaTimezone: true } });
  const settings = readSettings(shop.settings);

  const histories: CustomerHistory[] = [];
  for await (const chunk of loadHistories(db, shopId)) histories.push(...chunk);
  const stored = await db.customerScore.findMany({ where: { shopId }, select: { customerId: true, group: true, vip: true } });
  let previous = new Map(stored.map((s) => [s.customerId.toString(), s.group as Group]));
  const manual = await db.customer.findMany({ where: { shopId, vipManual: true, deletedAt: null }, select: { id: true } });
  const scoring = {
    preset: settings.preset,
    overrides: settings.overrides,
    defaultMarginRate: settings.defaultMarginRate,
    manualVip: new Set(manual.map((m) => m.id.toString())),
    timeZone: shop.ianaTimezone,
  };

  // Only before anything was scored: a later rescore has real history to build on.
  let baseline: Map<string, Group> | undefined;
  if (options.reconstructHistory && stored.length === 0) {
    const reconstructed = await reconstructHistory(db, shopId, histories, scoring, asOf);
    previous = baseline = reconstructed.groups;
    logger.info({ shop: shop.domain, monthEnds: reconstructed.monthEnds, changes: reconstructed.changes, ms: reconstructed.durationMs }, "history reconstructed");
  }

  const scores = scoreShop(histories, { asOf, ...scoring, previous });
  const result = await saveScores(db, shopId, scores, trigger, asOf, Date.now() - started, baseline);
  logger.info(
    { shop: shop.domain, trigger, customers: result.customers, changes: result.changes.length, ms: result.durationMs, model: scores.model.kind },
    "shop rescored",
  );
  return result;
}

async function saveScores(
  db: PrismaClient,
  shopId: number,
  scores: ShopScores,
  trigger: RescoreTrigger,
  asOf: Date,
  computeMs: number,
  baseline?: ReadonlyMap<string, Group>,
): Promise<RescoreResult> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(7240, $1)`, shopId);
      const fit = await tx.modelFit.create({ data: modelFitData(shopId, scores, trigger, asOf, computeMs, false) });
      const current = await tx.customerScore.findMany({ where: { shopId }, select: { customerId: true, group: true, vip: true } });
      const before = new Map(current.map((c) => [c.customerId.toString(), c]));
      const changes: GroupChangeEvent[] = [];
      const vipChanges: { customerId: bigint; vip: boolean }[] = [];
      for (const c of scores.customers) {
        // Without a stored score, the group reconstructed at the last month-end is where they came from.
        const seeded = baseline?.get(c.customerId);
        const held = before.get(c.customerId) ?? (seeded ? { group: seeded, vip: false } : undefined);
        if (!held || held.group !== c.group) {
          changes.push({
            customerId: BigInt(c.customerId),
            from: (held?.group as Group | undefined) ?? null,
            to: c.group,
            valueScore: c.valueScore,
            predictedClv: c.predictedClv,
          });
        }
        if ((held?.vip ?? false) !== c.vip) vipChanges.push({ customerId: BigInt(c.customerId), vip: c.vip });
      }

      for (let i = 0; i < scores.customers.length; i += WRITE_CHUNK) {
        const chunk = scores.customers.slice(i, i + WRITE_CHUNK);
        await tx.$executeRawUnsafe(
          `INSERT INTO "CustomerScore" ("shopId", "customerId", "group", "valueScore", "volumeScore", vip, "vipSource", held,
                                        "pAlive", "expectedPurchases", "predictedClv", orders, revenue, "grossMargin",
                                        "marginRate", "marginEstimated", "discountShare", "lastOrderAt", reasons,
                                        "modelFitId", "scoredAt", "purchaseDays")
           SELECT $1, t.cid, t.grp::"CustomerGroup", t.vs, t.vol, t.vip, t.vsrc, t.held, t.palive, t.ep, t.clv, t.orders,
                  t.revenue, t.margin, t.mrate, t.mest, t.dshare, t.last, t.reasons, $2, $3, t.days
           FROM unnest($4::bigint[], $5::text[], $6::float8[], $7::float8[], $8::boolean[], $9::text[], $10::boolean[],
                       $11::float8[], $12::float8[], $13::numeric[], $14::int[], $15::numeric[], $16::numeric[],
                       $17::float8[], $18::boolean[], $19::float8[], $20::timestamp(3)[], $21::jsonb[], $22::int[])
                AS t(cid, grp, vs, vol, vip, vsrc, held, palive, ep, clv, orders, revenue, margin, mrate, mest, dshare, last, reasons, days)
           ON CONFLICT ("shopId", "customerId") DO UPDATE SET
             "group" = EXCLUDED."group", "valueScore" = EXCLUDED."valueScore", "volumeScore" = EXCLUDED."volumeScore",
             vip = EXCLUDED.vip, "vipSource" = EXCLUDED."vipSource", held = EXCLUDED.held, "pAlive" = EXCLUDED."pAlive",
             "expectedPurchases" = EXCLUDED."expectedPurchases", "predictedClv" = EXCLUDED."predictedClv",
             orders = EXCLUDED.orders, revenue = EXCLUDED.revenue, "grossMargin" = EXCLUDED."grossMargin",
             "marginRate" = EXCLUDED."marginRate", "marginEstimated" = EXCLUDED."marginEstimated",
             "discountShare" = EXCLUDED."discountShare", "lastOrderAt" = EXCLUDED."lastOrderAt",
             reasons = EXCLUDED.reasons, "modelFitId" = EXCLUDED."modelFitId", "scoredAt" = EXCLUDED."scoredAt",
             "purchaseDays" = EXCLUDED."purchaseDays"`,
          shopId,
          fit.id,
          asOf.toISOString(),
          chunk.map((c) => c.customerId),
          chunk.map((c) => c.group),
          chunk.map((c) => c.valueScore),
          chunk.map((c) => c.volumeScore),
          chunk.map((c) => c.vip),
          chunk.map((c) => c.vipSource),
          chunk.map((c) => c.held),
          chunk.map((c) => c.pAlive),
          chunk.map((c) => c.expectedPurchases),
          chunk.map((c) => money(c.predictedClv)),
          chunk.map((c) => c.features.orders),
          chunk.map((c) => money(c.features.monetary)),
          chunk.map((c) => money(c.features.monetary * c.features.marginRate)),
          chunk.map((c) => c.features.marginRate),
          chunk.map((c) => c.features.marginEstimated),
          chunk.map((c) => c.features.discountedOrderShare),
          chunk.map((c) => c.features.lastOrderAt?.toISOString() ?? null),
          chunk.map((c) => JSON.stringify(c.reasons)),
          chunk.map((c) => c.features.purchaseDays),
        );
      }
      await insertGroupChanges(tx, shopId, changes, asOf);
      return { fitId: fit.id, customers: scores.customers.length, changes, vipChanges, durationMs: computeMs };
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}
