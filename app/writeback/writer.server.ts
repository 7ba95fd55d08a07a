import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import type { Group } from "../scoring";
import { readSettings } from "../settings/shop-settings";
import { type AdminGraphql, assertNoUserErrors } from "../shopify/admin-graphql.server";
import { runBulkMutation } from "../shopify/bulk-mutation.server";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "../shopify/operations/flow-trigger-receive";
import {
  METAFIELD_DEFINITION_CREATE_MUTATION,
  type MetafieldDefinitionCreateResult,
} from "../shopify/operations/metafield-definition-create";
import { METAFIELDS_SET_MUTATION, type MetafieldsSetInput } from "../shopify/operations/metafields-set";
import { TAGS_ADD_MUTATION } from "../shopify/operations/tags-add";
import { TAGS_REMOVE_MUTATION } from "../shopify/operations/tags-remove";
import {
  type CustomerState,
  type CustomerWrite,
  METAFIELD_DEFINITIONS,
  METAFIELD_NAMESPACE,
  type MetafieldValue,
  planWrite,
} from "./desired";

export const FLOW_TRIGGER_HANDLE = "customer-group-changed";
/** Above this many customers to write, one bulk mutation per kind beats thousands of requests. */
export const BULK_THRESHOLD = 500;
const PAGE = 5000;
const IN_FLIGHT = 4;
const METAFIELDS_PER_CALL = 25;
const FLOW_WINDOW_MS = 7 * 86_400_000;

const customerGid = (id: bigint) => `gid://shopify/Customer/${id}`;

export interface WriteBackResult {
  planned: number;
  written: number;
  failed: number;
  mode: "none" | "requests" | "bulk";
  flowTriggers: number;
}

/** Every customer whose Shopify tags or metafields differ from what Patron wants. */
export async function planShopWrites(db: PrismaClient, shopId: number, only?: bigint[]): Promise<CustomerWrite[]> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  const settings = readSettings(shop.settings);
  const writes: CustomerWrite[] = [];
  for (let after = -1n; ; ) {
    const customers = await db.customer.findMany({
      where: { shopId, deletedAt: null, id: only ? { gt: after, in: only } : { gt: after } },
      orderBy: { id: "asc" },
      take: PAGE,
      select: { id: true, tags: true, score: true, writeState: true },
    });
    if (customers.length === 0) break;
    after = customers[customers.length - 1].id;
    for (const c of customers) {
      const state: CustomerState = {
        customerId: c.id,
        currentTags: c.tags,
        written: c.writeState ? { tags: c.writeState.tags, metafieldsDigest: c.writeState.metafieldsDigest } : null,
        score: c.score
          ? {
              group: c.score.group as Group,
              vip: c.score.vip,
              valueScore: c.score.valueScore,
              volumeScore: c.score.volumeScore,
              predictedClv: c.score.predictedClv.toFixed(2),
              pAlive: c.score.pAlive,
              marginRate: c.score.marginRate,
              discountShare: c.score.discountShare,
            }
          : null,
      };
      const write = planWrite(state, settings);
      if (write) writes.push(write);
    }
  }
  return writes;
}

