import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../db.server";
import { throttledAdmin, type AdminGraphql } from "../shopify/admin-graphql.server";
import { BULK_OPERATION_QUERY } from "../shopify/operations/bulk-operation";
import { ORDER_REFUNDS_EX_TAX_QUERY, ORDER_REFUNDS_QUERY } from "../shopify/operations/order-refunds";
import { generateStore } from "../../test/fake-shopify/generator";
import { createFakeShopify, type FakeShopify } from "../../test/fake-shopify/server";
import { importBulkRun, startBackfill } from "./backfill.server";

const SHOP = "backfill-pipeline.myshopify.com";
const BATCH = 40;

describe("bulk import pipeline", () => {
  let fake: FakeShopify;
  let admin: AdminGraphql;
  let shopId: number;
  let runId: number;
  let roots: number;
  let stored: number;

  beforeAll(async () => {
    const data = generateStore({ seed: 5, shopDomain: SHOP, customers: 60 });
    // Test orders are exported and counted as roots, but never stored.
    roots = data.orders.length;
    stored = data.orders.filter((o) => !o.test).length;
    fake = await createFakeShopify({ apiKey: "k", apiSecret: "s", appUrl: "http://127.0.0.1:9", shops: [data], bulkStartDelayMs: 0 });
    fake.control.setPlan(SHOP, "enterprise");
    const { accessToken } = fake.control.issueToken(SHOP, { scope: ["read_orders", "read_all_orders", "read_customers"], expiring: false });
    admin = throttledAdmin(
      (query, options) =>
        fetch(`${fake.url}/admin/api/2026-07/graphql.json`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken, "x-fake-shop-domain": SHOP },
          body: JSON.stringify({ query, variables: options?.variables }),
        }),
      { shop: SHOP },
    );
    shopId = (await prisma.shop.create({ data: { domain: SHOP } })).id;
    const runs = await startBackfill(prisma, admin, shopId, "read_all_orders");
    runId = runs.find((r) => r.kind === "ORDERS")!.id;
    for (;;) {
      const { node } = await admin.request<{ node: { status: string } }>(BULK_OPERATION_QUERY, { id: runs[1].operationId });
      if (node.status === "COMPLETED") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("refuses a client of another shop before reading or writing anything", async () => {
    // Given the run's export and an Admin API client for another shop
    const other: AdminGraphql = { ...admin, shop: "someone-else.myshopify.com", request: () => Promise.reject(new Error("must not be called")) };
    // When the import is asked to run with it, then it refuses, and the run is untouched
    await expect(importBulkRun(prisma, other, runId)).rejects.toThrow(/belongs to backfill-pipeline.myshopify.com, not to someone-else/);
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("RUNNING");
    expect(run.linesDone).toBe(0n);
    expect(await prisma.order.count({ where: { shopId } })).toBe(0);
  });

  it("with refund details read ahead of the writes, a failed read stops the import after whole batches, and it resumes from there", async () => {
    // Given an Admin API whose refund reads fail from the fourth batch's on
    let refundReads = 0;
    const failing: AdminGraphql = {
      ...admin,
      request: async (query, variables, options) => {
        if ((query === ORDER_REFUNDS_QUERY || query === ORDER_REFUNDS_EX_TAX_QUERY) && ++refundReads > 3) throw new Error("refund read refused");
        return admin.request(query, variables, options);
      },
    };
    // when the import runs in batches of BATCH orders, it fails with that reason
    await expect(importBulkRun(prisma, failing, runId, { batchRoots: BATCH, databaseUrl: process.env.DATABASE_URL })).rejects.toThrow("refund read refused");
    // then whole batches before the failure are committed, in file order, with their resume point
    const stopped = await prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(stopped.status).toBe("IMPORTING");
    expect(Number(stopped.rootsDone) % BATCH).toBe(0);
    expect(Number(stopped.rootsDone)).toBeGreaterThan(0);
    expect(Number(stopped.rootsDone)).toBeLessThan(roots);
    const held = await prisma.order.count({ where: { shopId } });
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(Number(stopped.rootsDone));
    // and the import resumed with a working API stores every order once, each with its refunds summed
    const outcome = await importBulkRun(prisma, admin, runId, { batchRoots: BATCH, databaseUrl: process.env.DATABASE_URL });
    expect(outcome).toMatchObject({ status: "COMPLETED", roots });
    expect(await prisma.order.count({ where: { shopId } })).toBe(stored);
    const wrong = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Order" o
      WHERE o."shopId" = ${shopId}
        AND o."totalRefunded" <> COALESCE((SELECT sum(r.amount) FROM "Refund" r WHERE r."shopId" = o."shopId" AND r."orderId" = o.id), 0)`;
    expect(Number(wrong[0].n)).toBe(0);
    expect(await prisma.refund.count({ where: { shopId } })).toBeGreaterThan(0);
  }, 60_000);
});
