import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeShopify } from "../fake-shopify/server";
import { orderTotals } from "../fake-shopify/store/order-math";
import { formatMoney } from "../fake-shopify/util/money";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";
import { installShop, startAppServer, startFake, waitUntil, type AppServer } from "../support/app-harness";
import { freePort, startRedis, stopProcess } from "../support/redis-server";

// This file stops Redis, so it runs its own redis-server rather than the shared one.
// env() is read once, on first use: REDIS_URL is set before any app module loads.
const port = await freePort();
process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
let redis: ChildProcess = await startRedis(port);

const { default: prisma } = await import("../../app/db.server");
await import("../../app/shopify.server");
const { startWorker } = await import("../../app/worker/worker.server");
const { enqueue, getQueue, QUEUES } = await import("../../app/queue/queues.server");

const SHOP = "outage-store.myshopify.com";
const SWEEP_AFTER_MS = 10_000;

describe("a Redis outage during a burst of deliveries", () => {
  let app: AppServer;
  let fake: FakeShopify;
  let stopWorker: () => Promise<void>;
  let restoreFetch: () => void;

  beforeAll(async () => {
    app = await startAppServer();
    fake = await startFake(app.url, [{ shopDomain: SHOP, customers: 100, seed: 5 }]);
    restoreFetch = routeShopifyToFake(fake.url);
    stopWorker = await startWorker();
    // Webhooks never create shops: the app is installed first, and its history backfilled.
    await installShop(fake, SHOP);
    await waitUntil(async () => (await prisma.syncRun.count({ where: { status: "COMPLETED" } })) === 2, "backfill completed");
    await fake.control.settle();
    await waitUntil(async () => (await prisma.webhookEvent.count({ where: { status: "PENDING" } })) === 0, "install deliveries processed");
  });

  afterAll(async () => {
    await stopWorker?.();
    await fake?.close();
    await app?.close();
    restoreFetch?.();
    await stopProcess(redis);
  });

  it("answers every delivery 200 and processes all of them once Redis is back", async () => {
    const store = fake.shops.get(SHOP)!;
    const variant = store.data.products[0].variants[0];
    const place = (i: number) =>
      fake.control.placeOrder(SHOP, { customerId: store.data.customers[i].id, lineItems: [{ variantId: variant.id, quantity: 1 + (i % 3) }] });

    // Given a burst under way
    const deliveriesBefore = fake.control.deliveries({ shop: SHOP }).length;
    const orders = [];
    for (let i = 0; i < 10; i++) orders.push(place(i));
    const before = await prisma.webhookEvent.count({ where: { status: "PROCESSED" } });
    await waitUntil(async () => (await prisma.webhookEvent.count({ where: { status: "PROCESSED" } })) > before, "first deliveries processed");

    // when Redis dies in the middle of it, and the burst goes on
    await stopProcess(redis);
    for (let i = 10; i < 25; i++) orders.push(place(i));
    await fake.control.settle();
    // then Shopify still got 200 for everything: the inbox took it
    const deliveries = fake.control.deliveries({ shop: SHOP }).slice(deliveriesBefore);
    expect(deliveries.filter((d) => d.status !== "delivered")).toEqual([]);
    expect(await prisma.webhookEvent.count({ where: { webhookId: { in: deliveries.map((d) => d.webhookId) } } })).toBe(deliveries.length);
    expect(await prisma.webhookEvent.count({ where: { status: "PENDING" } })).toBeGreaterThan(0);

    // When Redis comes back empty (no persistence): queued jobs and job schedulers are gone
    redis = await startRedis(port);
    // then the worker puts its schedulers back
    await waitUntil(
      async () => (await getQueue(QUEUES.sync).getJobSchedulers().catch(() => [])).some((s) => s.key === "sweep-inbox" || s.name === "sweep-inbox"),
      "sweep-inbox scheduler restored",
      15_000,
    );
    // and the sweep (due every 30 s; run here once the rows are old enough) enqueues what was missed
    const oldest = await prisma.webhookEvent.findFirstOrThrow({ where: { status: "PENDING" }, orderBy: { receivedAt: "desc" } });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, oldest.receivedAt.getTime() + SWEEP_AFTER_MS + 200 - Date.now())));
    await enqueue("sweep-inbox", {});
    await waitUntil(async () => (await prisma.webhookEvent.count({ where: { status: { not: "PROCESSED" } } })) === 0, "every delivery processed", 20_000);

    // and every order is in, once, with the store's amounts. (A delivery processed while
    // Redis was down may have run twice: its rescore request could not be queued, so the
    // job failed after the write and ran again; the write is newest-wins, so that is harmless.)
    const rows = await prisma.webhookEvent.findMany({ where: { webhookId: { in: deliveries.map((d) => d.webhookId) } }, select: { webhookId: true } });
    expect(new Set(rows.map((r) => r.webhookId)).size).toBe(deliveries.length);
    const stored = await prisma.order.findMany({ where: { id: { in: orders.map((o) => BigInt(o.id)) } }, select: { id: true, totalPrice: true }, orderBy: { id: "asc" } });
    expect(stored.map((o) => [o.id.toString(), o.totalPrice.toFixed(2)])).toEqual(
      orders.map((o) => [o.id, formatMoney(orderTotals(o).total)]).sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1)),
    );
  }, 60_000);
});
