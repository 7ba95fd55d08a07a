import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../db.server";
import { recordInstall } from "../shops.server";
import { parseLosslessJson } from "./lossless-json";
import type { OrderRecord } from "./records";
import { orderFromRest } from "../orders/rest";
import { upsertCustomers, upsertOrders, upsertRefunds } from "./store.server";

const base = orderFromRest(parseLosslessJson(readFileSync(new URL("./fixtures/orders-create.json", import.meta.url), "utf8")));
let shopId: number;
let otherShopId: number;

function version(order: OrderRecord, updatedAt: string, patch: Partial<OrderRecord> = {}): OrderRecord {
  return { ...order, updatedAt: new Date(updatedAt), ...patch };
}

describe("sync store", () => {
  beforeAll(async () => {
    shopId = (await recordInstall(prisma, { domain: "store-test.myshopify.com", scopes: null })).id;
    otherShopId = (await recordInstall(prisma, { domain: "store-other.myshopify.com", scopes: null })).id;
  });

  it("writes an order with its lines and refunds, ids and money exact", async () => {
    const written = await upsertOrders(prisma, shopId, [base]);
    expect(written).toEqual([base.id]);
    const order = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: base.id } }, include: { lines: true } });
    expect(order.id).toBe(9007199254741993n);
    expect(order.totalRefunded.toString()).toBe("81");
    expect(order.subtotal.toFixed(2)).toBe("243.00");
    expect(order.lines.map((l) => l.id).sort()).toEqual([9007199254800001n, 9007199254800002n]);
    expect(await prisma.refund.count({ where: { shopId, orderId: base.id } })).toBe(1);
  });

  it("ignores an update older than the version it holds", async () => {
    await upsertOrders(prisma, shopId, [version(base, "2026-10-10T00:00:00Z", { financialStatus: "refunded" })]);
    const stale = await upsertOrders(prisma, shopId, [version(base, "2026-10-05T00:00:00Z", { financialStatus: "paid" })]);
    expect(stale).toEqual([]);
    const order = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: base.id } } });
    expect(order.financialStatus).toBe("refunded");
  });

  it("drops lines an order edit removed and keeps the first-seen unit cost", async () => {
    const [first] = base.lines;
    await prisma.orderLine.update({ where: { shopId_id: { shopId, id: first.id } }, data: { unitCost: "30.0000" } });
    await upsertOrders(prisma, shopId, [
      version(base, "2026-10-11T00:00:00Z", { lines: [{ ...first, quantity: 3, unitCost: "55.00" }] }),
    ]);
    const lines = await prisma.orderLine.findMany({ where: { shopId, orderId: base.id } });
    expect(lines).toHaveLength(1);
    expect(lines[0].quantity).toBe(3);
    expect(lines[0].unitCost?.toFixed(2)).toBe("30.00");
  });

  it("accepts a refund before its order and counts it once the order arrives", async () => {
    const later = { ...base, id: 9007199254742999n, lines: [], refunds: [] };
    await upsertRefunds(prisma, shopId, [
      { id: 9007199254869999n, orderId: later.id, processedAt: new Date(), amount: "12.34", returnedQuantity: 0 },
    ]);
    await upsertOrders(prisma, shopId, [later]);
    const order = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: later.id } } });
    expect(order.totalRefunded.toFixed(2)).toBe("12.34");
  });

  it("keeps shops apart: the same Shopify ids in two shops are two rows", async () => {
    await upsertOrders(prisma, otherShopId, [version(base, "2026-09-01T00:00:00Z")]);
    expect(await prisma.order.count({ where: { id: base.id } })).toBe(2);
    const other = await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId: otherShopId, id: base.id } } });
    expect(other.shopifyUpdatedAt.toISOString()).toBe("2026-09-01T00:00:00.000Z");
  });

  it("upserts customers newest-wins, tags and consent included", async () => {
    const customer = {
      id: 7000000000123n,
      email: "jane@example.com",
      firstName: "Jane",
      lastName: "Doe",
      tags: ["vip-by-hand"],
      emailMarketing: "SUBSCRIBED" as const,
      smsMarketing: "UNKNOWN" as const,
      createdAt: new Date("2025-01-01T00:00:00Z"),
      updatedAt: new Date("2026-10-02T00:00:00Z"),
    };
    await upsertCustomers(prisma, shopId, [customer]);
    await upsertCustomers(prisma, shopId, [{ ...customer, tags: [], updatedAt: new Date("2026-10-01T00:00:00Z") }]);
    const row = await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: customer.id } } });
    expect(row.tags).toEqual(["vip-by-hand"]);
    expect(row.emailMarketing).toBe("SUBSCRIBED");
  });
});
