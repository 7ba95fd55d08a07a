import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, startReceiver, SHOP, type Harness, type Loose } from "./fixtures/harness";
import { CUSTOMER_IDS } from "./fixtures/small-store";
import { waitFor } from "./fixtures/wait";
import { WebhookDispatcher } from "./webhooks";
import { systemClock } from "./util/clock";
import { rawId } from "./util/raw-json";

describe("control API over HTTP", () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${h.fake.url}/_control${path}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Loose };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness({ appUrl: receiver.url });
  });
  afterAll(async () => {
    await h.fake.close();
    await receiver.close();
  });

  it("creates a generated shop and an empty one, and reads the generator's ground truth", async () => {
    const made = await call("POST", "/shops", { domain: "gen-shop.myshopify.com", customers: 40, seed: 3, plan: "advanced" });
    expect(made.body).toMatchObject({ domain: "gen-shop.myshopify.com", customers: 40 });
    expect((await call("POST", "/shops", { domain: "empty-shop.myshopify.com" })).body).toEqual({ domain: "empty-shop.myshopify.com", customers: 0, orders: 0, products: 0 });
    const truth = await call("GET", "/shops/gen-shop.myshopify.com/truth");
    expect(Object.keys(truth.body.archetypeByCustomerId)).toHaveLength(40);
    expect((await call("POST", "/shops", { domain: "not a domain" })).status).toBe(400);
    expect((await call("GET", "/shops/nope.myshopify.com/truth")).status).toBe(404);
  });

  it("places, refunds and cancels orders, and reads the deliveries they caused", async () => {
    const placed = await call("POST", `/shops/${SHOP}/orders`, { customerId: CUSTOMER_IDS.cyd, lineItems: [{ variantId: "7100000000001", quantity: 1 }] });
    expect(placed.body.name).toBe("#1006");
    const refunded = await call("POST", `/shops/${SHOP}/orders/${placed.body.id}/refunds`, { lineItems: [{ lineItemId: placed.body.lineItems[0].id, quantity: 1 }] });
    expect(refunded.body.totalRefunded).toBe("12.00");
    expect((await call("POST", `/shops/${SHOP}/orders/${placed.body.id}/cancel`, { reason: "FRAUD" })).body.cancelReason).toBe("FRAUD");
    await waitFor(() => receiver.received.length === 7);
    const topics = (await call("GET", `/shops/${SHOP}/deliveries`)).body.map((d: { topic: string }) => d.topic);
    expect(topics).toEqual(["orders/create", "orders/paid", "customers/update", "refunds/create", "orders/updated", "orders/cancelled", "orders/updated"]);
  });

  it("edits an order: the removed units leave currentQuantity and the totals, and orders/edited then orders/updated go out", async () => {
    const before = receiver.received.length;
    const placed = await call("POST", `/shops/${SHOP}/orders`, {
      customerId: CUSTOMER_IDS.ada,
      lineItems: [{ variantId: "7100000000001", quantity: 2 }],
      test: true,
      phone: "+12025550142",
    });
    const edited = await call("POST", `/shops/${SHOP}/orders/${placed.body.id}/edit`, {
      removeLineItems: [{ lineItemId: placed.body.lineItems[0].id, quantity: 2 }],
      addLineItems: [{ variantId: "7100000000002", quantity: 1 }],
    });
    expect(edited.body.lineItems.map((l: Loose) => [l.quantity, l.removedQuantity ?? 0, Boolean(l.addedAt)])).toEqual([[2, 2, false], [1, 0, true]]);
    expect((await call("POST", `/shops/${SHOP}/orders/${placed.body.id}/edit`, { removeLineItems: [{ lineItemId: placed.body.lineItems[0].id, quantity: 1 }] })).status).toBe(400);
    await waitFor(() => receiver.received.length >= before + 5);
    const hooks = receiver.received.slice(before).map((r) => ({ topic: r.headers["x-shopify-topic"], body: JSON.parse(r.body) as Loose }));
    expect(hooks.map((x) => x.topic)).toEqual(["orders/create", "orders/paid", "customers/update", "orders/edited", "orders/updated"]);
    expect(hooks[0].body).toMatchObject({ test: true, gateway: "bogus", payment_gateway_names: ["bogus"], phone: "+12025550142" });
    expect(hooks[3].body.order_edit.line_items.removals).toHaveLength(1);
    const updated = hooks[4].body;
    expect(updated.line_items.map((l: Loose) => [l.quantity, l.current_quantity])).toEqual([[2, 0], [1, 1]]);
    expect(updated.subtotal_price).toBe("25.50");
    const gql = await h.gql(`query($id: ID!) { order(id: $id) { edited test lineItems(first: 5) { nodes { quantity currentQuantity } } } }`, { id: `gid://shopify/Order/${placed.body.id}` });
    expect(gql.body.data?.order).toEqual({ edited: true, test: true, lineItems: { nodes: [{ quantity: 2, currentQuantity: 0 }, { quantity: 1, currentQuantity: 1 }] } });
  });

  it("writes a shaped shop's exports and per-customer truth, and replays its history as webhooks in order", async () => {
    const domain = "shaped-shop.myshopify.com";
    expect((await call("POST", "/shops", { domain, customers: 6, seed: 5, shapes: { testOrders: 2, editShare: 0.2 } })).status).toBe(200);
    expect((await call("POST", "/shops", { domain: "bad-shapes.myshopify.com", customers: 5, shapes: { nope: 1 } })).status).toBe(400);
    expect((await call("GET", `/shops/${domain}`)).body).toMatchObject({ ianaTimezone: "America/Mexico_City", taxesIncluded: true });
    const csv = await fetch(`${h.fake.url}/_control/shops/${domain}/exports/orders.csv`);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect((await csv.text()).split("\n")[0].split(",")).toHaveLength(79);
    const products = await (await fetch(`${h.fake.url}/_control/shops/${domain}/exports/products.csv`)).text();
    expect(products.split("\n")[0]).toContain("Cost per item");
    const truth = (await call("GET", `/shops/${domain}/truth/customers`)).body;
    expect(truth).toMatchObject({ ianaTimezone: "America/Mexico_City", currency: "USD" });
    expect(truth.customers).toHaveLength(6);
    expect(truth.customers[0]).toHaveProperty("netRevenueCents");
    h.fake.control.issueToken(domain);
    const before = receiver.received.length;
    const { deliveries } = (await call("POST", `/shops/${domain}/webhooks/replay`)).body;
    await h.fake.control.settle();
    const sent = receiver.received.slice(before);
    expect(sent).toHaveLength(deliveries);
    const created = new Set<string>();
    for (const r of sent) {
      const body = JSON.parse(r.body) as Loose;
      if (r.headers["x-shopify-topic"] === "customers/create") created.add(body.admin_graphql_api_id);
      // A customer exists before any order of theirs arrives.
      if (r.headers["x-shopify-topic"] === "orders/create" && body.customer) expect(created.has(body.customer.admin_graphql_api_id)).toBe(true);
    }
    expect(created.size).toBe(6);
    const orderCreates = sent.filter((r) => r.headers["x-shopify-topic"] === "orders/create").map((r) => JSON.parse(r.body).created_at as string);
    expect(orderCreates.length).toBe((await call("GET", `/shops/${domain}`)).body.orders);
    expect(orderCreates.map((c) => Date.parse(c))).toEqual(orderCreates.map((c) => Date.parse(c)).sort((a, b) => a - b));
    expect(orderCreates[0]).toMatch(/-06:00$/);
  });

  it("counts requests per shop, resets counters, and drains the bucket on demand", async () => {
    await h.gql(`{ shop { id } }`);
    expect((await call("GET", `/shops/${SHOP}/counters`)).body.requests).toBeGreaterThan(0);
    await call("POST", "/counters/reset");
    await call("POST", `/shops/${SHOP}/bucket/drain`);
    // 52 points: the bucket refills 100 a second, so a busy machine cannot refill it before the request lands.
    expect((await h.gql(`{ customers(first: 50) { nodes { id } } }`)).body.errors?.[0].extensions?.code).toBe("THROTTLED");
    expect((await call("GET", `/shops/${SHOP}/counters`)).body).toMatchObject({ requests: 1, throttled: 1 });
  });

  it("mints session tokens and issues access tokens for a shop", async () => {
    const { body } = await call("POST", `/shops/${SHOP}/session-token`, { userId: "9" });
    expect(body.token.split(".")).toHaveLength(3);
    const token = (await call("POST", `/shops/${SHOP}/tokens`, {})).body.accessToken;
    expect((await h.gql(`{ shop { id } }`, {}, { token })).status).toBe(200);
  });
});

