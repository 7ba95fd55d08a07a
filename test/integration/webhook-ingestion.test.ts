import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import prisma from "../../app/db.server";
import { ingestWebhook } from "../../app/sync/ingest.server";
import { InboxWriter } from "../../app/sync/inbox-writer.server";
import { enqueueInboxRows, ingestResources } from "../../app/sync/webhook-route.server";
import { startWorker } from "../../app/worker/worker.server";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";
import type { FakeShopify } from "../fake-shopify/server";
import { createManualClock, type ManualClock } from "../fake-shopify/util/clock";
import { installShop, startAppServer, startFake, waitUntil, type AppServer } from "../support/app-harness";

const SHOP = "ingest-store.myshopify.com";
const secret = process.env.SHOPIFY_API_SECRET!;
const OTHER = "other-store.myshopify.com";

function signedHeaders(topic: string, body: string, overrides: Record<string, string> = {}, secret = process.env.SHOPIFY_API_SECRET!) {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64"),
    "X-Shopify-Shop-Domain": SHOP,
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    ...overrides,
  };
}

function signed(url: string, topic: string, body: string, secret = process.env.SHOPIFY_API_SECRET!, overrides: Record<string, string> = {}) {
  return new Request(url, { method: "POST", headers: signedHeaders(topic, body, overrides, secret), body });
}

/** Inbox rows holding this request's webhook id. */
const stored = (request: Request | string[]) =>
  prisma.webhookEvent.count({ where: { webhookId: { in: Array.isArray(request) ? request : [request.headers.get("x-shopify-webhook-id")!] } } });