async function recordWritten(db: PrismaClient, shopId: number, done: CustomerWrite[]) {
  if (done.length === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "CustomerWriteState" ("shopId", "customerId", tags, "metafieldsDigest", "writtenAt")
     SELECT $1, t.id, COALESCE((SELECT array_agg(x) FROM jsonb_array_elements_text(t.tags) x), '{}'), t.digest, now()
     FROM unnest($2::bigint[], $3::jsonb[], $4::text[]) AS t(id, tags, digest)
     ON CONFLICT ("shopId", "customerId") DO UPDATE SET
       tags = EXCLUDED.tags, "metafieldsDigest" = EXCLUDED."metafieldsDigest", "writtenAt" = now()`,
    shopId,
    done.map((w) => w.customerId.toString()),
    done.map((w) => JSON.stringify(w.tagsAfter)),
    done.map((w) => w.digestAfter),
  );
}

function metafieldInputs(write: CustomerWrite): MetafieldsSetInput[] {
  return (write.metafields ?? []).map((m: MetafieldValue) => ({
    ownerId: customerGid(write.customerId),
    namespace: METAFIELD_NAMESPACE,
    key: m.key,
    type: m.type,
    value: m.value,
  }));
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** One request per tag change; metafields packed 25 to a call. Paced by the admin's cost bucket. */
async function writeByRequests(db: PrismaClient, admin: AdminGraphql, shopId: number, writes: CustomerWrite[]) {
  const failed = new Set<bigint>();
  const log = logger.child({ shop: admin.shop });
  const fail = (id: bigint, message: string) => {
    failed.add(id);
    log.warn({ customerId: id.toString(), err: message }, "write-back failed for a customer");
  };
  await pool(writes, IN_FLIGHT, async (w) => {
    try {
      if (w.tags.add.length) {
        const r = await admin.request<{ tagsAdd: { userErrors: { message: string }[] } }>(TAGS_ADD_MUTATION, { id: customerGid(w.customerId), tags: w.tags.add });
        assertNoUserErrors(r.tagsAdd, "tagsAdd");
      }
      if (w.tags.remove.length) {
        const r = await admin.request<{ tagsRemove: { userErrors: { message: string }[] } }>(TAGS_REMOVE_MUTATION, { id: customerGid(w.customerId), tags: w.tags.remove });
        assertNoUserErrors(r.tagsRemove, "tagsRemove");
      }
    } catch (error) {
      if ((error as Error).name !== "ShopifyUserError") throw error;
      fail(w.customerId, (error as Error).message);
    }
  });

  const withMetafields = writes.filter((w) => w.metafields && !failed.has(w.customerId));
  const perCall = Math.max(1, Math.floor(METAFIELDS_PER_CALL / METAFIELD_DEFINITIONS.length));
  const calls: CustomerWrite[][] = [];
  for (let i = 0; i < withMetafields.length; i += perCall) calls.push(withMetafields.slice(i, i + perCall));
  await pool(calls, IN_FLIGHT, async (group) => {
    try {
      const r = await admin.request<{ metafieldsSet: { userErrors: { message: string }[] } }>(METAFIELDS_SET_MUTATION, {
        metafields: group.flatMap(metafieldInputs),
      });
      assertNoUserErrors(r.metafieldsSet, "metafieldsSet");
    } catch (error) {
      if ((error as Error).name !== "ShopifyUserError") throw error;
      for (const w of group) fail(w.customerId, (error as Error).message);
    }
  });

  const done = writes.filter((w) => !failed.has(w.customerId));
  await recordWritten(db, shopId, done);
  return { written: done.length, failed: failed.size };
}

/** Large changes: one bulk mutation per kind (add, remove, metafields), one after another. */
async function writeByBulk(db: PrismaClient, admin: AdminGraphql, shopId: number, writes: CustomerWrite[], fetchFn?: typeof fetch) {
  const failed = new Set<bigint>();
  const kinds: { mutation: string; pick: (w: CustomerWrite) => Record<string, unknown> | null }[] = [
    { mutation: TAGS_ADD_MUTATION, pick: (w) => (w.tags.add.length ? { id: customerGid(w.customerId), tags: w.tags.add } : null) },
    { mutation: TAGS_REMOVE_MUTATION, pick: (w) => (w.tags.remove.length ? { id: customerGid(w.customerId), tags: w.tags.remove } : null) },
    { mutation: METAFIELDS_SET_MUTATION, pick: (w) => (w.metafields ? { metafields: metafieldInputs(w) } : null) },
  ];
  for (const kind of kinds) {
    const owners: bigint[] = [];
    const variables: Record<string, unknown>[] = [];
    for (const w of writes) {
      const v = kind.pick(w);
      if (!v) continue;
      owners.push(w.customerId);
      variables.push(v);
    }
    if (variables.length === 0) continue;
    const outcome = await runBulkMutation(admin, kind.mutation, variables, { fetchFn });
    for (const [line, message] of outcome.failures) {
      failed.add(owners[line]);
      logger.warn({ shop: admin.shop, customerId: owners[line]?.toString(), err: message }, "bulk write-back line failed");
    }
  }
  const done = writes.filter((w) => !failed.has(w.customerId));
  for (let i = 0; i < done.length; i += PAGE) await recordWritten(db, shopId, done.slice(i, i + PAGE));
  return { written: done.length, failed: failed.size };
}

/** Creates Patron's customer metafield definitions once, filterable in the segment editor. */
export async function ensureMetafieldDefinitions(db: PrismaClient, admin: AdminGraphql, shopId: number) {
  for (const d of METAFIELD_DEFINITIONS) {
    const r = await admin.request<MetafieldDefinitionCreateResult>(METAFIELD_DEFINITION_CREATE_MUTATION, {
      definition: {
        name: d.name,
        namespace: METAFIELD_NAMESPACE,
        key: d.key,
        type: d.type,
        description: d.description,
        ownerType: "CUSTOMER",
        capabilities: { adminFilterable: { enabled: true } },
      },
    });
    const errors = r.metafieldDefinitionCreate.userErrors.filter((e) => e.code !== "TAKEN");
    if (errors.length) assertNoUserErrors({ userErrors: errors }, `metafield definition ${d.key}`);
  }
  await db.shop.update({ where: { id: shopId }, data: { metafieldsDefinedAt: new Date() } });
}

/** Fires the Flow trigger once per recorded group change not yet announced (a week back at most). */
export async function sendFlowTriggers(db: PrismaClient, admin: AdminGraphql, shopId: number, now = new Date()): Promise<number> {
  const pending = await db.groupChange.findMany({
    where: { shopId, flowSentAt: null, reconstructed: false, from: { not: null }, at: { gt: new Date(now.getTime() - FLOW_WINDOW_MS) } },
    orderBy: { id: "asc" },
  });
  if (pending.length === 0) return 0;
  const scores = await db.customerScore.findMany({
    where: { shopId, customerId: { in: pending.map((p) => p.customerId) } },
    select: { customerId: true, predictedClv: true },
  });
  const clv = new Map(scores.map((s) => [s.customerId.toString(), s.predictedClv.toFixed(2)]));
  let sent = 0;
  for (const change of pending) {
    const r = await admin.request<{ flowTriggerReceive: { userErrors: { message: string }[] } }>(FLOW_TRIGGER_RECEIVE_MUTATION, {
      handle: FLOW_TRIGGER_HANDLE,
      payload: {
        customer_id: Number(change.customerId) <= Number.MAX_SAFE_INTEGER ? Number(change.customerId) : change.customerId.toString(),
        "Previous group": change.from!.replace(/_/g, "-"),
        "New group": change.to.replace(/_/g, "-"),
        "Value score": Math.round(change.valueScore * 10) / 10,
        "Predicted CLV": Number(clv.get(change.customerId.toString()) ?? "0"),
      },
    });
    assertNoUserErrors(r.flowTriggerReceive, "flowTriggerReceive");
    await db.groupChange.update({ where: { id: change.id }, data: { flowSentAt: new Date() } });
    sent++;
  }
  return sent;
}

/**
 * Brings Shopify in line with Patron's scores for one shop (or only the customers
 * named, e.g. after a VIP action): tags, metafields, then Flow triggers. Idempotent: it writes the difference against what it last wrote,
 * so a retried or repeated run sends nothing twice for tags and metafields.
 */
export async function writeBack(
  db: PrismaClient,
  admin: AdminGraphql,
  shopId: number,
  options: { fetchFn?: typeof fetch; bulkThreshold?: number; customerIds?: bigint[] } = {},
): Promise<WriteBackResult> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true, uninstalledAt: true, metafieldsDefinedAt: true } });
  if (shop.uninstalledAt) return { planned: 0, written: 0, failed: 0, mode: "none", flowTriggers: 0 };
  const settings = readSettings(shop.settings);
  if (settings.metafields && !shop.metafieldsDefinedAt) await ensureMetafieldDefinitions(db, admin, shopId);

  const writes = await planShopWrites(db, shopId, options.customerIds);
  const bulk = writes.length > (options.bulkThreshold ?? BULK_THRESHOLD);
  const outcome = writes.length === 0
    ? { written: 0, failed: 0 }
    : bulk
      ? await writeByBulk(db, admin, shopId, writes, options.fetchFn)
      : await writeByRequests(db, admin, shopId, writes);
  const flowTriggers = settings.flowTrigger && !options.customerIds ? await sendFlowTriggers(db, admin, shopId) : 0;
  return { planned: writes.length, ...outcome, mode: writes.length === 0 ? "none" : bulk ? "bulk" : "requests", flowTriggers };
}
