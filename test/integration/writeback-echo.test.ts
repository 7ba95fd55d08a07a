import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
// Before the fake's routing: the library's adapter captures fetch when it loads.
import "../../app/shopify.server";
import { getQueue, QUEUES } from "../../app/queue/queues.server";
import { installShop, startSyncStack, waitUntil, type SyncStack } from "../support/app-harness";

// Right after install Patron tags every scored customer, and Shopify answers each tag
// change with a customers/update delivery. Those echoes must not ask for a rescore.

const SHOP = "echo-store.myshopify.com";

describe("Patron's own write-back coming back as webhooks", () => {
  let stack: SyncStack;
  let shopId: number;

  beforeAll(async () => {
    stack = await startSyncStack([{ shopDomain: SHOP, customers: 60, seed: 21 }]);
    await installShop(stack.fake, SHOP);
    shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const settled = async () => {
    await stack.fake.control.settle();
    return (await prisma.webhookEvent.count({ where: { shopId, status: "PENDING" } })) === 0;
  };

  /** Rescores asked for by synced changes (the backfill's own rescore is another trigger). */
  const changeRescores = async () => {
    const jobs = await getQueue(QUEUES.scoring).getJobs(["waiting", "delayed", "active", "completed", "failed", "prioritized"]);
    return jobs.filter((j) => j?.name === "rescore-shop" && j.data.shopId === shopId && j.data.trigger === "orders-changed");
  };

  it("processes the echoes of its tag writes without asking for a rescore", async () => {
    // Given the install's backfill, scoring and write-back have run
    await waitUntil(async () => (await prisma.customerWriteState.count({ where: { shopId } })) > 0, "the first write-back", 60_000, 200);
    await waitUntil(settled, "every delivery processed", 30_000, 100);
    // then Shopify sent a customers/update per tagged customer, and each was applied
    const echoes = await prisma.webhookEvent.count({ where: { shopId, topic: "customers/update", status: "PROCESSED" } });
    expect(echoes).toBeGreaterThanOrEqual(await prisma.customerWriteState.count({ where: { shopId } }));
    const tagged = await prisma.customer.findFirstOrThrow({ where: { shopId, writeState: { isNot: null } }, include: { writeState: true } });
    expect(tagged.tags).toEqual(expect.arrayContaining(tagged.writeState!.tags));
    // and none of them asked for a rescore
    expect(await changeRescores()).toHaveLength(0);
  });

  it("still asks for a rescore when a customer really changes what scoring reads", async () => {
    const customer = await prisma.customer.findFirstOrThrow({ where: { shopId, emailMarketing: { not: "UNSUBSCRIBED" } }, orderBy: { id: "asc" } });
    stack.fake.control.updateCustomer(SHOP, customer.id.toString(), { emailMarketingState: "UNSUBSCRIBED" });
    await waitUntil(async () => (await prisma.customer.findUniqueOrThrow({ where: { shopId_id: { shopId, id: customer.id } } })).emailMarketing === "UNSUBSCRIBED", "the change stored");
    await waitUntil(async () => (await changeRescores()).length === 1, "a rescore asked for", 10_000);
  });
});