describe("webhook ingestion", () => {
  let app: AppServer;
  let fake: FakeShopify;
  let clock: ManualClock;
  let restoreFetch: () => void;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    app = await startAppServer();
    clock = createManualClock(Date.now());
    fake = await startFake(app.url, [{ shopDomain: SHOP, customers: 100, seed: 3 }, { shopDomain: OTHER, customers: 20, seed: 4 }], { clock });
    restoreFetch = routeShopifyToFake(fake.url);
    stopWorker = await startWorker();
    // Webhooks never create shops: both shops install the app first, for real.
    await installShop(fake, SHOP);
    await installShop(fake, OTHER);
    // Their history backfills first, so the live updates below are newer than its snapshot.
    await waitUntil(async () => (await prisma.syncRun.count({ where: { status: "COMPLETED" } })) === 4, "both shops backfilled");
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
      (await prisma.webhookEvent.count({ where: { status: "PENDING" } })) === 0
    );
  };

  it("answers 401 to a forged signature and stores nothing", async () => {
    const body = JSON.stringify({ id: 1, email: "forged@example.com" });
    const request = signed(`${app.url}/webhooks/customers`, "customers/create", body, "not-the-secret");
    const response = await fetch(request.clone());
    expect(response.status).toBe(401);
    expect(await stored(request)).toBe(0);
  });

  it("answers 400 to a signed delivery missing a Shopify header and stores nothing", async () => {
    const body = JSON.stringify({ id: 1 });
    const headers = signedHeaders("customers/create", body);
    const { "X-Shopify-Webhook-Id": webhookId, ...withoutId } = headers;
    const response = await fetch(`${app.url}/webhooks/customers`, { method: "POST", headers: withoutId, body });
    expect(response.status).toBe(400);
    expect(await prisma.webhookEvent.count({ where: { webhookId } })).toBe(0);
  });

  it("answers 400 to a body that is not JSON and stores nothing", async () => {
    const request = signed(`${app.url}/webhooks/orders`, "orders/create", '{"id": 1, "total_price": "1');
    const response = await fetch(request.clone());
    expect(response.status).toBe(400);
    expect(await stored(request)).toBe(0);
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
      expect(await prisma.customer.findFirst({ where: { shop: { domain: SHOP }, id: BigInt(created.id) } })).toMatchObject({ firstName: "Dupe" });
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
    // Past anything the install's write-back stamped on the customer.
    clock.advance(60_000);
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
    expect(await prisma.customer.findFirst({ where: { shop: { domain: SHOP }, id: BigInt(customer.id) } })).toMatchObject({ firstName: "Fourth" });
    const stored = await prisma.order.findFirstOrThrow({ where: { shop: { domain: SHOP }, id: BigInt(order.id) } });
    expect(stored.cancelledAt?.toISOString()).toBe(new Date(order.cancelledAt!).toISOString());
    expect(stored.shopifyUpdatedAt.toISOString()).toBe(new Date(order.updatedAt).toISOString());
    expect(stored.totalRefunded.toFixed(2)).toBe(order.refunds[0].totalRefunded);
    expect(stored.financialStatus).toBe("partially_refunded");
  });

  it("answers 503 while PostgreSQL is down, so Shopify retries, and stores the retry once it is back", async () => {
    // A pool on a port where nothing listens stands in for a database outage.
    const down = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:9/patron", connectionTimeoutMillis: 1000 });
    const live = ingestResources();
    let healthy = false;
    const outage = await startAppServer((request) =>
      ingestWebhook(request, healthy ? { secret, sql: live.pool, inbox: live.inbox } : { secret, sql: down, inbox: new InboxWriter({ sql: down }) }, "customers"),
    );
    try {
      const customer = fake.shops.get(SHOP)!.data.customers[1];
      const body = JSON.stringify({ id: Number(customer.id), email: "later@example.com", updated_at: new Date(clock.now()).toISOString() });
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
      await down.end();
    }
  });

  it("answers 503 when the database fails while it looks up a shop it has not cached", async () => {
    const failing = { query: () => Promise.reject(new Error("Can't reach database server at 127.0.0.1:5432")) };
    const body = JSON.stringify({ id: 1, myshopify_domain: SHOP });
    // app/uninstalled always reads its shop afresh.
    const request = signed("http://127.0.0.1/webhooks/app/uninstalled", "app/uninstalled", body);
    const response = await ingestWebhook(request, { secret, sql: failing, inbox: ingestResources().inbox }, "uninstalled");
    expect(response.status).toBe(503);
    expect(await stored(request)).toBe(0);
  });

  it("answers 503 at once past the bound of waiting writes, and within the deadline when a write hangs, storing the retry once", async () => {
    // Given an inbox whose statements hang (a lock, a saturated disk) until released
    const live = ingestResources();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hanging = { query: <R,>(text: string, values?: unknown[]) => held.then(() => live.pool.query(text, values)) as Promise<{ rows: R[] }> };
    const inbox = new InboxWriter({ sql: hanging, concurrency: 1, maxPending: 2, onInserted: enqueueInboxRows });
    const deps = { secret, sql: live.pool, inbox, deadlineMs: 300 };
    // A process already at its bound of deliveries in progress answers 503 without reading the body.
    // (The one in progress is another route's topic: dropped, it stores nothing.)
    const busy = ingestWebhook(signed("http://127.0.0.1/webhooks/customers", "orders/create", "{}"), deps, "customers");
    expect((await ingestWebhook(signed("http://127.0.0.1/webhooks/customers", "customers/update", "{}"), { ...deps, maxInFlight: 1 }, "customers")).status).toBe(503);
    expect((await busy).status).toBe(200);
    const customer = fake.shops.get(SHOP)!.data.customers[3];
    const requests = [0, 1, 2].map((i) =>
      signed("http://127.0.0.1/webhooks/customers", "customers/update", JSON.stringify({ id: Number(customer.id), note: `n${i}`, updated_at: new Date(clock.now()).toISOString() })),
    );
    const started = Date.now();
    // when three arrive together, the third finds two waiting and is refused at once
    const answers = requests.map((r) => ingestWebhook(r.clone(), deps, "customers").then((res) => ({ status: res.status, ms: Date.now() - started })));
    const [a, b, c] = await Promise.all(answers);
    expect(c.status).toBe(503);
    // and the two waiting are answered 503 at their deadline, not late
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(Math.max(a.ms, b.ms, c.ms)).toBeLessThan(3000);
    // When the database comes back, the statement already sent commits after its answer
    release();
    await waitUntil(() => inbox.load().pending === 0, "the hanging write settled");
    expect(await stored(requests[0])).toBe(1);
    // then Shopify's retries are recorded once each
    for (const request of requests) expect((await ingestWebhook(request.clone(), { secret, sql: live.pool, inbox: live.inbox }, "customers")).status).toBe(200);
    expect(await stored(requests.map((r) => r.headers.get("x-shopify-webhook-id")!))).toBe(3);
  });

  describe("what it believes without proof", () => {
    const sent: string[] = [];
    const post = (path: string, topic: string, body: string, overrides: Record<string, string> = {}) => {
      const request = signed(`${app.url}${path}`, topic, body, undefined, overrides);
      sent.push(request.headers.get("x-shopify-webhook-id")!);
      return fetch(request);
    };
    const storedSent = async () => {
      const count = await stored(sent);
      sent.length = 0;
      return count;
    };
    const shopId = async (domain: string) => (await prisma.shop.findUniqueOrThrow({ where: { domain } })).id;
    const failedRow = (webhookId: string) => {
      let last = "no row";
      return waitUntil(async () => {
        const row = await prisma.webhookEvent.findFirst({ where: { webhookId } });
        if (row) last = `${row.status} after ${row.attempts} attempt(s): ${row.error}`;
        return row?.status === "FAILED" ? row : null;
      }, () => `inbox row ${webhookId} FAILED (${last})`, 20_000);
    };

    /** A real delivery the fake sent for SHOP: its body carries Shopify's signature. */
    async function genuineOrderDelivery() {
      const variant = fake.shops.get(SHOP)!.data.products[0].variants[0];
      const order = fake.control.placeOrder(SHOP, { customerId: null, lineItems: [{ variantId: variant.id, quantity: 1 }] });
      await waitUntil(allProcessed, "deliveries processed");
      const [delivery] = fake.control.deliveries({ topic: "orders/create" }).filter((d) => JSON.parse(d.body).id === Number(order.id));
      return { order, delivery };
    }

    it("keeps a replayed delivery with rewritten headers from changing any shop", async () => {
      const { order, delivery } = await genuineOrderDelivery();
      const ordersInShop = await prisma.order.count({ where: { shopId: await shopId(SHOP) } });
      const replay = (path: string, topic: string, shop: string) =>
        fetch(`${app.url}${path}`, {
          method: "POST",
          body: delivery.body,
          headers: { ...delivery.headers, "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": shop, "X-Shopify-Webhook-Id": randomUUID() },
        });
      // Given the same signed body, sent to the orders route as shop/redact, and as shop/redact to the compliance route
      expect((await replay("/webhooks/orders", "shop/redact", SHOP)).status).toBe(200);
      expect((await replay("/webhooks/compliance", "shop/redact", SHOP)).status).toBe(200);
      expect((await replay("/webhooks/customers", "orders/create", SHOP)).status).toBe(200);
      // then nothing was even recorded, and the shop still has every order
      expect(await prisma.webhookEvent.count({ where: { topic: "shop/redact" } })).toBe(0);
      expect(await prisma.order.count({ where: { shopId: await shopId(SHOP) } })).toBe(ordersInShop);
      // When it is planted on another installed shop
      const planted = await replay("/webhooks/orders", "orders/create", OTHER);
      expect(planted.status).toBe(200);
      const row = await failedRow((await prisma.webhookEvent.findFirstOrThrow({ where: { shopId: await shopId(OTHER), topic: "orders/create" } })).webhookId);
      // then Shopify, asked with that shop's own token, denies the order: it is refused for good, not stored
      expect(row.error).toMatch(/not in other-store/);
      expect(row.attempts).toBe(1);
      expect(await prisma.order.count({ where: { id: BigInt(order.id), shopId: await shopId(OTHER) } })).toBe(0);
    });

    it("drops a compliance payload whose shop_domain is not the header's shop", async () => {
      const customer = fake.shops.get(SHOP)!.data.customers[2];
      const body = JSON.stringify({ shop_id: 1, shop_domain: SHOP, customer: { id: Number(customer.id) }, orders_to_redact: [] });
      await storedSent();
      const response = await post("/webhooks/compliance", "customers/redact", body, { "X-Shopify-Shop-Domain": OTHER });
      expect(response.status).toBe(200);
      expect(await storedSent()).toBe(0);
    });

    it("drops deliveries for a shop that never installed, or that is no Shopify domain, creating no row and no job", async () => {
      const shops = await prisma.shop.count();
      await storedSent();
      const body = JSON.stringify({ id: 5001, updated_at: new Date().toISOString() });
      for (const domain of ["never-installed.myshopify.com", `${"a".repeat(4996)}.myshopify.com`, "evil.example.com", "Ingest-Store.myshopify.com"]) {
        const response = await post("/webhooks/orders", "orders/create", body, { "X-Shopify-Shop-Domain": domain });
        expect(response.status, domain.slice(0, 40)).toBe(200);
      }
      expect(await prisma.shop.count()).toBe(shops);
      expect(await storedSent()).toBe(0);
      const { getQueue, QUEUES } = await import("../../app/queue/queues.server");
      const jobs = await getQueue(QUEUES.sync).getJobs(["waiting", "delayed", "active", "prioritized"]);
      expect(jobs.filter((j) => (j?.data as { shopId?: number })?.shopId === undefined && j?.name === "backfill-start")).toHaveLength(0);
    });

    it("marks an order id at or above 2^63 FAILED at once, without retrying", async () => {
      const body = readFileSync(new URL("../../app/sync/fixtures/orders-create.json", import.meta.url), "utf8").replaceAll("9007199254741993", "9223372036854775808");
      expect(body).toContain("9223372036854775808");
      const request = signed(`${app.url}/webhooks/orders`, "orders/create", body);
      expect((await fetch(request.clone())).status).toBe(200);
      const row = await failedRow(request.headers.get("x-shopify-webhook-id")!);
      expect(row).toMatchObject({ status: "FAILED", attempts: 1 });
      expect(row.error).toMatch(/not a Shopify id/);
    });

    it("marks a value PostgreSQL refuses (a quantity beyond 2^31) FAILED at once, without retrying", async () => {
      const { delivery } = await genuineOrderDelivery();
      const payload = JSON.parse(delivery.body) as { id: number; line_items: { quantity: number; current_quantity: number }[] };
      // Both: the units counted are the current ones, capped by those ordered.
      payload.line_items[0].quantity = 3_000_000_000;
      payload.line_items[0].current_quantity = 3_000_000_000;
      const response = await post("/webhooks/orders", "orders/updated", JSON.stringify(payload));
      expect(response.status).toBe(200);
      const failed = await failedRow(sent.at(-1)!);
      expect(failed.attempts).toBe(1);
      expect(failed.error).toMatch(/22003|out of range|P2020/i);
    });

    it("answers 400 to a bad X-Shopify-Triggered-At, a body nested 5,000 deep and a payload the database refuses, storing nothing", async () => {
      await storedSent();
      const flat = JSON.stringify({ id: 1 });
      expect((await post("/webhooks/customers", "customers/create", flat, { "X-Shopify-Triggered-At": "yesterday-ish" })).status).toBe(400);
      const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
      expect((await post("/webhooks/customers", "customers/create", deep)).status).toBe(400);
      // PostgreSQL's jsonb cannot hold a NUL character (22P05): refused for good, not retried as an outage.
      expect((await post("/webhooks/customers", "customers/create", '{"id": 1, "note": "a\\u0000b"}')).status).toBe(400);
      expect(await storedSent()).toBe(0);
    });

    it("refuses a 50 MB body with 413 without reading it whole, declared or chunked", async () => {
      const size = 50 * 1024 * 1024;
      // Declared: the Content-Length alone decides.
      const declared = await sendLarge(`${app.url}/webhooks/orders`, size, true);
      expect(declared.status).toBe(413);
      expect(declared.bytesWritten).toBeLessThan(size / 2);
      // Chunked: the bytes are counted as they arrive.
      const chunked = await sendLarge(`${app.url}/webhooks/orders`, size, false);
      expect(chunked.status).toBe(413);
      expect(chunked.bytesWritten).toBeLessThan(size / 2);
      expect(await prisma.webhookEvent.count({ where: { webhookId: { in: [declared.webhookId, chunked.webhookId] } } })).toBe(0);
    });

    it("believes app/uninstalled only once Shopify refuses the shop's token", async () => {
      // Given a signed app/uninstalled for a shop that did not uninstall
      const body = JSON.stringify({ id: 1, myshopify_domain: OTHER, domain: OTHER });
      const forged = signed(`${app.url}/webhooks/app/uninstalled`, "app/uninstalled", body, undefined, { "X-Shopify-Shop-Domain": OTHER });
      expect((await fetch(forged.clone())).status).toBe(200);
      const row = await failedRow(forged.headers.get("x-shopify-webhook-id")!);
      // then Shopify still takes the token: the sessions stay, the shop stays installed
      expect(row.error).toMatch(/not confirmed/);
      expect(await prisma.session.count({ where: { shop: OTHER } })).toBeGreaterThan(0);
      expect((await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER } })).uninstalledAt).toBeNull();
      // When the merchant really uninstalls (Shopify revokes the token)
      fake.control.uninstall(OTHER);
      await waitUntil(async () => (await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER } })).uninstalledAt, "uninstall recorded");
      expect(await prisma.session.count({ where: { shop: OTHER } })).toBe(0);
      // then shop/redact is taken, for the uninstalled shop only
      fake.control.redactShop(OTHER);
      await waitUntil(async () => (await prisma.shop.count({ where: { domain: OTHER } })) === 0, "shop redacted");
      expect(await prisma.shop.count({ where: { domain: SHOP } })).toBe(1);
    });
  });
});

/**
 * POSTs `size` bytes to the orders route, with or without a Content-Length, counting
 * what the socket took before the answer came. Writing stops at the answer.
 */
function sendLarge(url: string, size: number, declare: boolean): Promise<{ status: number; bytesWritten: number; webhookId: string }> {
  const body = "x".repeat(64 * 1024);
  const headers = signedHeaders("orders/create", "{}", declare ? { "Content-Length": String(size) } : {});
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest(url, { method: "POST", headers }, (res) => {
      answered = true;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytesWritten: written, webhookId: headers["X-Shopify-Webhook-Id"] }));
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && written < size) {
        written += body.length;
        if (!req.write(body)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
