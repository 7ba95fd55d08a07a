import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import "../../app/shopify.server";
import { databaseKey, jobIdFor } from "../../app/queue/database-key.server";
import { enqueue, getQueue, QUEUES } from "../../app/queue/queues.server";
import type { FakeShopify } from "../fake-shopify/server";
import { installShop, startSyncStack, waitUntil } from "../support/app-harness";

const SHOP = "slow-export.myshopify.com";

describe("a bulk export that outlasts the import's retries", () => {
  let fake: FakeShopify;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // The export starts 3 s after it is asked for: long enough for an import attempt to give up first.
    ({ fake, stop } = await startSyncStack([{ shopDomain: SHOP, customers: 100, seed: 9 }], { bulkStartDelayMs: 3000 }));
  });

  afterAll(async () => {
    await stop?.();
  });

  it("still imports when bulk_operations/finish arrives after an earlier import job failed", async () => {
    await installShop(fake, SHOP);
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    const run = await waitUntil(
      () => prisma.syncRun.findFirst({ where: { shopId, kind: "ORDERS", status: "RUNNING" } }),
      "orders export started",
    );
    // Given an import attempt (the sweeper's, say) that ran out of retries while the export was still running
    await enqueue("backfill-import", { syncRunId: run.id }, { jobId: `import-${run.id}`, attempts: 1 });
    const jobId = jobIdFor(await databaseKey(prisma), `import-${run.id}`);
    await waitUntil(async () => (await getQueue(QUEUES.sync).getJob(jobId))?.isFailed(), "early import failed");
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("RUNNING");
    // when the export finishes, then its webhook still gets the import done
    await waitUntil(
      async () => (await prisma.syncRun.count({ where: { shopId, status: "COMPLETED" } })) === 2,
      "both exports imported",
      30_000,
    );
    expect(await prisma.order.count({ where: { shopId } })).toBe(fake.shops.get(SHOP)!.data.orders.length);
  }, 60_000);
});
