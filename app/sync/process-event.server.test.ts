import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import prisma from "../db.server";
import { type AdminGraphql, ShopifyPermanentError } from "../shopify/admin-graphql.server";
import { recordInstall } from "../shops.server";
import { InboxWriter } from "./inbox-writer.server";
import { parseLosslessJson } from "./lossless-json";
import { processInboxEvent } from "./process-event.server";
import { ingestResources } from "./webhook-route.server";

const payload = JSON.stringify(parseLosslessJson(readFileSync(new URL("./fixtures/orders-create.json", import.meta.url), "utf8")));

const refusingAdmin: AdminGraphql = {
  shop: "refused.myshopify.com",
  lastThrottle: () => null,
  request: () => Promise.reject(new ShopifyPermanentError("Shopify answered 401 for refused.myshopify.com")),
};

describe("processing an order webhook when Shopify refuses the cost lookup", () => {
  it("keeps the order, with unit costs unknown, and marks the delivery processed without its payload", async () => {
    const shop = await recordInstall(prisma, { domain: "refused.myshopify.com", scopes: null });
    const written = await new InboxWriter({ sql: ingestResources().pool }).write({
      shopId: shop.id,
      webhookId: "wh-refused-1",
      topic: "orders/create",
      apiVersion: "2026-07",
      eventId: null,
      triggeredAt: null,
      payload,
    }, Date.now() + 10_000);
    if (written.duplicate) throw new Error("the delivery was already held");
    const { inboxId } = written;
    const outcome = await processInboxEvent({ db: prisma, adminFor: async () => refusingAdmin }, inboxId);
    expect(outcome).toBe("processed");
    const lines = await prisma.orderLine.findMany({ where: { shopId: shop.id, orderId: 9007199254741993n } });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.unitCost === null)).toBe(true);
    const row = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: inboxId } });
    expect(row.status).toBe("PROCESSED");
    // The applied payload (the buyer's name, email, address) is not kept; the record is.
    expect(row.payload).toEqual({});
    expect(row.webhookId).toBe("wh-refused-1");
  });
});
