import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../demo/services";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";
import { freePort } from "../support/redis-server";

// This file stops PostgreSQL, so it runs its own (an embedded server), not the shared one.
// env() is read once, on first use: the variables are set before any app module loads.
// Retries 20 ms apart (8 attempts in about 5 s) and a sweep every second stand in for
// production's 1 s backoff (about 2 minutes) and 30 s sweeps.
const dataDir = mkdtempSync(path.join(tmpdir(), "patron-pg-outage-"));
chmodSync(dataDir, 0o755); // the server runs as `postgres` when root runs the tests
const port = await freePort();
let server = await startEmbeddedPostgres(dataDir, { port });
process.env.DATABASE_URL = server.url;
process.env.JOB_BACKOFF_MS = "20";
process.env.SWEEP_INTERVAL_MS = "1000";
execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], { env: { ...process.env }, stdio: "ignore" });

const { default: prisma } = await import("../../app/db.server");
await import("../../app/shopify.server");
const { startWorker } = await import("../../app/worker/worker.server");
const { getQueue, QUEUES } = await import("../../app/queue/queues.server");
const { databaseKey, jobIdFor } = await import("../../app/queue/database-key.server");
const { installShop, startAppServer, startFake, waitUntil } = await import("../support/app-harness");
const { closeIngestResources } = await import("../../app/sync/webhook-route.server");

const SHOP = "outage-pg.myshopify.com";

describe("PostgreSQL down for longer than a delivery's retries", () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    // PostgreSQL stops only once its clients are gone: the webhook ingest pool is one.
    await closeIngestResources();
    await prisma.$disconnect();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("processes the delivery once PostgreSQL is back, by a new job in place of the failed one", async () => {
    const app = await startAppServer();
    cleanup.push(() => app.close());
    const fake = await startFake(app.url, [{ shopDomain: SHOP, customers: 20, seed: 4 }]);
    cleanup.push(() => fake.close());
    cleanup.push(routeShopifyToFake(fake.url));
    const stopWorker = await startWorker();
    cleanup.push(stopWorker);
    await installShop(fake, SHOP);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    await waitUntil(async () => (await prisma.syncRun.count({ where: { shopId, status: "COMPLETED" } })) === 2, "backfill", 60_000, 200);
    const key = await databaseKey(prisma);

    // Given a delivery recorded while its job waits (the webhooks queue is held for the moment)
    const webhooks = getQueue(QUEUES.webhooks);
    await webhooks.pause();
    const store = fake.shops.get(SHOP)!;
    const order = fake.control.placeOrder(SHOP, { customerId: store.data.customers[0].id, lineItems: [{ variantId: store.data.products[0].variants[0].id, quantity: 2 }] });
    await fake.control.settle();
    const row = await prisma.webhookEvent.findFirstOrThrow({ where: { topic: "orders/create" }, select: { id: true, status: true } });
    expect(row.status).toBe("PENDING");

    // when PostgreSQL goes down and the job runs out of its attempts
    await server.stop();
    await webhooks.resume();
    const jobId = jobIdFor(key, `wh-${row.id}`);
    // The state first, then the job: a job read before its last attempt would show one attempt too few.
    const failed = await waitUntil(
      async () => ((await webhooks.getJobState(jobId)) === "failed" ? webhooks.getJob(jobId) : null),
      "the delivery's job failed for good",
      60_000,
      100,
    );
    expect(failed.attemptsMade).toBe(8);

    // then, PostgreSQL back, the sweeper gives the row a new job and it is processed
    server = await startEmbeddedPostgres(dataDir, { port });
    await waitUntil(
      async () => (await prisma.webhookEvent.findUnique({ where: { id: row.id }, select: { status: true } }).catch(() => null))?.status === "PROCESSED",
      "the delivery processed after the outage",
      120_000,
      200,
    );
    const orderId = BigInt(order.id.split("/").pop()!);
    expect(await prisma.order.count({ where: { shopId, id: orderId } })).toBe(1);
  }, 240_000);
});
