import { Queue, UnrecoverableError, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import "../../app/shopify.server";
import { databaseKey, jobIdFor } from "../../app/queue/database-key.server";
import { closeQueues, QUEUES } from "../../app/queue/queues.server";
import type { FakeShopify } from "../fake-shopify/server";
import { installShop, startSyncStack, waitUntil, type SyncStack } from "../support/app-harness";
import { cloneTemplate, dropDatabase } from "../support/postgres";

// A database recreated (or restored, or another checkout's) next to a Redis that kept
// the earlier database's jobs: the new one numbers its shop, sync runs, inbox rows and
// fits from 1 again, the very ids the earlier jobs were named after.

const SHOP = "reset-store.myshopify.com";
const STORE = { shopDomain: SHOP, customers: 60, seed: 19 };
const connection = { url: process.env.REDIS_URL! };
const prefix = process.env.QUEUE_PREFIX!;

let stack: SyncStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

/** Installs, waits for both exports, a scoring and tags in the store, then streams `orders` orders and waits for their webhooks. */
async function installAndSync(fake: FakeShopify, orders: number) {
  await installShop(fake, SHOP);
  const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  await waitUntil(
    async () => (await prisma.syncRun.count({ where: { shopId, status: "COMPLETED" } })) === 2 && (await prisma.customerScore.count({ where: { shopId } })) > 0,
    "both exports imported and the shop scored",
    90_000,
    200,
  );
  const tagged = () => Object.values(fake.control.customerTags(SHOP)).filter((tags) => tags.some((t) => t.startsWith("patron:"))).length;
  await waitUntil(() => tagged() > 0, "Patron's tags written to the store", 60_000, 200);
  const store = fake.shops.get(SHOP)!;
  const variant = store.data.products[0].variants[0];
  for (let i = 0; i < orders; i++) {
    fake.control.placeOrder(SHOP, { customerId: store.data.customers[i].id, lineItems: [{ variantId: variant.id, quantity: 1 }] });
  }
  await fake.control.settle();
  await waitUntil(async () => (await prisma.webhookEvent.count({ where: { status: "PENDING" } })) === 0, "every delivery processed", 60_000, 200);
  return { shopId, tagged: tagged() };
}

/** Failed jobs under the ids the earlier database used: this app's keyed ids, and the unkeyed ones earlier versions used. */
async function leaveFailedJobs(key: string, inboxIds: bigint[]) {
  const planted: { queue: string; name: string; id: string; data: object }[] = [];
  for (const id of inboxIds) {
    for (const jobId of [jobIdFor(key, `wh-${id}`), `wh-${id}`]) planted.push({ queue: QUEUES.webhooks, name: "process-webhook", id: jobId, data: { inboxId: String(id) } });
  }
  for (const run of [1, 2]) {
    for (const jobId of [jobIdFor(key, `import-${run}`), `import-${run}`]) planted.push({ queue: QUEUES.sync, name: "backfill-import", id: jobId, data: { syncRunId: run } });
  }
  for (const jobId of [jobIdFor(key, "writeback-1-1"), "writeback-1-1"]) planted.push({ queue: QUEUES.writeback, name: "writeback", id: jobId, data: { shopId: 1 } });
  for (const queueName of new Set(planted.map((p) => p.queue))) {
    const queue = new Queue(queueName, { connection, prefix });
    const ours = planted.filter((p) => p.queue === queueName);
    for (const job of ours) {
      // A completed job of the earlier run may hold the keyed id already: it stays as it is.
      if (!(await queue.getJob(job.id))) await queue.add(job.name, job.data, { jobId: job.id, attempts: 1, removeOnFail: false });
    }
    const failing = new Worker(queueName, async () => {
      throw new UnrecoverableError("the earlier database's PostgreSQL went away");
    }, { connection: { ...connection, maxRetriesPerRequest: null }, prefix });
    await waitUntil(async () => {
      const counts = await queue.getJobCounts("waiting", "active");
      return counts.waiting + counts.active === 0;
    }, `planted ${queueName} jobs failed`, 30_000);
    await failing.close();
    await queue.close();
  }
  return planted.length;
}

describe("a fresh database next to a Redis holding an earlier database's jobs", () => {
  it("backfills, scores, tags and processes every webhook of the same shop again", async () => {
    // Given an earlier database that synced the shop, left its finished jobs in Redis,
    stack = await startSyncStack([STORE]);
    const earlier = await installAndSync(stack.fake, 5);
    const earlierKey = await databaseKey(prisma);
    const inboxIds = (await prisma.webhookEvent.findMany({ select: { id: true } })).map((r) => r.id);
    await stack.stop();
    stack = undefined;
    // and failed ones under the same shop, run numbers and inbox ids
    const planted = await leaveFailedJobs(earlierKey, inboxIds);
    const sync = new Queue(QUEUES.sync, { connection, prefix });
    expect((await sync.getJobCounts("completed")).completed).toBeGreaterThan(0);
    await sync.close();

    // when that database is dropped and created afresh under the same name
    const name = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    await prisma.$disconnect();
    await dropDatabase(name);
    await cloneTemplate(name);
    await closeQueues();

    // then the same store, installed again, is synced completely
    stack = await startSyncStack([STORE]);
    const again = await installAndSync(stack.fake, 5);
    expect(again.shopId).toBe(earlier.shopId);
    expect(await databaseKey(prisma)).not.toBe(earlierKey);
    expect(earlier.tagged).toBeGreaterThan(0);
    expect(again.tagged).toBeGreaterThan(0);
    // with ids the earlier database used (inbox rows numbered from 1 again), every delivery processed
    const processed = new Set((await prisma.webhookEvent.findMany({ where: { status: "PROCESSED" }, select: { id: true } })).map((r) => r.id));
    expect(inboxIds.filter((id) => processed.has(id)).length).toBeGreaterThan(5);
    expect(await prisma.webhookEvent.count({ where: { status: { not: "PROCESSED" } } })).toBe(0);
    expect(planted).toBeGreaterThan(0);
  }, 300_000);
});
