import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import "../../app/shopify.server";
import { enqueue } from "../../app/queue/queues.server";
import type { FakeShopify } from "../fake-shopify/server";
import { orderTotals } from "../fake-shopify/store/order-math";
import { formatMoney } from "../fake-shopify/util/money";
import { installShop, startSyncStack, waitUntil } from "../support/app-harness";
import { patronLedger, patronOrigins, productRefundCents, storeLedger, storeOrigins } from "../support/sync-compare";

const SHOP = "e2e-store.myshopify.com";

describe("order sync, end to end against the fake Shopify", () => {
  let fake: FakeShopify;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ fake, stop } = await startSyncStack([{ shopDomain: SHOP, customers: 150, seed: 11 }]));
  });

  afterAll(async () => {
    await stop?.();
  });

  const shopId = async () => (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;

  const settled = async () => {
    await fake.control.settle();
    const undelivered = fake.control.deliveries({ shop: SHOP }).filter((d) => d.status !== "delivered");
    const pending = await prisma.webhookEvent.count({ where: { status: "PENDING" } });
    return undelivered.length === 0 && pending === 0;
  };

  it("backfills the history on install, follows a stream of new orders, and ends equal to the store", async () => {
    // Given a store with history, when the merchant installs Patron
    await installShop(fake, SHOP);
    const id = await shopId();
    expect(await prisma.session.count({ where: { shop: SHOP, isOnline: false } })).toBe(1);

    // and orders, refunds and cancellations keep happening while the backfill runs
    const store = fake.shops.get(SHOP)!;
    const customers = store.data.customers.slice(0, 40);
    const variants = store.data.products.flatMap((p) => p.variants).slice(0, 10);
    const placed = [];
    for (let i = 0; i < 30; i++) {
      placed.push(
        fake.control.placeOrder(SHOP, {
          customerId: i % 7 === 0 ? null : customers[i % customers.length].id,
          lineItems: [
            { variantId: variants[i % variants.length].id, quantity: 1 + (i % 3) },
            { variantId: variants[(i + 3) % variants.length].id, quantity: 1 },
          ],
          ...(i % 4 === 0 ? { discountCode: "STREAM15", discountPercentage: 15 } : {}),
        }),
      );
      if (i % 5 === 1) fake.control.refund(SHOP, placed[i - 1].id, { lineItems: [{ lineItemId: placed[i - 1].lineItems[0].id, quantity: 1 }] });
      if (i % 9 === 2) fake.control.cancel(SHOP, placed[i - 2].id);
    }

    // then both exports complete and every delivery is processed
    await waitUntil(
      async () => (await prisma.syncRun.findMany({ where: { shopId: id } })).filter((r) => r.status === "COMPLETED").length === 2,
      "both bulk exports imported",
      60_000,
    );
    await waitUntil(settled, "every delivery processed", 30_000);

    // and Patron's copy equals the store's: counts and money per customer
    expect(await patronLedger(prisma, id)).toEqual(storeLedger(fake, SHOP));
    // and where each order came from and what it sold: backfilled (GraphQL) and webhook (REST) orders alike
    expect(await patronOrigins(prisma, id)).toEqual(storeOrigins(fake, SHOP));
    expect(await prisma.customer.count({ where: { shopId: id } })).toBe(store.data.customers.length);
    const failed = await prisma.webhookEvent.findMany({ where: { status: "FAILED" }, select: { topic: true, error: true } });
    expect(failed).toEqual([]);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id } });
    expect(shop.reconciledThrough).not.toBeNull();
  }, 120_000);

  it("picks up by reconciliation an order whose webhooks never arrived", async () => {
    const id = await shopId();
    const store = fake.shops.get(SHOP)!;
    // Given Shopify fails to deliver anything about a new order and a refund
    fake.control.setFaults({ hold: true });
    const order = fake.control.placeOrder(SHOP, {
      customerId: store.data.customers[3].id,
      lineItems: [{ variantId: store.data.products[2].variants[0].id, quantity: 2 }],
    });
    fake.control.refund(SHOP, order.id, { lineItems: [{ lineItemId: order.lineItems[0].id, quantity: 1 }] });
    // when the periodic reconciliation runs
    await enqueue("reconcile-all", {});
    // then Patron has the order as Shopify has it, and the ledgers agree again
    const stored = await waitUntil(() => prisma.order.findFirst({ where: { shopId: id, id: BigInt(order.id) } }), "order reconciled");
    expect(stored.totalPrice.toFixed(2)).toBe(formatMoney(orderTotals(order).total));
    await waitUntil(async () => (await prisma.order.findFirstOrThrow({ where: { shopId: id, id: BigInt(order.id) } })).totalRefunded.toFixed(2) === formatMoney(productRefundCents(order)), "refund reconciled");
    expect(await patronLedger(prisma, id)).toEqual(storeLedger(fake, SHOP));
    expect((await patronOrigins(prisma, id))[order.id]).toEqual(storeOrigins(fake, SHOP)[order.id]);
    // and the late deliveries, when they come, change nothing
    fake.control.setFaults({ hold: false });
    fake.control.releaseWebhooks({ order: "shuffle", seed: 3 });
    await waitUntil(settled, "late deliveries processed");
    expect(await patronLedger(prisma, id)).toEqual(storeLedger(fake, SHOP));
  }, 60_000);

  it("exports a customer's data on customers/data_request, then redaction and uninstall leave nothing they should remove", async () => {
    const id = await shopId();
    const store = fake.shops.get(SHOP)!;
    const customer = store.data.customers.find((c) => store.ordersOf(c.id).length >= 2)!;
    const theirOrders = store.ordersOf(customer.id).map((o) => o.id).sort();

    // Given a data request for a customer with orders
    fake.control.dataRequest(SHOP, customer.id);
    const request = await waitUntil(() => prisma.dataRequest.findFirst({ where: { shopId: id, customerId: BigInt(customer.id) } }), "data request served");
    // then the export holds what Patron has on them, and is recorded once
    const exported = request.export as { customer: { id: string; email: string | null }; orders: { id: string }[] };
    expect(exported.customer).toMatchObject({ id: customer.id, email: customer.email });
    expect(exported.orders.map((o) => o.id).sort()).toEqual(theirOrders);
    await waitUntil(settled, "data request processed");
    const requestRow = await prisma.webhookEvent.findFirstOrThrow({ where: { shopId: id, topic: "customers/data_request" } });
    expect(requestRow.payload).toEqual({});

    // When Shopify asks to redact the customer
    fake.control.redactCustomer(SHOP, customer.id);
    await waitUntil(async () => (await prisma.customer.count({ where: { shopId: id, id: BigInt(customer.id) } })) === 0, "customer redacted");
    await waitUntil(settled, "redaction processed");
    // then no row names them: customer, orders, lines, refunds, export, inbox payloads
    expect(await prisma.order.count({ where: { shopId: id, OR: [{ customerId: BigInt(customer.id) }, { id: { in: theirOrders.map(BigInt) } }] } })).toBe(0);
    expect(await prisma.orderLine.count({ where: { shopId: id, orderId: { in: theirOrders.map(BigInt) } } })).toBe(0);
    expect(await prisma.refund.count({ where: { shopId: id, orderId: { in: theirOrders.map(BigInt) } } })).toBe(0);
    expect(await prisma.dataRequest.count({ where: { shopId: id, customerId: BigInt(customer.id) } })).toBe(0);
    const naming = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "WebhookEvent" WHERE "shopId" = $1 AND (payload::text LIKE $2 OR payload::text LIKE $3)`,
      id,
      `%${customer.id}%`,
      `%${customer.email ?? "no-email"}%`,
    );
    expect(Number(naming[0].n)).toBe(0);
    // and everyone else's data is untouched
    expect(await prisma.order.count({ where: { shopId: id } })).toBe(store.data.orders.length - theirOrders.length);

    // When the merchant uninstalls
    fake.control.uninstall(SHOP);
    await waitUntil(async () => (await prisma.shop.findUniqueOrThrow({ where: { id } })).uninstalledAt, "uninstall recorded");
    // then the credentials are gone at once, the data stays until shop/redact
    expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await prisma.order.count({ where: { shopId: id } })).toBeGreaterThan(0);

    // When shop/redact arrives (Shopify sends it 48 hours later)
    fake.control.redactShop(SHOP);
    await waitUntil(async () => (await prisma.shop.count({ where: { domain: SHOP } })) === 0, "shop redacted");
    // then nothing of the shop is left in any table
    const left = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT (SELECT count(*) FROM "Customer") + (SELECT count(*) FROM "Order") + (SELECT count(*) FROM "OrderLine")
            + (SELECT count(*) FROM "Refund") + (SELECT count(*) FROM "WebhookEvent") + (SELECT count(*) FROM "SyncRun")
            + (SELECT count(*) FROM "DataRequest") + (SELECT count(*) FROM "Session") AS n`,
    );
    expect(Number(left[0].n)).toBe(0);
  }, 60_000);
});
