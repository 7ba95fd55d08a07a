// Dashboard benchmark: `npx tsx test/bench/dashboard.bench.ts [--sizes 100000,1000000] [--runs 50]`.
// Seeds one shop per size by SQL (generate_series): customers, their scores, a first
// group assignment 200 days ago and a realistic trickle of group changes since (0.3%
// of customers a day), sync runs, an inbox with pending and failed deliveries, and
// daily model fits; a small neighbour shop shares every table. Then times the home
// page's domain function (loadDashboard) and prints p50/p95 per size and the ratio
// between sizes. Real PostgreSQL, its own database, dropped afterwards.
import { parseArgs } from "node:util";
import setupTemplate from "../setup/global";
import { cloneTemplate, dropDatabase, randomDatabaseName } from "../support/postgres";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000,1000000" },
    runs: { type: "string", default: "50" },
    keep: { type: "boolean", default: false },
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
const { loadDashboard, groupRows, movementRows, syncStatus } = await import("../../app/dashboard/dashboard.server");

const NOW = new Date();
const CHANGES_PER_DAY = 0.003;

async function seedShop(domain: string, customers: number): Promise<number> {
  const shop = await prisma.shop.create({ data: { domain, scopes: "read_orders", installedAt: new Date(NOW.getTime() - 200 * 86_400_000) } });
  const shopId = shop.id;
  const now = NOW.toISOString();
  await prisma.$executeRawUnsafe(
    `INSERT INTO "ModelFit" ("shopId", version, kind, params, customers, summary, trigger, "durationMs", "fittedAt")
     SELECT $1, 'bench', 'bgnbd', '{"r":0.24,"alpha":4.4,"a":0.79,"b":2.4}', $2, '{}', 'schedule', 1000 + d, $3::timestamp - make_interval(days => d)
     FROM generate_series(0, 199) d`,
    shopId,
    customers,
    now,
  );
  const fitId = (await prisma.modelFit.findFirstOrThrow({ where: { shopId }, orderBy: { fittedAt: "desc" } })).id;
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Customer" ("shopId", id, email, "firstName", "lastName", "shopifyCreatedAt", "shopifyUpdatedAt", "updatedAt")
     SELECT $1, 7000000000000 + i, 'c' || i || '@example.com', 'First' || i, 'Last' || i, $2::timestamp, $2::timestamp, $2::timestamp
     FROM generate_series(1, $3) i`,
    shopId,
    now,
    customers,
  );
  // Group by a hash of the id: valued 10%, volume 20%, rising 8%, at_risk 5%, new 12%, occasional 45%.
  await prisma.$executeRawUnsafe(
    `INSERT INTO "CustomerScore" ("shopId", "customerId", "group", "valueScore", "volumeScore", vip, "pAlive", "expectedPurchases",
                                  "predictedClv", orders, revenue, "grossMargin", "marginRate", "marginEstimated", "discountShare",
                                  "lastOrderAt", reasons, "modelFitId", "scoredAt")
     SELECT $1, 7000000000000 + i,
            (CASE WHEN h < 10 THEN 'valued' WHEN h < 30 THEN 'volume' WHEN h < 38 THEN 'rising' WHEN h < 43 THEN 'at_risk'
                  WHEN h < 55 THEN 'new' ELSE 'occasional' END)::"CustomerGroup",
            (h * 7919 % 100)::float8, (h * 104729 % 100)::float8, h < 2, 0.5 + (h % 50) / 100.0, 1.5,
            round((i % 997)::numeric * 1.37, 2), 1 + i % 12, round((i % 1499)::numeric * 3.11, 2),
            round((i % 1499)::numeric * 3.11 * (0.1 + (h % 40) / 100.0), 2), 0.1 + (h % 40) / 100.0, i % 5 = 0,
            (i % 11) / 10.0, $2::timestamp - make_interval(days => i % 400),
            jsonb_build_array(
              jsonb_build_object('code', 'margin', 'text', 'Margin ' || (h % 60) || '% vs store median 41%', 'score', 'value', 'direction', 'up', 'impact', 6.5, 'weight', 20),
              jsonb_build_object('code', 'discount', 'text', (i % 100) || '% of orders used a discount', 'score', 'volume', 'direction', 'up', 'impact', 4.1, 'weight', 15),
              jsonb_build_object('code', 'loyalty', 'text', 'Ordered ' || (1 + i % 12) || ' times in ' || (1 + i % 5) || ' years', 'score', 'value', 'direction', 'neutral', 'impact', 0.5, 'weight', 10)),
            $3, $2::timestamp
     FROM generate_series(1, $4) i, LATERAL (SELECT abs(hashint4(i)) % 100 AS h) g`,
    shopId,
    now,
    fitId,
    customers,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "GroupChange" ("shopId", "customerId", "from", "to", "valueScore", at)
     SELECT $1, "customerId", NULL, "group", "valueScore", $2::timestamp - interval '200 days' FROM "CustomerScore" WHERE "shopId" = $1`,
    shopId,
    now,
  );
  const perDay = Math.max(1, Math.round(customers * CHANGES_PER_DAY));
  await prisma.$executeRawUnsafe(
    `INSERT INTO "GroupChange" ("shopId", "customerId", "from", "to", "valueScore", at)
     SELECT $1, 7000000000000 + (abs(hashint8(d::bigint * 1000003 + k)) % $3::bigint) + 1,
            (enum_range(NULL::"CustomerGroup"))[1 + abs(hashint8(d::bigint * 31 + k)) % 6],
            (enum_range(NULL::"CustomerGroup"))[1 + abs(hashint8(d::bigint * 37 + k + 1)) % 6],
            50, $2::timestamp - make_interval(days => d, secs => k % 3600)
     FROM generate_series(0, 199) d, generate_series(1, $4::int) k`,
    shopId,
    now,
    customers,
    perDay,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "SyncRun" ("shopId", kind, status, "ordersSince", "objectCount", "rootObjectCount", "linesDone", "rootsDone", error, "startedAt", "completedAt")
     VALUES ($1, 'CUSTOMERS', 'COMPLETED', NULL, $2, $2, $2, $2, NULL, $3::timestamp - interval '200 days', $3::timestamp - interval '199 days'),
            ($1, 'ORDERS', 'FAILED', $3::timestamp - interval '260 days', $2 * 6, $2 * 2, $2, $2 / 2, 'Bulk operation failed: INTERNAL_SERVER_ERROR', $3::timestamp - interval '199 days', NULL),
            ($1, 'ORDERS', 'COMPLETED', $3::timestamp - interval '259 days', $2 * 6, $2 * 2, $2 * 6, $2 * 2, NULL, $3::timestamp - interval '198 days', $3::timestamp - interval '197 days')`,
    shopId,
    customers,
    now,
  );
  // About one delivery per customer over 200 days, nearly all processed.
  await prisma.$executeRawUnsafe(
    `INSERT INTO "WebhookEvent" ("shopId", "webhookId", topic, "receivedAt", payload, status, attempts, error, "processedAt")
     SELECT $1::int, 'wh-' || $1::int || '-' || i, (ARRAY['orders/create', 'orders/updated', 'customers/update', 'refunds/create'])[1 + i % 4],
            $2::timestamp - make_interval(secs => i::float8 * 17280000 / $3::int),
            '{"id": 1}',
            (CASE WHEN i <= 40 THEN 'PENDING' WHEN i % 5000 = 0 THEN 'FAILED' ELSE 'PROCESSED' END)::"WebhookStatus",
            CASE WHEN i % 5000 = 0 THEN 8 ELSE 1 END,
            CASE WHEN i % 5000 = 0 THEN 'customer not found' END,
            CASE WHEN i > 40 THEN $2::timestamp END
     FROM generate_series(1, $3) i`,
    shopId,
    now,
    customers,
  );
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE "CustomerScore"`);
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE "GroupChange"`);
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE "WebhookEvent"`);
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE "ModelFit"`);
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE "SyncRun"`);
  return shopId;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

