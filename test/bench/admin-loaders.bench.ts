// Admin list loader benchmark: `npx tsx test/bench/admin-loaders.bench.ts [--runs 50] [--sizes 100000,1000000]`.
// Seeds one shop per size straight into a bench database by SQL (generate_series),
// with a second shop's rows beside it, then times the customer list route loader
// (session token check, shop lookup, query) for a first page, a deep cursor page,
// a filtered and sorted page, and two searches. Prints p50/p95 per size and the
// ratio between sizes. Real PostgreSQL; figures, never pass/fail.
import { parseArgs } from "node:util";
import setupTemplate from "../setup/global";
import { cloneTemplate, dropDatabase, randomDatabaseName } from "../support/postgres";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "50" }, sizes: { type: "string", default: "100000,1000000" }, keep: { type: "boolean", default: false } },
});
const RUNS = Number(values.runs);
const SIZES = values.sizes.split(",").map(Number);

await setupTemplate();
const database = randomDatabaseName("patron_bench");
console.log(`bench database ${database}`);
process.env.DATABASE_URL = await cloneTemplate(database);
process.env.SHOPIFY_API_KEY ??= "patron-bench-key";
process.env.SHOPIFY_API_SECRET ??= "patron-bench-secret";
process.env.SHOPIFY_APP_URL ??= "https://patron.bench";
process.env.LOG_LEVEL = "silent";

const { default: prisma } = await import("../../app/db.server");
const { adminRequest, installTestShop } = await import("../support/admin-request");
const { loader } = await import("../../app/routes/app.customers._index");
const { encodeCursor } = await import("../../app/customers/list.server");