describe("webhook payload projection", () => {
  it("keeps only include_fields, dotted paths included, and writes big ids digit for digit", async () => {
    const receiver = await startReceiver();
    const dispatcher = new WebhookDispatcher({
      appUrl: receiver.url,
      apiSecret: "s",
      apiVersion: "2026-07",
      clock: systemClock,
      subscriptions: [{ topic: "orders/create", uri: "/hooks", compliance: false, filter: null, includeFields: ["id", "customer.id", "updated_at"] }],
    });
    dispatcher.emit(SHOP, "orders/create", { id: rawId("12345678901234567890"), name: "#1", updated_at: "2026-07-01T00:00:00Z", customer: { id: rawId("9007199254740993"), email: "x@y" } });
    await dispatcher.settle();
    expect(receiver.received[0].body).toBe(`{"id":12345678901234567890,"customer":{"id":9007199254740993},"updated_at":"2026-07-01T00:00:00Z"}`);
    dispatcher.close();
    await receiver.close();
  });

  it("sends only what matches a subscription's filter", async () => {
    const receiver = await startReceiver();
    const dispatcher = new WebhookDispatcher({
      appUrl: receiver.url,
      apiSecret: "s",
      apiVersion: "2026-07",
      clock: systemClock,
      subscriptions: [{ topic: "orders/create", uri: "/big", compliance: false, filter: "total_price:>=100 AND customer.id:*", includeFields: null }],
    });
    dispatcher.emit(SHOP, "orders/create", { id: rawId("1"), total_price: "99.99", customer: { id: rawId("5") } });
    dispatcher.emit(SHOP, "orders/create", { id: rawId("2"), total_price: "150.00", customer: { id: rawId("5") } });
    await dispatcher.settle();
    expect(receiver.received.map((r) => r.body)).toEqual([`{"id":2,"total_price":"150.00","customer":{"id":5}}`]);
    dispatcher.close();
    await receiver.close();
  });
});
