import { beforeAll, describe, expect, it } from "vitest";
import { adminRequest, installTestShop, sessionToken, thrownResponse } from "../../test/support/admin-request";
import prisma from "../db.server";
import { env } from "../env.server";
import { loader } from "./app._index";

const SHOP_A = "shop-a.myshopify.com";
const SHOP_B = "shop-b.myshopify.com";

async function installShop(domain: string, customers: number, orders: number) {
  const shop = { id: await installTestShop(domain) };
  for (let i = 0; i < customers; i++) {
    await prisma.customer.create({ data: { shopId: shop.id, id: 9_007_199_254_740_993n + BigInt(i) } });
  }
  for (let i = 0; i < orders; i++) {
    await prisma.order.create({
      data: {
        shopId: shop.id,
        id: 9_007_199_254_750_000n + BigInt(i),
        customerId: 9_007_199_254_740_993n,
        name: `#${1001 + i}`,
        currency: "USD",
        processedAt: new Date("2026-10-01T10:00:00Z"),
        shopifyCreatedAt: new Date("2026-10-01T10:00:00Z"),
        shopifyUpdatedAt: new Date("2026-10-01T10:00:00Z"),
        subtotal: "100.00",
        totalDiscounts: "0.00",
        totalPrice: "100.00",
      },
    });
  }
  await prisma.webhookEvent.create({
    data: { shopId: shop.id, webhookId: `wh-${domain}`, topic: "orders/create", payload: {} },
  });
}

async function bearerRequest(shop: string, secret = env().SHOPIFY_API_SECRET) {
  return new Request(`${env().SHOPIFY_APP_URL}/app`, {
    headers: { Authorization: `Bearer ${await sessionToken(shop, secret)}`, Accept: "application/json" },
  });
}

describe("home page loader", () => {
  beforeAll(async () => {
    await installShop(SHOP_A, 3, 2);
    await installShop(SHOP_B, 5, 7);
  });

  it("answers 401 to a request without a session token", async () => {
    const request = new Request(`${env().SHOPIFY_APP_URL}/app`, {
      headers: { Authorization: "Bearer", Accept: "application/json" },
    });
    const response = await thrownResponse(loader({ request, params: {}, context: {} }));
    expect(response.status).toBe(401);
  });

  it("refuses a document load with no token and no shop by sending it to log in", async () => {
    const request = new Request(`${env().SHOPIFY_APP_URL}/app`);
    const response = await thrownResponse(loader({ request, params: {}, context: {} }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/\/auth\/login/);
  });

  it("answers 401 to a token signed with another secret", async () => {
    const request = await bearerRequest(SHOP_A, "not-the-app-secret");
    const response = await thrownResponse(loader({ request, params: {}, context: {} }));
    expect(response.status).toBe(401);
  });

  it("returns the shop's own state for a valid token, and never another shop's", async () => {
    const a = await loader({ request: await bearerRequest(SHOP_A), params: {}, context: {} });
    expect(a).toMatchObject({ domain: SHOP_A, installed: true, customers: 3, orders: 2, lastWebhookTopic: "orders/create" });

    const b = await loader({ request: await adminRequest(SHOP_B, "/app"), params: {}, context: {} });
    expect(b).toMatchObject({ domain: SHOP_B, customers: 5, orders: 7 });
  });

  it("reads a shop with nothing synced yet as zero", async () => {
    const domain = "shop-empty.myshopify.com";
    await installShop(domain, 0, 0);
    await prisma.webhookEvent.deleteMany({ where: { shop: { domain } } });
    const overview = await loader({ request: await bearerRequest(domain), params: {}, context: {} });
    expect(overview).toMatchObject({ customers: 0, orders: 0, lastWebhookAt: null });
  });
});