type Timing = { p50: number; p95: number; max: number };

async function time(fn: () => Promise<unknown>, runs: number, before?: () => Promise<unknown>): Promise<Timing> {
  await before?.();
  await fn(); // warm the connection pool and the buffer cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples.at(-1)! };
}

const fmt = (t: Timing) => `p50 ${t.p50.toFixed(1).padStart(7)} ms  p95 ${t.p95.toFixed(1).padStart(7)} ms  max ${t.max.toFixed(1).padStart(7)} ms`;

await seedShop("bench-neighbour.myshopify.com", 5_000);
const rows: { size: number; warm: Timing; cold: Timing; parts: string }[] = [];
const day = NOW.toISOString().slice(0, 10);
for (const size of SIZES) {
  const domain = `bench-${size}.myshopify.com`;
  const started = performance.now();
  const shopId = await seedShop(domain, size);
  const changes = await prisma.groupChange.count({ where: { shopId } });
  console.log(`seeded ${size} customers, ${changes} group changes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const load = () => loadDashboard(prisma, domain, { periodDays: 30, now: NOW });
  // Warm: the snapshot is as of the latest scoring run (the page's steady state).
  const warm = await time(load, RUNS);
  // Cold: the first view after a rescore, when nothing refreshed the snapshot.
  const cold = await time(load, Math.min(RUNS, 10), () => prisma.dashboardSnapshot.deleteMany({ where: { shopId } }));
  const parts: [string, () => Promise<unknown>][] = [
    ["groups", () => groupRows(prisma, shopId)],
    ["movement", () => movementRows(prisma, shopId, day)],
    ["sync", () => syncStatus(prisma, shopId)],
  ];
  const partTimes: string[] = [];
  for (const [name, fn] of parts) {
    const t = await time(fn, Math.min(RUNS, 10));
    partTimes.push(`${name} p50 ${t.p50.toFixed(1)} p95 ${t.p95.toFixed(1)}`);
  }
  rows.push({ size, warm, cold, parts: partTimes.join(", ") });
  console.log(`${String(size).padStart(8)} customers  warm ${fmt(warm)}  cold ${fmt(cold)}  (${partTimes.join("; ")})`);
}

await prisma.$disconnect();
if (values.keep) console.log(`kept database ${database}`);
else await dropDatabase(database);

console.log(`\ndashboard benchmark: server time of loadDashboard, ${RUNS} warm runs and ${Math.min(RUNS, 10)} cold runs per size`);
for (const r of rows) {
  console.log(`${String(r.size).padStart(8)} customers  warm (snapshot current)   ${fmt(r.warm)}`);
  console.log(`${String(r.size).padStart(8)} customers  cold (snapshot recomputed) ${fmt(r.cold)}   [${r.parts}]`);
}
for (let i = 1; i < rows.length; i++) {
  const [a, b] = [rows[i - 1], rows[i]];
  console.log(
    `${b.size / a.size}x customers: warm p50 x${(b.warm.p50 / a.warm.p50).toFixed(2)} p95 x${(b.warm.p95 / a.warm.p95).toFixed(2)}; ` +
      `cold p50 x${(b.cold.p50 / a.cold.p50).toFixed(2)} p95 x${(b.cold.p95 / a.cold.p95).toFixed(2)}`,
  );
}
