import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma, { createPrismaClient } from "../../app/db.server";
import { authenticate } from "../../app/shopify.server";
import { enqueueInboxEvent, ingestWebhook } from "../../app/sync/ingest.server";
import { startWorker } from "../../app/worker/worker.server";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";
import type { FakeShopify } from "../fake-shopify/server";
import { createManualClock, type ManualClock } from "../fake-shopify/util/clock";
import { startAppServer, startFake, waitUntil, type AppServer } from "../support/app-harness";

const SHOP = "ingest-store.myshopify.com";

function signed(url: string, topic: string, body: string, secret = process.env.SHOPIFY_API_SECRET!) {
  return new Request(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64"),
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": "2026-07",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
    body,
  });
}

const storedAnything = async () => (await prisma.webhookEvent.count()) + (await prisma.shop.count());

describe("webhook ingestion", () => {
  let app: AppServer;
  let fake: FakeShopify;
  let clock: ManualClock;
  let restoreFetch: () => void;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    app = await startAppServer();
    clock = createManualClock(Date.now());
    fake = await startFake(app.url, [{ shopDomain: SHOP, customers: 100, seed: 3 }], { clock });
    restoreFetch = routeShopifyToFake(fake.url);
    stopWorker = await startWorker();
  });

  afterAll(async () => {
    await stopWorker?.();
    await fake?.close();
    await app?.close();
    restoreFetch?.();
  });

  const allProcessed = async () => {
    await fake.control.settle();
    return (
      fake.control.deliveries().every((d) => d.status === "delivered") &&
      (await prisma.webhookEvent.count({ where: { status: { not: "PROCESSED" } } })) === 0
    );
  };

  it("answers 401 to a forged signature and stores nothing", async () => {
    const body = JSON.stringify({ id: 1, email: "forged@example.com" });
    const response = await fetch(signed(`${app.url}/webhooks/customers`, "customers/create", body, "not-the-secret"));
    expect(response.status).toBe(401);
    expect(await storedAnything()).toBe(0);
  });

  it("answers 400 to a body that is not JSON and stores nothing", async () => {
    const response = await fetch(signed(`${app.url}/webhooks/orders`, "orders/create", '{"id": 1, "total_price": "1'));
    expect(response.status).toBe(400);
    expect(await storedAnything()).toBe(0);
  });

  it("records a delivery sent several times once, and applies it once", async () => {
    // Given Shopify delivers every webhook three times with the same Webhook-Id
    fake.control.setFaults({ duplicates: 2 });
    try {
      const created = fake.control.createCustomer(SHOP, { firstName: "Dupe", email: "dupe@example.com" });
      await waitUntil(allProcessed, "deliveries processed");
      const [delivery] = fake.control.deliveries({ topic: "customers/create" });
      expect(delivery.attempts.map((a) => a.status)).toEqual([200, 200, 200]);
      // then the inbox holds it once, processed in one attempt
      const rows = await prisma.webhookEvent.findMany({ where: { webhookId: delivery.webhookId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: "PROCESSED", attempts: 1 });
      expect(await prisma.customer.findFirst({ where: { id: BigInt(created.id) } })).toMatchObject({ firstName: "Dupe" });
    } finally {
      fake.control.setFaults({ duplicates: 0 });
    }
  });

  it("resolves updates delivered out of order to the newest version", async () => {
    const store = fake.shops.get(SHOP)!;
    const customer = store.data.customers[5];
    const variant = store.data.products[0].variants[0];
    // Given updates a second apart (Shopify's updated_at has one-second resolution), held back
    fake.control.setFaults({ hold: true });
    const names = ["First", "Second", "Third", "Fourth"];
    for (const firstName of names) {
      clock.advance(1000);
      fake.control.updateCustomer(SHOP, customer.id, { firstName });
    }
    clock.advance(1000);
    const order = fake.control.placeOrder(SHOP, { customerId: null, lineItems: [{ variantId: variant.id, quantity: 3 }] });
    clock.advance(1000);
    fake.control.refund(SHOP, order.id, { lineItems: [{ lineItemId: order.lineItems[0].id, quantity: 1 }] });
    clock.advance(1000);
    fake.control.cancel(SHOP, order.id);
    // when they arrive newest first
    fake.control.setFaults({ hold: false });
    expect(fake.control.releaseWebhooks({ order: "reverse" })).toBeGreaterThan(8);
    await waitUntil(allProcessed, "deliveries processed");
    // then Patron holds the newest of each
    expect(await prisma.customer.findFirst({ where: { id: BigInt(customer.id) } })).toMatchObject({ firstName: "Fourth" });
    const stored = await prisma.order.findFirstOrThrow({ where: { id: BigInt(order.id) } });
    expect(stored.cancelledAt?.toISOString()).toBe(new Date(order.cancelledAt!).toISOString());
    expect(stored.shopifyUpdatedAt.toISOString()).toBe(new Date(order.updatedAt).toISOString());
    expect(stored.totalRefunded.toFixed(2)).toBe(order.refunds[0].totalRefunded);
    expect(stored.financialStatus).toBe("partially_refunded");
  });

  it("answers 503 while PostgreSQL is down, so Shopify retries, and stores the retry once it is back", async () => {
    // A Prisma client on a port where nothing listens stands in for a database outage.
    const down = createPrismaClient("postgresql://postgres@127.0.0.1:9/patron");
    let healthy = false;
    const outage = await startAppServer((request) =>
      ingestWebhook(request, { db: healthy ? prisma : down, authenticateWebhook: authenticate.webhook, enqueue: enqueueInboxEvent }),
    );
    try {
      const body = JSON.stringify({ id: 7000000000999, email: "later@example.com", updated_at: new Date().toISOString() });
      const request = signed(`${outage.url}/webhooks/customers`, "customers/create", body);
      const webhookId = request.headers.get("x-shopify-webhook-id")!;
      const first = await fetch(request.clone());
      expect(first.status).toBe(503);
      expect(await prisma.webhookEvent.count({ where: { webhookId } })).toBe(0);
      healthy = true;
      const retry = await fetch(request);
      expect(retry.status).toBe(200);
      await waitUntil(async () => (await prisma.webhookEvent.findFirst({ where: { webhookId } }))?.status === "PROCESSED", "retry processed");
    } finally {
      await outage.close();
      await down.$disconnect();
    }
  });

  it("answers 503 when the database fails while the library loads the shop's session", async () => {
    // authenticate.webhook reads the offline session after the HMAC check; with
    // PostgreSQL down that read throws, which must not become an unhandled 500.
    const response = await ingestWebhook(signed("http://127.0.0.1/webhooks/orders", "orders/create", "{}"), {
      db: prisma,
      authenticateWebhook: async () => {
        throw new Error("Can't reach database server at 127.0.0.1:5432");
      },
      enqueue: enqueueInboxEvent,
    });
    expect(response.status).toBe(503);
  });
});
