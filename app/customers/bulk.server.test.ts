import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFormPost, adminRequest, installScoredShop } from "../../test/support/admin-request";
import { startFake } from "../../test/support/app-harness";
import type { FakeShopify } from "../../test/fake-shopify/server";
import { routeShopifyToFake } from "../../test/fake-shopify/route-fetch";
import prisma from "../db.server";
import { closeQueues, getQueue, QUEUES } from "../queue/queues.server";
import { action, loader } from "../routes/app.customers._index";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { unauthenticated } from "../shopify.server";
import { createWriteBackProcessors } from "../writeback/jobs.server";
import { requeueStaleBulkActions } from "./bulk.server";
import { countCustomers, listFiltersSchema } from "./list.server";

// VIP for every customer matching the list's filter, across pages: the route saves the
// action and enqueues a job holding ids only; the job's processor walks every page and
// records its progress; the list shows the total and the progress.

const SHOP = "bulk-a.myshopify.com";
let fake: FakeShopify;
let restoreFetch: () => void;
let shopId: number;

describe("bulk VIP across pages", () => {
  beforeAll(async () => {
    fake = await startFake("http://127.0.0.1:9", [{ shopDomain: SHOP, customers: 400, seed: 51 }]);
    restoreFetch = routeShopifyToFake(fake.url);
    shopId = await installScoredShop(fake, SHOP);
    await prisma.$executeRawUnsafe(`CREATE TABLE bulk_progress_log (seq serial, done int)`);
    await prisma.$executeRawUnsafe(`CREATE FUNCTION log_bulk_progress() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO bulk_progress_log (done) VALUES (NEW.done); RETURN NEW; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER log_bulk_progress AFTER UPDATE OF done ON "BulkAction" FOR EACH ROW EXECUTE FUNCTION log_bulk_progress()`);
  });

  afterAll(async () => {
    await getQueue(QUEUES.writeback).obliterate({ force: true });
    await closeQueues();
    restoreFetch?.();
    await fake?.close();
  });

  it("makes every customer matching the filter VIP in a background job, reporting progress page by page", { timeout: 180_000 }, async () => {
    // Given a filter matching more customers than one page of the list (and one VIP batch)
    const filters = listFiltersSchema.parse({ group: "all", minOrders: "1" });
    const matching = await countCustomers(prisma, shopId, filters);
    expect(matching).toBeGreaterThan(250);
    const list = await loader({ request: await adminRequest(SHOP, "/app/customers?group=all&minOrders=1&limit=50"), params: {}, context: {} });
    expect(list.total).toBe(matching);
    expect(list.page.rows).toHaveLength(50);

    // When the merchant applies VIP to all of them
    const started = await action({ request: await adminFormPost(SHOP, "/app/customers", { intent: "vip-on-all", group: "all", minOrders: "1" }), params: {}, context: {} });
    if (!started.ok || !("bulk" in started) || !started.bulk) throw new Error(`expected a bulk action, got ${JSON.stringify(started)}`);
    expect(started.bulk).toMatchObject({ status: "queued", total: matching, done: 0 });

    // then one job is queued, naming only the shop and the saved action
    const jobs = await getQueue(QUEUES.writeback).getJobs(["waiting"]);
    const job = jobs.find((j) => j.name === "bulk-customers")!;
    expect(job.data).toEqual({ shopId, bulkActionId: started.bulk.id });

    // and the worker's processor runs it, page by page
    const processors = createWriteBackProcessors({
      db: prisma,
      adminFor: async (shop) => ({ admin: throttledAdmin((await unauthenticated.admin(shop)).admin.graphql, { shop }) }),
    });
    expect(await processors["bulk-customers"](job.data)).toEqual({ done: matching, total: matching });

    const progress = (await prisma.$queryRawUnsafe<{ done: number }[]>(`SELECT done FROM bulk_progress_log ORDER BY seq`)).map((r) => r.done);
    const pages = Array.from({ length: Math.ceil(matching / 250) }, (_, i) => Math.min((i + 1) * 250, matching));
    expect(progress).toEqual([0, ...pages]);

    const vip = await prisma.customerScore.count({ where: { shopId, orders: { gte: 1 }, vip: true, vipSource: "manual" } });
    expect(vip).toBe(matching);
    const tags = fake.control.customerTags(SHOP);
    const tagged = Object.values(tags).filter((t) => t.includes("patron:vip")).length;
    expect(tagged).toBeGreaterThanOrEqual(matching);

    const after = await loader({ request: await adminRequest(SHOP, "/app/customers?group=all&minOrders=1"), params: {}, context: {} });
    expect(after.bulk).toMatchObject({ status: "done", done: matching, total: matching, error: null });
  });

  it("refuses a malformed filter without queuing anything", async () => {
    const before = (await getQueue(QUEUES.writeback).getJobs(["waiting"])).length;
    const result = await action({ request: await adminFormPost(SHOP, "/app/customers", { intent: "vip-off-all", group: "everyone" }), params: {}, context: {} });
    expect(result).toMatchObject({ ok: false, error: { key: "customers.bulkAll.badFilter", values: { error: expect.stringMatching(/^group: /) } } });
    expect((await getQueue(QUEUES.writeback).getJobs(["waiting"])).length).toBe(before);
  });

  it("queues again an action saved as queued whose job never reached Redis, once, and leaves a fresh one alone", async () => {
    await getQueue(QUEUES.writeback).obliterate({ force: true });
    const now = new Date();
    const lost = await prisma.bulkAction.create({ data: { shopId, id: "00000000-0000-4000-8000-00000000a001", kind: "vip_on", filters: { group: "all" }, total: 3 } });
    await prisma.bulkAction.update({ where: { shopId_id: { shopId, id: lost.id } }, data: { updatedAt: new Date(now.getTime() - 5 * 60_000) } });
    await prisma.bulkAction.create({ data: { shopId, id: "00000000-0000-4000-8000-00000000a002", kind: "vip_on", filters: { group: "all" }, total: 3 } });

    expect(await requeueStaleBulkActions(prisma, 60_000, now)).toBe(1);
    expect(await requeueStaleBulkActions(prisma, 60_000, now)).toBe(1);
    const jobs = (await getQueue(QUEUES.writeback).getJobs(["waiting"])).filter((j) => j.name === "bulk-customers");
    expect(jobs.map((j) => j.data)).toEqual([{ shopId, bulkActionId: lost.id }]);
  });
});
