import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loadHistories } from "../../app/scores/histories.server";
import { rescoreShop } from "../../app/scores/rescore.server";
import { computeFeatures, type CustomerFeatures } from "../../app/scoring";
import { startWorker } from "../../app/worker/worker.server";
import { startAppServer, waitUntil, type AppServer } from "../support/app-harness";

// The webhook cases of ../shared/cases (each CASE.md names its source and right value),
// delivered as Shopify would: signed POSTs to the app's webhook routes, processed by the
// real worker into PostgreSQL, then read back as scoring reads them.

// CI clones the repository beside `shared/`, so the cases live at ../shared relative to the repo root.
const casesDir = fileURLToPath(new URL("../../../shared/cases/", import.meta.url));
const AS_OF = new Date("2024-06-30T23:59:59Z");

function signed(url: string, shop: string, topic: string, body: string) {
  return new Request(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", process.env.SHOPIFY_API_SECRET!).update(body, "utf8").digest("base64"),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": "2026-07",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
    body,
  });
}

const ROUTES: Record<string, string> = {
  "orders/create": "/webhooks/orders",
  "orders/updated": "/webhooks/orders",
  "refunds/create": "/webhooks/refunds/create",
};

describe("the shared webhook cases, delivered as signed webhooks", () => {
  let app: AppServer;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    app = await startAppServer();
    stopWorker = await startWorker();
  });

  afterAll(async () => {
    await stopWorker?.();
    await app?.close();
  });

  /** Delivers each payload in turn (topic:file, as the CASE.md lists them) and waits for the worker. */
  async function deliver(shop: string, dir: string, steps: [topic: string, file: string][]): Promise<number> {
    // Webhooks never create shops: the shop has installed Patron (with no Shopify to ask, as
    // after an install whose session is gone, so nothing is looked up or confirmed there).
    await prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
    for (const [topic, file] of steps) {
      const body = readFileSync(`${casesDir}${dir}/${file}`, "utf8");
      const response = await fetch(signed(`${app.url}${ROUTES[topic]}`, shop, topic, body));
      expect(response.status).toBe(200);
      await waitUntil(
        async () => (await prisma.webhookEvent.count({ where: { shop: { domain: shop }, status: { not: "PROCESSED" } } })) === 0,
        `${topic} ${file} processed`,
      );
    }
    return (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
  }

  async function features(shopId: number): Promise<Map<string, CustomerFeatures>> {
    const out = new Map<string, CustomerFeatures>();
    for await (const chunk of loadHistories(prisma, shopId)) {
      for (const h of chunk) out.set(h.customerId, computeFeatures(h, { asOf: AS_OF, defaultMarginRate: 0.5 }));
    }
    return out;
  }

  it("02: a refund of goods, tax and shipping takes only the goods off product revenue", async () => {
    const shopId = await deliver("case-02.myshopify.com", "02-refund-includes-tax-and-shipping", [
      ["orders/create", "orders-create-2001.json"],
      ["orders/create", "orders-create-2002.json"],
      ["refunds/create", "refunds-create.json"],
    ]);
    const lena = (await features(shopId)).get("6800000002001")!;
    expect(lena.monetary).toBeCloseTo(100, 9);
    expect(lena.refundRate).toBeCloseTo(0.5, 9);
  });

  it("04: prices that include VAT count without it", async () => {
    const shopId = await deliver("case-04.myshopify.com", "04-vat-inclusive-prices", [
      ["orders/create", "orders-create-4001.json"],
      ["orders/create", "orders-create-4002.json"],
    ]);
    const clara = (await features(shopId)).get("6800000004001")!;
    expect(clara.monetary).toBeCloseTo(55, 9);
    expect(clara.orders).toBe(2);
  });

  it("07: test orders are not orders: the owner's checkout tests are never scored", async () => {
    const shopId = await deliver("case-07.myshopify.com", "07-test-orders", [
      ["orders/create", "orders-create-test-1.json"],
      ["orders/create", "orders-create-test-2.json"],
      ["orders/create", "orders-create-test-3.json"],
      ["orders/create", "orders-create-real.json"],
    ]);
    expect(await prisma.order.count({ where: { shopId, customerId: 6800000007001n } })).toBe(0);
    const byId = await features(shopId);
    expect(byId.has("6800000007001")).toBe(false);
    expect(byId.get("6800000007002")).toMatchObject({ orders: 1, monetary: 32 });
    await rescoreShop(prisma, shopId, "manual", AS_OF);
    const scores = await prisma.customerScore.findMany({ where: { shopId } });
    expect(scores.map((s) => s.customerId)).toEqual([6800000007002n]);
    expect(scores[0].revenue.toFixed(2)).toBe("32.00");
  });

  it("08: a line an order edit removed counts for nothing", async () => {
    const shopId = await deliver("case-08.myshopify.com", "08-order-edit-removed-line", [
      ["orders/create", "orders-create.json"],
      ["orders/updated", "orders-updated-after-edit.json"],
    ]);
    const lines = await prisma.orderLine.findMany({ where: { shopId, orderId: 5780008001n }, orderBy: { id: "asc" } });
    expect(lines.map((l) => l.quantity)).toEqual([0, 1]);
    const omar = (await features(shopId)).get("6800000008001")!;
    expect(omar.monetary).toBeCloseTo(89, 9);
  });

  it("09: a refund with no money transaction is a return, not lost revenue", async () => {
    const shopId = await deliver("case-09.myshopify.com", "09-refund-without-transactions", [
      ["orders/create", "orders-create.json"],
      ["refunds/create", "refunds-create.json"],
    ]);
    const refund = await prisma.refund.findUniqueOrThrow({ where: { shopId_id: { shopId, id: 930000009001n } } });
    expect(refund.amount.toFixed(2)).toBe("0.00");
    expect(refund.returnedQuantity).toBe(1);
    const order = await prisma.order.findFirstOrThrow({ where: { shopId, customerId: 6800000009001n } });
    expect(order.totalRefunded.toFixed(2)).toBe("0.00");
    const hana = (await features(shopId)).get("6800000009001")!;
    expect(hana).toMatchObject({ monetary: 36, refundRate: 0, returnRate: 1 });
  });
});
