// Personas benchmark: `npx tsx test/bench/personas.bench.ts [--sizes 10000,100000] [--runs 5]`.
// Seeds one shop per size by SQL (generate_series): customers with consent, their scores,
// 1–7 orders each over two years (sources, codes, refunds, cancellations) and 1–3 lines
// per order (product types, vendors, markdowns, discounts); a small neighbour shop shares
// every table. Times loadPersonas (the three aggregate queries a cold dashboard snapshot
// runs) against a baseline measured in the same run: one plain scan summing the same
// shop's lines joined to their orders. Prints p50/p95 per size, the ratio to the baseline
// and between sizes. Real PostgreSQL, its own database, dropped afterwards.
import { parseArgs } from "node:util";
import setupTemplate from "../setup/global";
import { cloneTemplate, dropDatabase, randomDatabaseName } from "../support/postgres";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000" },
    runs: { type: "string", default: "5" },
  },
});
const SIZES = values.sizes.split(",").map(Number);
const RUNS = Number(values.runs);

await setupTemplate();
const database = randomDatabaseName("patron_bench");
process.env.DATABASE_URL = await cloneTemplate(database);
process.env.SHOPIFY_API_KEY ??= "patron-bench-key";
process.env.SHOPIFY_API_SECRET ??= "patron-bench-secret";
process.env.SHOPIFY_APP_URL ??= "https://patron.bench";
process.env.LOG_LEVEL = "silent";

const { default: prisma } = await import("../../app/db.server");
const { loadPersonas } = await import("../../app/personas/personas.server");

const NOW = new Date();

async function seedShop(domain: string, customers: number): Promise<number> {
  const shopId = (await prisma.shop.create({ data: { domain, scopes: "read_all_orders" } })).id;
  const now = NOW.toISOString();
  const fitId = (await prisma.modelFit.create({ data: { shopId, version: "bench", kind: "bgnbd", params: {}, customers, summary: {}, trigger: "schedule", durationMs: 1 } })).id;
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Customer" ("shopId", id, "emailMarketing", "smsMarketing", "updatedAt")
     SELECT $1, 7000000000000 + i,
            (CASE WHEN i % 3 = 0 THEN 'SUBSCRIBED' ELSE 'NOT_SUBSCRIBED' END)::"MarketingState",
            (CASE WHEN i % 7 = 0 THEN 'SUBSCRIBED' ELSE 'NOT_SUBSCRIBED' END)::"MarketingState", $2::timestamp
     FROM generate_series(1, $3) i`,
    shopId,
    now,
    customers,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "CustomerScore" ("shopId", "customerId", "group", "valueScore", "volumeScore", "expectedPurchases", "predictedClv", orders, revenue,
                                  "grossMargin", "marginRate", "marginEstimated", "discountShare", reasons, "modelFitId", "scoredAt")
     SELECT $1, 7000000000000 + i, (enum_range(NULL::"CustomerGroup"))[1 + abs(hashint4(i)) % 6], 50, 50, 1, 10, 1, 100, 40, 0.4, false, 0, '[]', $2, $3::timestamp
     FROM generate_series(1, $4) i`,
    shopId,
    fitId,
    now,
    customers,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Order" ("shopId", id, "customerId", name, currency, "processedAt", "shopifyCreatedAt", "shopifyUpdatedAt", "cancelledAt",
                          subtotal, "totalDiscounts", "totalPrice", "totalRefunded", "discountCodes", "hasAutomaticDiscount", "sourceName", "updatedAt")
     SELECT $1, 5000000000000 + i * 8 + k, 7000000000000 + i, '#' || i || '-' || k, 'USD', t, t, t,
            CASE WHEN (i + k) % 40 = 0 THEN t END, 50, 0, 50, CASE WHEN (i + k) % 17 = 0 THEN 20 ELSE 0 END,
            CASE WHEN (i * k) % 3 = 0 THEN ARRAY['SALE20'] ELSE '{}' END, (i + k) % 11 = 0,
            (ARRAY['web', 'web', 'web', 'pos', 'iphone', 'shopify_draft_order'])[1 + (i + k) % 6], $2::timestamp
     FROM generate_series(1, $3) i, generate_series(1, 1 + abs(hashint4(i + 1)) % 7) k,
          LATERAL (SELECT $2::timestamp - make_interval(days => abs(hashint4(i * 8 + k)) % 730) AS t) d`,
    shopId,
    now,
    customers,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "OrderLine" ("shopId", id, "orderId", title, quantity, price, "compareAtPrice", "discountAllocated", "productType", vendor)
     SELECT $1, o.id * 4 + j, o.id, 'Item', 1 + j % 2, 10 + (o.id % 50), CASE WHEN o.id % 5 = 0 THEN 70 END, CASE WHEN o."discountCodes" <> '{}' THEN 2 ELSE 0 END,
            (ARRAY['Basics', 'Apparel', 'Home', 'Beauty', NULL])[1 + (o.id + j) % 5], (ARRAY['Acme', 'Harbor Supply', 'Field & Co'])[1 + (o.id + j) % 3]
     FROM "Order" o, generate_series(1, 1 + (o.id % 3)::int) j WHERE o."shopId" = $1`,
    shopId,
  );
  for (const table of ["Customer", "CustomerScore", "Order", "OrderLine"]) await prisma.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  return shopId;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
type Timing = { p50: number; p95: number };
async function time(fn: () => Promise<unknown>): Promise<Timing> {
  await fn(); // warm the connection pool and the buffer cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}
const fmt = (t: Timing) => `p50 ${t.p50.toFixed(1).padStart(8)} ms  p95 ${t.p95.toFixed(1).padStart(8)} ms`;

await seedShop("bench-neighbour.myshopify.com", 2_000);
const rows: { size: number; orders: number; lines: number; personas: Timing; baseline: Timing }[] = [];
for (const size of SIZES) {
  const started = performance.now();
  const shopId = await seedShop(`bench-${size}.myshopify.com`, size);
  const orders = await prisma.order.count({ where: { shopId } });
  const lines = await prisma.orderLine.count({ where: { shopId } });
  console.log(`seeded ${size} customers, ${orders} orders, ${lines} lines in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const personas = await time(() => loadPersonas(prisma, shopId, NOW));
  const baseline = await time(() =>
    prisma.$queryRawUnsafe(
      `SELECT sum(l.price * l.quantity)::float8 FROM "Order" o JOIN "OrderLine" l ON l."shopId" = o."shopId" AND l."orderId" = o.id WHERE o."shopId" = $1`,
      shopId,
    ),
  );
  rows.push({ size, orders, lines, personas, baseline });
  console.log(`${String(size).padStart(8)} customers  personas ${fmt(personas)}  baseline scan ${fmt(baseline)}  x${(personas.p50 / baseline.p50).toFixed(2)}`);
}

await prisma.$disconnect();
await dropDatabase(database);

console.log(`\npersonas benchmark: loadPersonas vs one scan of the same orders and lines, ${RUNS} runs per size`);
for (const r of rows) {
  console.log(`${String(r.size).padStart(8)} customers (${r.orders} orders, ${r.lines} lines)  personas ${fmt(r.personas)}  baseline ${fmt(r.baseline)}  ratio x${(r.personas.p50 / r.baseline.p50).toFixed(2)}`);
}
for (let i = 1; i < rows.length; i++) {
  const [a, b] = [rows[i - 1], rows[i]];
  console.log(`${b.size / a.size}x customers: personas p50 x${(b.personas.p50 / a.personas.p50).toFixed(2)}, baseline p50 x${(b.baseline.p50 / a.baseline.p50).toFixed(2)}`);
}
