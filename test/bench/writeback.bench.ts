// Write-back benchmark: `npx tsx test/bench/writeback.bench.ts [--customers 100000] [--seconds 30]`.
// Prints (1) write throughput through the per-request path as a share of what the
// plan allows over the run (a full bucket plus the restore rate × the run's length),
// for Standard and Plus, with how many requests Shopify throttled; (2) wall time and peak RSS for N tag changes through
// the bulk-mutation path, next to the per-request path's time at the restore rate
// (the baseline a writer without bulk operations would need). Real PostgreSQL and
// Redis; the fake Shopify in-process.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import setupTemplate from "../setup/global";
import { emptyStore } from "../fake-shopify/store/empty-store";
import { cloneTemplate, dropDatabase, randomDatabaseName } from "../support/postgres";

const { values } = parseArgs({
  options: { customers: { type: "string", default: "100000" }, seconds: { type: "string", default: "30" } },
});
const BULK_CUSTOMERS = Number(values.customers);
const SECONDS = Number(values.seconds);

await setupTemplate();
const database = randomDatabaseName("patron_bench");
process.env.DATABASE_URL = await cloneTemplate(database);
process.env.SHOPIFY_API_KEY ??= "patron-bench-key";
process.env.SHOPIFY_API_SECRET ??= "patron-bench-secret";
process.env.SHOPIFY_APP_URL ??= "https://patron.bench";
process.env.QUEUE_PREFIX = `bench-${randomBytes(4).toString("hex")}`;
process.env.LOG_LEVEL = "silent";

const { default: prisma } = await import("../../app/db.server");
const { adminFor, closeAdminAccess } = await import("../../app/worker/admin-access.server");
const { writeBack } = await import("../../app/writeback/writer.server");
const { closeQueues } = await import("../../app/queue/queues.server");
const { createFakeShopify } = await import("../fake-shopify/server");
const { routeShopifyToFake } = await import("../fake-shopify/route-fetch");
const { installShop } = await import("../support/app-harness");

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const fake = await createFakeShopify({
  apiKey: process.env.SHOPIFY_API_KEY!,
  apiSecret: process.env.SHOPIFY_API_SECRET!,
  appUrl: "http://127.0.0.1:9",
  appTomlPath: "shopify.app.toml",
});
const restoreFetch = routeShopifyToFake(fake.url);

const GROUPS = ["valued", "volume", "rising", "at_risk", "new", "occasional"] as const;

async function shopWithScores(domain: string, plan: "standard" | "plus", customers: number) {
  const data = emptyStore(domain, plan, "2026-11-01T00:00:00.000Z");
  for (let i = 0; i < customers; i++) {
    data.customers.push({
      id: String(7_200_000_000_000 + i),
      firstName: "Bench",
      lastName: String(i),
      email: null,
      phone: null,
      tags: [],
      note: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
      emailMarketingState: "NOT_SUBSCRIBED",
      smsMarketingState: "NOT_SUBSCRIBED",
      metafields: [],
      deletedAt: null,
    });
  }
  fake.control.addShop(data);
  await installShop(fake, domain);
  const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain } })).id;
  await prisma.shop.update({ where: { id: shopId }, data: { settings: { metafields: false, flowTrigger: false } } });
  const fit = await prisma.modelFit.create({
    data: { shopId, version: "bench", kind: "fallback", params: {}, customers, summary: {}, trigger: "manual", durationMs: 0 },
  });
  for (let i = 0; i < customers; i += 10_000) {
    const ids = data.customers.slice(i, i + 10_000).map((c) => BigInt(c.id));
    await prisma.customer.createMany({ data: ids.map((id) => ({ shopId, id })) });
    await prisma.customerScore.createMany({
      data: ids.map((id, j) => ({
        shopId,
        customerId: id,
        group: GROUPS[(i + j) % GROUPS.length],
        valueScore: 50,
        volumeScore: 50,
        expectedPurchases: 1,
        predictedClv: "0.00",
        orders: 1,
        revenue: "0.00",
        grossMargin: "0.00",
        marginRate: 0.4,
        marginEstimated: false,
        discountShare: 0,
        reasons: [],
        modelFitId: fit.id,
        scoredAt: new Date(),
      })),
    });
  }
  return shopId;
}

const rows: string[] = [];
for (const [plan, rate] of [["standard", 100], ["plus", 1000]] as const) {
  const maximum = rate * 20;
  // Enough tagsAdd (10 points each) to empty the bucket and stay limit-bound for ~SECONDS.
  const customers = Math.round((maximum + SECONDS * rate) / 10);
  const domain = `bench-${plan}.myshopify.com`;
  const shopId = await shopWithScores(domain, plan, customers);
  fake.control.resetCounters();
  const access = (await adminFor(domain))!;
  const started = performance.now();
  const result = await writeBack(prisma, access.admin, shopId, { bulkThreshold: Number.MAX_SAFE_INTEGER });
  const seconds = (performance.now() - started) / 1000;
  const counters = fake.control.counters(domain);
  const allowed = maximum + seconds * rate;
  rows.push(
    `requests  ${plan.padEnd(8)} ${String(result.written).padStart(7)} customers  ${seconds.toFixed(1).padStart(6)} s  ` +
      `${counters.costSpent} points of ${allowed.toFixed(0)} allowed (bucket ${maximum} + ${rate}/s) = ${((100 * counters.costSpent) / allowed).toFixed(1)}%  ` +
      `throttled ${counters.throttled} (client saw ${(access.admin as unknown as { stats: { throttled: number } }).stats.throttled})`,
  );
  console.log(rows.at(-1));
}

{
  const domain = "bench-bulk.myshopify.com";
  const shopId = await shopWithScores(domain, "standard", BULK_CUSTOMERS);
  fake.control.resetCounters();
  const access = (await adminFor(domain))!;
  const rssBefore = process.memoryUsage().rss;
  peakRss = rssBefore;
  const started = performance.now();
  const result = await writeBack(prisma, access.admin, shopId);
  const seconds = (performance.now() - started) / 1000;
  const baseline = (BULK_CUSTOMERS * 10) / 100;
  rows.push(
    `bulk      standard ${String(result.written).padStart(7)} tag changes ${seconds.toFixed(1).padStart(6)} s  ` +
      `(${(result.written / seconds).toFixed(0)}/s, ${fake.control.counters(domain).requests} API requests, ` +
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, +${((peakRss - rssBefore) / 2 ** 20).toFixed(0)} MB) ` +
      `vs per-request at 100 points/s: ${baseline.toFixed(0)} s = ${(baseline / seconds).toFixed(0)}x faster`,
  );
  console.log(rows.at(-1));
}

clearInterval(sampler);
restoreFetch();
closeAdminAccess();
await closeQueues();
await fake.close();
await prisma.$disconnect();
await dropDatabase(database);
console.log("\nwrite-back benchmark\n" + rows.join("\n"));
