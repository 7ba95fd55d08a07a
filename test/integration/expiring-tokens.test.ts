import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import "../../app/shopify.server";
import { databaseKey, jobIdFor } from "../../app/queue/database-key.server";
import { closeQueues, enqueue, getQueue, QUEUES } from "../../app/queue/queues.server";
import { offlineSessionId } from "../../app/shopify/offline-tokens.server";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";
import type { FakeShopify } from "../fake-shopify/server";
import { storeOfflineSession } from "../support/admin-request";
import { installShop, startAppServer, startFake, startSyncStack, waitUntil, type AppServer } from "../support/app-harness";
import { startWorkerProcess, type WorkerProcess } from "../support/worker-process";

// Expiring offline tokens end to end: the app's webhook routes, the fake Shopify (whose
// tokens expire, refresh, get lost and get revoked on command) and real workers.

async function shopId(domain: string) {
  return (await prisma.shop.findUniqueOrThrow({ where: { domain } })).id;
}

async function backfilled(domain: string, timeoutMs = 60_000, said: () => string = () => "") {
  const id = await shopId(domain);
  let runs: unknown[] = [];
  await waitUntil(
    async () => {
      runs = await prisma.syncRun.findMany({ where: { shopId: id }, select: { kind: true, status: true, error: true } });
      return runs.filter((r) => (r as { status: string }).status === "COMPLETED").length === 2;
    },
    () => `both exports of ${domain} imported; runs ${JSON.stringify(runs)} ${said()}`,
    timeoutMs,
  );
  return id;
}

/** No lost and no repeated batch: every export's roots counted once, and exactly the store's records. */
async function expectExactImport(fake: FakeShopify, domain: string) {
  const id = await shopId(domain);
  const runs = await prisma.syncRun.findMany({ where: { shopId: id } });
  for (const run of runs) {
    expect(run.status).toBe("COMPLETED");
    expect(run.rootsDone).toBe(run.rootObjectCount);
  }
  const data = fake.shops.get(domain)!.data;
  expect(await prisma.order.count({ where: { shopId: id } })).toBe(data.orders.length);
  expect(await prisma.customer.count({ where: { shopId: id } })).toBe(data.customers.length);
}

/** Waits for the job the app enqueued as `id` (BullMQ's id carries the database's key). */
async function jobResult(id: string, timeoutMs = 30_000) {
  const jobId = jobIdFor(await databaseKey(prisma), id);
  return waitUntil(
    async () => {
      const job = await getQueue(QUEUES.sync).getJob(jobId);
      if (!job || !(await job.isCompleted())) return null;
      // Read again: the first read may predate the completion that stored the return value.
      const done = (await getQueue(QUEUES.sync).getJob(jobId))!;
      return { value: done.returnvalue as unknown, attemptsMade: done.attemptsMade };
    },
    `job ${jobId} completed`,
    timeoutMs,
  );
}

describe("expiring offline tokens with a worker in this process", () => {
  let fake: FakeShopify;
  let stop: () => Promise<void>;
  const OUTLIVED = "outlived.myshopify.com";
  const LOST = "lost-answer.myshopify.com";
  const LEGACY = "legacy-token.myshopify.com";

  beforeAll(async () => {
    ({ fake, stop } = await startSyncStack(
      [
        { shopDomain: OUTLIVED, customers: 150, seed: 31 },
        { shopDomain: LOST, customers: 40, seed: 32 },
        { shopDomain: LEGACY, customers: 20, seed: 33 },
      ],
      // The exports start a while after they are asked for, so the token can die in between.
      { bulkStartDelayMs: 1500 },
    ));
  });

  afterAll(async () => {
    await stop?.();
  });

  it("completes a backfill that outlives its access token, with no lost or repeated batch", async () => {
    await installShop(fake, OUTLIVED);
    const id = await shopId(OUTLIVED);
    await waitUntil(() => prisma.syncRun.count({ where: { shopId: id } }).then((n) => n === 2), "both exports started");
    // The token the backfill started with stops working at Shopify mid-backfill
    expect(fake.control.expireAccessTokens(OUTLIVED).expired).toBeGreaterThan(0);
    await backfilled(OUTLIVED);
    await expectExactImport(fake, OUTLIVED);
    const stats = fake.control.tokenStats(OUTLIVED);
    expect(stats.refreshes).toBe(1);
    expect(stats.refusedRefreshes).toBe(0);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: offlineSessionId(OUTLIVED) } });
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(fake.tokens.authenticate(session.accessToken, OUTLIVED)).not.toBeNull();
  }, 90_000);

  it("recovers a refresh whose answer was lost: the job's retry refreshes again with the kept refresh token", async () => {
    await installShop(fake, LOST);
    await backfilled(LOST);
    const before = fake.control.tokenStats(LOST).refreshes;
    fake.control.expireAccessTokens(LOST);
    fake.control.loseTokenAnswers(LOST, 1);
    await enqueue("reconcile", { shopId: await shopId(LOST) }, { jobId: "reconcile-lost-answer" });
    const result = await jobResult("reconcile-lost-answer");
    // The first attempt's refresh answer was lost; the retry's refresh succeeded
    expect(result.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(result.value).toMatchObject({ customers: expect.any(Number), orders: expect.any(Number) });
    expect(fake.control.tokenStats(LOST).refreshes - before).toBe(2);
    expect(fake.control.tokenStats(LOST).refusedRefreshes).toBe(0);
  }, 90_000);

  it("exchanges a non-expiring session for an expiring pair on the merchant's next visit", async () => {
    await storeOfflineSession(LEGACY, fake.control.issueToken(LEGACY, { expiring: false }));
    expect((await prisma.session.findUniqueOrThrow({ where: { id: offlineSessionId(LEGACY) } })).expires).toBeNull();
    await installShop(fake, LEGACY);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: offlineSessionId(LEGACY) } });
    expect(session.expires).not.toBeNull();
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(fake.control.tokenStats(LEGACY).migrations).toBe(1);
    expect(fake.tokens.authenticate(session.accessToken, LEGACY)?.expiresAt).not.toBeNull();
  }, 60_000);
});

