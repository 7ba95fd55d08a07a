import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import "../../app/shopify.server";
import { closeQueues } from "../../app/queue/queues.server";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";
import type { FakeShopify } from "../fake-shopify/server";
import { installShop, startAppServer, startFake, waitUntil, type AppServer } from "../support/app-harness";
import { patronLedger, storeLedger } from "../support/sync-compare";
import { startWorkerProcess, type WorkerProcess } from "../support/worker-process";

const SHOP = "crash-store.myshopify.com";

describe("a worker killed mid-backfill", () => {
  let app: AppServer;
  let fake: FakeShopify;
  let restoreFetch: () => void;
  const workers: WorkerProcess[] = [];

  const workerEnv = () => ({
    FAKE_SHOPIFY_URL: fake.url,
    // Small batches so the kill lands mid-import; short locks so a killed worker's job is taken up in seconds.
    SYNC_BATCH_ROOTS: "20",
    WORKER_LOCK_MS: "2000",
    LOG_LEVEL: "warn",
  });

  beforeAll(async () => {
    app = await startAppServer();
    fake = await startFake(app.url, [{ shopDomain: SHOP, customers: 300, seed: 21 }]);
    restoreFetch = routeShopifyToFake(fake.url);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await closeQueues();
    await fake?.close();
    await app?.close();
    restoreFetch?.();
  });

  it("resumes where it stopped, with two worker processes, and ends with exactly the store's orders", async () => {
    // Given a worker process and a shop that installs Patron
    const first = startWorkerProcess(workerEnv());
    workers.push(first);
    await installShop(fake, SHOP);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;

    // when the worker is killed while importing the orders export
    let runs: unknown[] = [];
    const caught = await waitUntil(
      async () => {
        runs = await prisma.syncRun.findMany({ where: { shopId }, select: { kind: true, status: true, linesDone: true } });
        return prisma.syncRun.findFirst({ where: { shopId, kind: "ORDERS", status: "IMPORTING", linesDone: { gt: 0 } } });
      },
      () => `orders import under way; runs ${JSON.stringify(runs, (_k, v) => (typeof v === "bigint" ? String(v) : v))}; worker said: ${first.output()}`,
      60_000,
      5,
    );
    await first.kill();
    const atKill = await prisma.syncRun.findUniqueOrThrow({ where: { id: caught.id } });
    expect(atKill.status).toBe("IMPORTING");
    expect(Number(atKill.rootsDone)).toBeGreaterThan(0);
    expect(Number(atKill.rootsDone)).toBeLessThan(Number(atKill.rootObjectCount));

    // and two fresh worker processes take over while new orders keep arriving
    workers.push(startWorkerProcess(workerEnv()), startWorkerProcess(workerEnv()));
    const store = fake.shops.get(SHOP)!;
    const variant = store.data.products[1].variants[0];
    for (let i = 0; i < 20; i++) {
      fake.control.placeOrder(SHOP, { customerId: store.data.customers[i].id, lineItems: [{ variantId: variant.id, quantity: 1 }] });
    }

    // then the import finishes from where it stopped
    await waitUntil(
      async () => (await prisma.syncRun.count({ where: { shopId, status: "COMPLETED" } })) === 2,
      "both exports imported after the crash",
      60_000,
    );
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: caught.id } });
    // Every root counted once: a batch written twice would push rootsDone past the export's root count.
    expect(run.rootsDone).toBe(run.rootObjectCount);
    await waitUntil(async () => {
      await fake.control.settle();
      return (await prisma.webhookEvent.count({ where: { status: { not: "PROCESSED" } } })) === 0;
    }, "every delivery processed");

    // and Patron holds exactly the store's orders, money per customer included
    expect(await prisma.order.count({ where: { shopId } })).toBe(store.data.orders.length);
    expect(await patronLedger(prisma, shopId)).toEqual(storeLedger(fake, SHOP));
    // and with two workers on one Redis no delivery was processed twice
    const twice = await prisma.webhookEvent.findMany({ where: { attempts: { not: 1 } }, select: { topic: true, attempts: true, error: true } });
    expect(twice).toEqual([]);
  }, 120_000);
});
