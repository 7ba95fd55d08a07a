import type { PrismaClient } from "@prisma/client";
import { type CustomerHistory, type Group, scoreShop, type ScoreShopOptions } from "../scoring";
import { type GroupChangeRow, insertGroupChanges } from "./group-changes.server";
import { modelFitData } from "./modelFit.server";

export const RECONSTRUCTED_MONTHS = 12;

/**
 * The last instants (UTC) of the `count` calendar months before asOf's month, oldest first: for asOf
 * in November 2026, Nov 2025 … Oct 2026.
 */
export function monthEndsBefore(asOf: Date, count = RECONSTRUCTED_MONTHS): Date[] {
  const out: Date[] = [];
  for (let k = count; k >= 1; k--) {
    out.push(new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - k + 1, 1) - 1));
  }
  return out;
}

export interface Reconstruction {
  /** Each customer's group at the last month-end reconstructed (empty when none was). */
  groups: Map<string, Group>;
  monthEnds: number;
  changes: number;
  durationMs: number;
}

/**
 * Scores the shop as it stood at each of the last 12 month-ends, from the synced order history, in
 * order, each run starting from the groups of the one before (so hysteresis works as it would have).
 * Saves a reconstructed ModelFit per month-end and a reconstructed GroupChange, dated at that
 * month-end, for every customer whose group differs from the previous month-end's. Nothing is written
 * to CustomerScore: the current score is the real rescore that follows. Month-ends before the shop's
 * first order are skipped. Reconstructed rows from an earlier attempt are replaced, so a retried job
 * writes each once.
 */
export async function reconstructHistory(
  db: PrismaClient,
  shopId: number,
  histories: readonly CustomerHistory[],
  scoring: Omit<ScoreShopOptions, "asOf" | "previous">,
  asOf: Date,
): Promise<Reconstruction> {
  const started = Date.now();
  let firstOrder = Infinity;
  for (const h of histories) for (const o of h.orders) firstOrder = Math.min(firstOrder, o.processedAt.getTime());
  const monthEnds = monthEndsBefore(asOf).filter((m) => m.getTime() >= firstOrder);
  await db.$transaction([
    db.groupChange.deleteMany({ where: { shopId, reconstructed: true } }),
    db.modelFit.deleteMany({ where: { shopId, reconstructed: true } }),
  ]);
  let groups = new Map<string, Group>();
  let changes = 0;
  for (const monthEnd of monthEnds) {
    const runStarted = Date.now();
    const end = monthEnd.getTime();
    const known = histories.filter((h) => h.createdAt.getTime() <= end || h.orders.some((o) => o.processedAt.getTime() <= end));
    const scores = scoreShop(known, { ...scoring, asOf: monthEnd, previous: groups });
    const next = new Map<string, Group>();
    const rows: GroupChangeRow[] = [];
    for (const c of scores.customers) {
      next.set(c.customerId, c.group);
      const from = groups.get(c.customerId) ?? null;
      if (from !== c.group) {
        rows.push({ customerId: BigInt(c.customerId), from, to: c.group, valueScore: c.valueScore });
      }
    }
    const durationMs = Date.now() - runStarted;
    await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(7240, $1)`, shopId);
        await tx.modelFit.create({ data: modelFitData(shopId, scores, "reconstruct", monthEnd, durationMs, true) });
        await insertGroupChanges(tx, shopId, rows, monthEnd, true);
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    changes += rows.length;
    groups = next;
  }
  return { groups, monthEnds: monthEnds.length, changes, durationMs: Date.now() - started };
}