describe("expiring offline tokens with worker processes", () => {
  let app: AppServer;
  let fake: FakeShopify;
  let restoreFetch: () => void;
  let workers: WorkerProcess[] = [];
  const SHARED = "four-workers.myshopify.com";
  const REVOKED = "revoked.myshopify.com";

  const workerEnv = () => ({ FAKE_SHOPIFY_URL: fake.url, SYNC_BATCH_ROOTS: "20", WORKER_LOCK_MS: "2000", LOG_LEVEL: "warn" });
  const output = () => workers.map((w, i) => `--- worker ${i}\n${w.output().slice(-2000)}`).join("\n");

  beforeAll(async () => {
    app = await startAppServer();
    fake = await startFake(app.url, [
      { shopDomain: SHARED, customers: 60, seed: 41 },
      { shopDomain: REVOKED, customers: 300, seed: 42 },
    ]);
    restoreFetch = routeShopifyToFake(fake.url);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await closeQueues();
    await fake?.close();
    await app?.close();
    restoreFetch?.();
  });

  it("four workers meeting an expired token at once cause exactly one refresh, and all continue", async () => {
    workers.push(...[0, 1, 2, 3].map(() => startWorkerProcess(workerEnv())));
    await installShop(fake, SHARED);
    const id = await backfilled(SHARED, 150_000, output);
    await waitUntil(async () => (await prisma.shop.findUniqueOrThrow({ where: { id } })).reconciledThrough, "reconciliation watermark set");
    // The token is past its expiry, as the app and Shopify both see it
    await prisma.session.update({ where: { id: offlineSessionId(SHARED) }, data: { expires: new Date(Date.now() - 1000) } });
    fake.control.expireAccessTokens(SHARED);
    const before = fake.control.tokenStats(SHARED).refreshes;
    const ids = Array.from({ length: 8 }, (_, i) => `reconcile-four-${i}`);
    await Promise.all(ids.map((jobId) => enqueue("reconcile", { shopId: id }, { jobId })));
    const results = await Promise.all(ids.map((jobId) => jobResult(jobId, 60_000)));
    for (const result of results) expect(result.value).toMatchObject({ customers: expect.any(Number) });
    expect(fake.control.tokenStats(SHARED).refreshes - before, output()).toBe(1);
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  }, 240_000);

  it("a revoked refresh token pauses the backfill and flags the shop; the next token exchange resumes it from its last batch", async () => {
    // Given a worker importing the orders export in batches of 20, killed mid-import
    await Promise.all(workers.map((w) => w.stop()));
    const first = startWorkerProcess(workerEnv());
    workers = [first];
    await installShop(fake, REVOKED);
    const id = await shopId(REVOKED);
    const caught = await waitUntil(
      () => prisma.syncRun.findFirst({ where: { shopId: id, kind: "ORDERS", status: "IMPORTING", linesDone: { gt: 0 } } }),
      () => `orders import under way; worker said: ${first.output()}`,
      120_000,
      5,
    );
    await first.kill();
    const atKill = await prisma.syncRun.findUniqueOrThrow({ where: { id: caught.id } });

    // when Shopify revokes the refresh token and the access token dies, and another worker takes the job up
    fake.control.revokeRefreshTokens(REVOKED);
    fake.control.expireAccessTokens(REVOKED);
    workers.push(startWorkerProcess(workerEnv()));
    const flagged = await waitUntil(
      async () => (await prisma.shop.findUniqueOrThrow({ where: { id } })).reauthNeededAt,
      () => `shop flagged; workers said: ${output()}`,
      120_000,
    );
    expect(flagged).toBeInstanceOf(Date);
    const job = await jobResult(`import-${caught.id}`);
    expect(job.value, JSON.stringify(job.value)).toMatch(/^paused until the merchant opens the app/);
    // then nothing retries the refused token, and the run keeps its progress
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(fake.control.tokenStats(REVOKED).refusedRefreshes).toBe(1);
    const paused = await prisma.syncRun.findUniqueOrThrow({ where: { id: caught.id } });
    expect(paused.status).toBe("IMPORTING");
    expect(paused.linesDone).toBeGreaterThanOrEqual(atKill.linesDone);
    expect(paused.linesDone).toBeGreaterThan(0n);

    // and when the merchant opens the app, its token exchange heals the shop and the import resumes
    await installShop(fake, REVOKED);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id } });
    expect(shop.reauthNeededAt).toBeNull();
    expect(shop.accessRestoredAt).toBeInstanceOf(Date);
    await backfilled(REVOKED, 120_000, output);
    await expectExactImport(fake, REVOKED);
  }, 360_000);
});
