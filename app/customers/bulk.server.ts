import { randomUUID } from "node:crypto";
import type { BulkAction, BulkActionKind, PrismaClient } from "@prisma/client";
import { queueListing, runListing } from "../campaigns/listing.server";
import { logger } from "../logger.server";
import { enqueue } from "../queue/queues.server";
import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { allCustomers, countCustomers, filtersToParams, listFiltersSchema, type ListFilters } from "./list.server";
import { MAX_VIP_BATCH, setVip } from "./vip.server";

// VIP for every customer matching the list's filter, across pages: the request saves
// the action (with its filter) and enqueues a job naming only the shop and the action;
// the job walks the filtered list in pages of MAX_VIP_BATCH, recording progress as it goes.

export interface BulkProgress {
  id: string;
  kind: BulkActionKind;
  status: BulkAction["status"];
  total: number;
  done: number;
  error: string | null;
  createdAt: string;
}

const view = (b: BulkAction): BulkProgress => ({ id: b.id, kind: b.kind, status: b.status, total: b.total, done: b.done, error: b.error, createdAt: b.createdAt.toISOString() });

/**
 * Saves a bulk VIP action over every customer matching `filters` and enqueues its job.
 * @throws QueueUnavailableError when Redis does not take the job (the action is then marked failed, saying so)
 */
export async function startBulkVip(db: PrismaClient, shopId: number, filters: ListFilters, vip: boolean): Promise<BulkProgress> {
  const total = await countCustomers(db, shopId, filters);
  const action = await db.bulkAction.create({
    data: { shopId, id: randomUUID(), kind: vip ? "vip_on" : "vip_off", filters: filtersToParams(filters), total },
  });
  try {
    await enqueue("bulk-customers", { shopId, bulkActionId: action.id }, { jobId: `bulk-${shopId}-${action.id}` });
  } catch (error) {
    await db.bulkAction.update({ where: { shopId_id: { shopId, id: action.id } }, data: { status: "failed", error: (error as Error).message } });
    throw error;
  }
  return view(action);
}

/**
 * Queues again the bulk actions of installed shops saved as queued more than
 * `olderThanMs` ago: the process that saved one may have died before its job reached
 * Redis. A job still waiting under the same id makes the add a no-op, so a slow queue is
 * never doubled. Returns how many were looked at (at most 100 a call).
 * @throws QueueUnavailableError when Redis does not take a job (the sweep runs again later)
 */
export async function requeueStaleBulkActions(db: PrismaClient, olderThanMs: number, now = new Date()): Promise<number> {
  const stale = await db.bulkAction.findMany({
    where: { status: "queued", updatedAt: { lt: new Date(now.getTime() - olderThanMs) }, shop: { uninstalledAt: null } },
    orderBy: { updatedAt: "asc" },
    take: 100,
  });
  for (const action of stale) {
    if (action.kind === "campaign_customers") await queueListing(db, action.shopId, action.id);
    else await enqueue("bulk-customers", { shopId: action.shopId, bulkActionId: action.id }, { jobId: `bulk-${action.shopId}-${action.id}` });
  }
  if (stale.length) logger.info({ bulkActions: stale.length }, "queued bulk actions whose job was missing");
  return stale.length;
}

/** The shop's latest bulk VIP action of the last day, for the list's progress banner; null when none. */
export async function latestBulkAction(db: PrismaClient, shopId: number, now = new Date()): Promise<BulkProgress | null> {
  const found = await db.bulkAction.findFirst({
    where: { shopId, kind: { in: ["vip_on", "vip_off"] }, createdAt: { gte: new Date(now.getTime() - 86_400_000) } },
    orderBy: { createdAt: "desc" },
  });
  return found ? view(found) : null;
}

/**
 * Runs a saved bulk action: every customer matching its filter, page by page, through
 * setVip (idempotent, so a retried job starts over safely). `done` is written after
 * each page. Returns the final progress; a missing action (shop uninstalled) returns null.
 */
export async function runBulkAction(db: PrismaClient, admin: AdminGraphql, shopId: number, id: string): Promise<BulkProgress | null> {
  const action = await db.bulkAction.findUnique({ where: { shopId_id: { shopId, id } } });
  if (!action || action.status === "done") return action ? view(action) : null;
  if (action.kind === "campaign_customers") {
    const listed = await runListing(db, admin, shopId, action);
    return listed && { ...view(action), ...listed };
  }
  const filters = listFiltersSchema.parse(action.filters);
  await db.bulkAction.update({ where: { shopId_id: { shopId, id } }, data: { status: "running", done: 0, error: null } });
  let done = 0;
  const errors: string[] = [];
  // A VIP filter changes as VIP is set: the list is read to its end first, then written.
  const ids: bigint[] = [];
  for await (const rows of allCustomers(db, shopId, filters, MAX_VIP_BATCH)) ids.push(...rows.map((r) => BigInt(r.id)));
  for (let i = 0; i < ids.length; i += MAX_VIP_BATCH) {
    const batch = ids.slice(i, i + MAX_VIP_BATCH);
    const outcome = await setVip(db, admin, shopId, batch, action.kind === "vip_on");
    if (outcome.error) errors.push(outcome.error);
    done += batch.length;
    await db.bulkAction.update({ where: { shopId_id: { shopId, id } }, data: { done } });
  }
  const finished = await db.bulkAction.update({
    where: { shopId_id: { shopId, id } },
    // setVip keeps the choice when Shopify fails; the next write-back sends it, so the action is done either way.
    data: { status: "done", total: Math.max(action.total, ids.length), error: errors[0] ?? null },
  });
  logger.info({ shopId, bulkActionId: id, customers: ids.length, shopifyErrors: errors.length }, "bulk action done");
  return view(finished);
}