async function seedShop(domain: string, customers: number): Promise<number> {
  const shopId = await installTestShop(domain);
  const fit = await prisma.modelFit.create({
    data: { shopId, version: "bench", kind: "fallback", params: {}, customers, summary: {}, trigger: "manual", durationMs: 0 },
  });
  const step = 250_000;
  for (let from = 1; from <= customers; from += step) {
    const to = Math.min(customers, from + step - 1);
    await prisma.$executeRawUnsafe(
      `INSERT INTO "Customer" ("shopId", id, email, "firstName", "lastName", "updatedAt")
       SELECT $1, 6000000000000 + i,
              lower((ARRAY['Alice','Bruno','Chloe','Dmitri','Elena','Farid','Grace','Hugo','Ines','Jonas','Kira','Liam','Maya','Nils','Olga','Pavel','Quinn','Rosa','Sami','Tara'])[1 + i % 20])
                || '.' || substr(md5(i::text), 1, 8) || '@example.com',
              (ARRAY['Alice','Bruno','Chloe','Dmitri','Elena','Farid','Grace','Hugo','Ines','Jonas','Kira','Liam','Maya','Nils','Olga','Pavel','Quinn','Rosa','Sami','Tara'])[1 + i % 20],
              initcap(substr(md5('l' || i::text), 1, 7)), now()
       FROM generate_series($2::int, $3::int) AS i`,
      shopId,
      from,
      to,
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "CustomerScore" ("shopId", "customerId", "group", "valueScore", "volumeScore", vip, "vipSource", held, "pAlive",
                                    "expectedPurchases", "predictedClv", orders, revenue, "grossMargin", "marginRate", "marginEstimated",
                                    "discountShare", "lastOrderAt", reasons, "modelFitId", "scoredAt")
       SELECT $1, 6000000000000 + i,
              (ARRAY['valued','volume','rising','at_risk','new','occasional','occasional'])[1 + (hashint % 7)]::"CustomerGroup",
              round((r1 * 100)::numeric, 1)::float8, round((r2 * 100)::numeric, 1)::float8,
              hashint % 40 = 0, CASE WHEN hashint % 40 = 0 THEN 'auto' END, false, r1,
              r2 * 5, round((r1 * r2 * 2000)::numeric, 2), 1 + (hashint % 23), round((r2 * 3000)::numeric, 2), round((r1 * 900)::numeric, 2),
              r2, hashint % 3 = 0, r1 * r2,
              CASE WHEN hashint % 11 = 0 THEN NULL ELSE timestamp '2026-11-01' - (r2 * 900) * interval '1 day' END,
              '[]'::jsonb, $4, now()
       FROM (SELECT i, abs(hashtext(i::text)) AS hashint, random() AS r1, random() AS r2 FROM generate_series($2::int, $3::int) AS i) AS g`,
      shopId,
      from,
      to,
      fit.id,
    );
  }
  await prisma.$executeRawUnsafe(`ANALYZE "Customer"`);
  await prisma.$executeRawUnsafe(`ANALYZE "CustomerScore"`);
  return shopId;
}

async function time(domain: string, query: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 5; i++) {
    const request = await adminRequest(domain, `/app/customers?${query}`);
    const started = performance.now();
    const data = await loader({ request, params: {}, context: {} });
    const ms = performance.now() - started;
    if (data.page.rows.length === 0 && !query.includes("zz")) throw new Error(`no rows for ${query}`);
    if (i >= 5) samples.push(ms);
  }
  return samples.sort((a, b) => a - b);
}

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];

// A cursor 90% of the way through the shop's valued customers by value score.
async function deepCursor(shopId: number): Promise<string> {
  const [row] = await prisma.$queryRawUnsafe<{ key: string; id: string }[]>(
    `SELECT "valueScore"::text AS key, "customerId"::text AS id FROM "CustomerScore"
     WHERE "shopId" = $1 AND "group" = 'valued' ORDER BY "valueScore" DESC, "customerId" DESC
     OFFSET (SELECT (count(*) * 0.9)::int FROM "CustomerScore" WHERE "shopId" = $1 AND "group" = 'valued') LIMIT 1`,
    shopId,
  );
  return encodeCursor({ sort: "value", key: row.key, id: row.id });
}

const results = new Map<string, Map<number, { p50: number; p95: number }>>();
const started = performance.now();
await seedShop("bench-neighbour.myshopify.com", 50_000);
for (const size of SIZES) {
  const domain = `bench-${size}.myshopify.com`;
  const seedStart = performance.now();
  const shopId = await seedShop(domain, size);
  console.log(`seeded ${size.toLocaleString("en-US")} customers with scores in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  const cases: [string, string][] = [
    ["first page (valued, value desc)", ""],
    ["deep cursor page (90% into valued)", `after=${encodeURIComponent(await deepCursor(shopId))}`],
    ["filtered+sorted (all, VIP, >=5 orders, 2025 last order, CLV asc)", "group=all&vip=1&minOrders=5&lastFrom=2025-01-01&lastTo=2025-12-31&sort=clv&dir=asc"],
    ["filtered+sorted (volume, last order desc, >=10 orders)", "group=volume&sort=last_order&dir=desc&minOrders=10"],
    ["search broad first-name prefix 'maya' (all, 5% match)", "group=all&q=maya"],
    ["search email prefix 'grace.3f' (all)", "group=all&q=grace.3f"],
  ];
  for (const [label, query] of cases) {
    const samples = await time(domain, query);
    const byLabel = results.get(label) ?? new Map();
    byLabel.set(size, { p50: pct(samples, 50), p95: pct(samples, 95) });
    results.set(label, byLabel);
  }
}

console.log(`\ncustomer list loader, server time over ${RUNS} calls each (after 5 warm-up), PostgreSQL ${(await prisma.$queryRawUnsafe<{ v: string }[]>("SELECT current_setting('server_version') AS v"))[0].v}`);
for (const [label, bySize] of results) {
  const cells = SIZES.map((size) => {
    const r = bySize.get(size)!;
    return `${size.toLocaleString("en-US").padStart(9)}: p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms`;
  });
  const first = bySize.get(SIZES[0])!;
  const last = bySize.get(SIZES[SIZES.length - 1])!;
  const ratio = SIZES.length > 1 ? `  ratio p95 ${(last.p95 / first.p95).toFixed(2)}x` : "";
  console.log(`${label.padEnd(66)} ${cells.join("   ")}${ratio}`);
}
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);

await prisma.$disconnect();
if (!values.keep) await dropDatabase(database);
else console.log(`kept database ${database}`);
