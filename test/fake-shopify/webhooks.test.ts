import "@shopify/shopify-api/adapters/node";
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { API_KEY, API_SECRET, SHOP, startHarness, startReceiver, type Harness, type ReceivedWebhook } from "./fixtures/harness";
import { CUSTOMER_IDS } from "./fixtures/small-store";
import { waitFor } from "./fixtures/wait";
import { readAppToml } from "./app-config";
import { systemClock } from "./util/clock";
import { WebhookDispatcher } from "./webhooks";

const shopify = shopifyApi({ apiKey: API_KEY, apiSecretKey: API_SECRET, apiVersion: ApiVersion.July26, hostName: "127.0.0.1", isEmbeddedApp: true, logger: { level: 0 } });

const validateSync = (hook: ReceivedWebhook): boolean =>
  createHmac("sha256", API_SECRET).update(hook.body).digest("base64") === hook.headers["x-shopify-hmac-sha256"];

const validate = (hook: ReceivedWebhook, body = hook.body) =>
  shopify.webhooks.validate({ rawBody: body, rawRequest: { headers: hook.headers, method: "POST", url: hook.path } as never });

describe("webhook delivery", () => {
  let h: Harness | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  afterEach(async () => {
    await h?.fake.close();
    await receiver?.close();
  });

  async function start(status?: Parameters<typeof startReceiver>[0], extra: Parameters<typeof startHarness>[0] = {}) {
    receiver = await startReceiver(status);
    h = await startHarness({ appUrl: receiver.url, timeScale: 0.00001, ...extra });
    return { h, receiver };
  }

  it("sends what Shopify sends for a new order, and @shopify/shopify-api accepts it", async () => {
    const { h, receiver } = await start();
    const order = h.fake.control.placeOrder(SHOP, { customerId: CUSTOMER_IDS.ada, lineItems: [{ variantId: "7100000000002", quantity: 2 }] });
    await waitFor(() => receiver.received.length === 3);
    expect(receiver.received.map((r) => `${r.headers["x-shopify-topic"]} ${r.path}`).sort()).toEqual([
      "customers/update /webhooks/customers",
      "orders/create /webhooks/orders",
      "orders/paid /webhooks/orders",
    ]);
    const created = receiver.received.find((r) => r.headers["x-shopify-topic"] === "orders/create")!;
    expect(created.headers).toMatchObject({ "content-type": "application/json", "x-shopify-shop-domain": SHOP, "x-shopify-api-version": "2026-07" });
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-event-id"])).size).toBe(1);
    expect(created.body).toContain(`"id":${order.id},`);
    expect(created.body).toContain(`"total_price":"51.00"`);
    expect(created.body).toContain(`"admin_graphql_api_id":"gid://shopify/Order/${order.id}"`);
    expect(created.body).toContain(`"customer":{"id":${CUSTOMER_IDS.ada},`);
    const result = await validate(created);
    expect(result).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: SHOP, apiVersion: "2026-07", webhookId: created.headers["x-shopify-webhook-id"] });
    expect(await validate(created, created.body.replace('"51.00"', '"5.00"'))).toMatchObject({ valid: false, reason: "invalid_hmac" });
  });

  it("retries a failed delivery with the same webhook id until it succeeds", async () => {
    const { h, receiver } = await start((_hook, count) => (count <= 2 ? 500 : 200));
    h.fake.control.createCustomer(SHOP, { firstName: "Dee", email: "dee@example.com" });
    const [delivery] = h.fake.control.deliveries({ topic: "customers/create" });
    await waitFor(() => delivery.status === "delivered");
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(delivery.status).toBe("delivered");
  });

  it("gives up after eight retries", async () => {
    const { h } = await start(() => 503);
    h.fake.control.deleteCustomer(SHOP, CUSTOMER_IDS.cyd);
    const [delivery] = h.fake.control.deliveries({ topic: "customers/delete" });
    await waitFor(() => delivery.status === "failed", 10_000, "give-up");
    expect(delivery.attempts).toHaveLength(9);
  });

  it("counts a response slower than the timeout as a failure", async () => {
    const slow = await startReceiver();
    const { createServer } = await import("node:http");
    const hanging = createServer((_req, res) => setTimeout(() => res.end(), 300));
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const port = (hanging.address() as { port: number }).port;
    h = await startHarness({ appUrl: `http://127.0.0.1:${port}`, webhookTimeoutMs: 50, timeScale: 1 });
    h.fake.control.updateCustomer(SHOP, CUSTOMER_IDS.bob, { note: "slow" });
    const [delivery] = h.fake.control.deliveries({ topic: "customers/update" });
    await waitFor(() => delivery.status === "retrying");
    expect(delivery.attempts[0].error).toMatch(/TimeoutError/);
    expect(delivery.status).toBe("retrying");
    hanging.closeAllConnections();
    hanging.close();
    await slow.close();
  });

  it("injects duplicates and delivers held webhooks out of order", async () => {
    const { h, receiver } = await start();
    h.fake.control.setFaults({ duplicates: 1 });
    h.fake.control.updateCustomer(SHOP, CUSTOMER_IDS.bob, { note: "one" });
    await waitFor(() => receiver.received.length === 2);
    expect(receiver.received[0].headers["x-shopify-webhook-id"]).toBe(receiver.received[1].headers["x-shopify-webhook-id"]);
    h.fake.control.setFaults({ duplicates: 0, hold: true });
    h.fake.control.updateCustomer(SHOP, CUSTOMER_IDS.bob, { note: "two" });
    h.fake.control.updateCustomer(SHOP, CUSTOMER_IDS.bob, { note: "three" });
    expect(receiver.received).toHaveLength(2);
    expect(h.fake.control.releaseWebhooks({ order: "reverse" })).toBe(2);
    await waitFor(() => receiver.received.length === 4);
    expect(receiver.received.slice(2).map((r) => JSON.parse(r.body).note)).toEqual(["three", "two"]);
  });

  it("sends the compliance payloads, and app/uninstalled then shop/redact on uninstall", async () => {
    const { h, receiver } = await start(undefined, { timeScale: 0.000001 });
    h.fake.control.dataRequest(SHOP, CUSTOMER_IDS.ada);
    h.fake.control.redactCustomer(SHOP, CUSTOMER_IDS.bob);
    await waitFor(() => receiver.received.length === 2);
    const request = receiver.received.find((r) => r.headers["x-shopify-topic"] === "customers/data_request")!;
    expect(request.path).toBe("/webhooks/compliance");
    expect(request.body).toMatch(new RegExp(`^\\{"shop_id":60000000001,"shop_domain":"${SHOP}","orders_requested":\\[8000000000000000001,8000000000000000002\\],"customer":\\{"id":${CUSTOMER_IDS.ada},"email":"ada@example.com","phone":null\\},"data_request":\\{"id":\\d+\\}\\}$`));
    const redact = receiver.received.find((r) => r.headers["x-shopify-topic"] === "customers/redact")!;
    expect(redact.body).toContain(`"orders_to_redact":[8000000000000000003,8000000000000000004]`);
    expect((await validate(redact)).valid).toBe(true);

    h.fake.control.uninstall(SHOP);
    await waitFor(() => receiver.received.some((r) => r.headers["x-shopify-topic"] === "shop/redact"), 5_000, "shop/redact");
    const topics = receiver.received.map((r) => r.headers["x-shopify-topic"]);
    expect(topics.indexOf("app/uninstalled")).toBeLessThan(topics.indexOf("shop/redact"));
    expect(JSON.parse(receiver.received.find((r) => r.headers["x-shopify-topic"] === "shop/redact")!.body)).toEqual({ shop_id: 60000000001, shop_domain: SHOP });
    expect((await h.gql(`{ shop { id } }`)).status).toBe(401);
  });

  it("fires refunds/create and orders/cancelled with REST-shaped bodies", async () => {
    const { h, receiver } = await start();
    h.fake.control.refund(SHOP, "8000000000000000002", { lineItems: [{ lineItemId: "8100000000000000003", quantity: 1 }] });
    h.fake.control.cancel(SHOP, "8000000000000000005");
    await waitFor(() => receiver.received.length === 4);
    const refund = receiver.received.find((r) => r.headers["x-shopify-topic"] === "refunds/create")!.body;
    expect(refund).toContain(`"order_id":8000000000000000002,`);
    expect(refund).toContain(`"line_item_id":8100000000000000003,"location_id":null,"quantity":1,"restock_type":"return","subtotal":"12.00"`);
    const cancelled = JSON.parse(receiver.received.find((r) => r.headers["x-shopify-topic"] === "orders/cancelled")!.body);
    expect(cancelled).toMatchObject({ name: "#1005", cancel_reason: "customer", financial_status: "paid" });
  });

  it("sends a forged delivery once, so the app's 401 can be checked", async () => {
    const { h } = await start((hook) => (validateSync(hook) ? 200 : 401));
    expect(await h.fake.control.forgeWebhook(SHOP, "shop/redact")).toEqual({ status: 401 });
    const [record] = h.fake.control.deliveries({ topic: "shop/redact" });
    expect(record).toMatchObject({ forged: true, status: "failed" });
    expect(record.attempts).toHaveLength(1);
  });

  it("sends orders/edited only to an app subscribed to it, as Shopify does, and the app's toml subscribes it", () => {
    const app = readAppToml("shopify.app.toml");
    expect(app.subscriptions.find((s) => s.topic === "orders/edited")?.uri).toBe("/webhooks/orders");
    const dispatcher = (subscriptions: typeof app.subscriptions) =>
      new WebhookDispatcher({ appUrl: "http://127.0.0.1:9", apiSecret: API_SECRET, apiVersion: app.apiVersion, subscriptions, clock: systemClock });
    const payload = { order_edit: { id: 1, order_id: 2 } };
    const subscribed = dispatcher(app.subscriptions);
    subscribed.faults.hold = true;
    expect(subscribed.emit(SHOP, "orders/edited", payload).map((d) => d.url)).toEqual(["http://127.0.0.1:9/webhooks/orders"]);
    const without = dispatcher(app.subscriptions.filter((s) => s.topic !== "orders/edited"));
    expect(without.subscribed("orders/edited")).toBe(false);
    expect(without.emit(SHOP, "orders/edited", payload)).toEqual([]);
    expect(without.deliveries).toEqual([]);
    subscribed.close();
    without.close();
  });
});
