// Order sync at scale: npx tsx test/bench/sync.bench.ts [--seconds 10] [--rates 200,500,2000] [--web 1,2] [--customers 10000,100000] [--skip-ingest] [--skip-backfill] [--plan standard|advanced|plus|enterprise]
// Prints figures and ratios; never passes or fails on time. Needs PostgreSQL and Redis
// as the tests do; makes its own database (dropped after) and queue prefix (obliterated).
//
// 1. Webhook ingestion: an open-loop client offers orders/create deliveries at fixed rates
//    to (a) the real path, the production server's webhook listener (event-loop gate,
//    HMAC, route and shop checks, cached shop, group-committed inbox insert, batched
//    enqueue) behind node:http, in 1 and 2 web processes (node:cluster, as `npm start`
//    runs them), and (b) a bare node:http server doing an HMAC check and the same insert
//    with pg. Each server is its own process; loopback only. Then, one delivery at a
//    time, where the real path's time goes, and what the worker's per-order ownership
//    call (`node(id:)`, issue 12) costs against the fake Shopify.
// 2. Backfill: the fake's bulk export of a generated store, imported by importBulkRun in
//    a child process run with the worker's V8 flags (app/worker/node-flags.ts) whose peak
//    RSS is sampled (with the JS heap's share of it); then, as
//    the baseline, the rows it stored are copied out, the tables emptied, and the same rows
//    COPYed (CSV) straight back in. IMPORT_NODE_OPTIONS, when set, is the importer child's
//    NODE_OPTIONS (e.g. --max-old-space-size=128, to see how much of the peak is garbage);
//    it cannot change a flag of WORKER_NODE_FLAGS, which Node reads after NODE_OPTIONS:
//    to try another young-generation size, edit app/worker/node-flags.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { Agent, request as undiciRequest } from "undici";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { WORKER_NODE_FLAGS } from "../../app/worker/node-flags";
import { cloneTemplate, dropDatabase, randomDatabaseName } from "../support/postgres";

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "main" },
    seconds: { type: "string", default: "10" },
    rates: { type: "string", default: "200,500,2000" },
    web: { type: "string", default: "1,2" },
    customers: { type: "string", default: "10000,100000" },
    "skip-ingest": { type: "boolean", default: false },
    "skip-backfill": { type: "boolean", default: false },
    // The store's Shopify plan sets the Admin API's restore rate, which bounds the refund-detail reads.
    plan: { type: "string", default: "standard" },
  },
});

const API_SECRET = "bench-api-secret";
const SHOP = "bench-store.myshopify.com";
const MB = 1024 * 1024;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}`,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: "https://patron.bench",
    LOG_LEVEL: "silent",
    ...extra,
  };
}

function spawnRole(role: string, env: NodeJS.ProcessEnv, args: string[] = []): { child: ChildProcess; firstLine: Promise<string>; done: Promise<string> } {
  // The importer runs as the worker does (its V8 flags), the servers as `npm start` does.
  const nodeFlags = role === "import" ? WORKER_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "test/bench/sync.bench.ts", "--role", role, ...args], { env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let resolveFirst: (line: string) => void;
  const firstLine = new Promise<string>((resolve) => (resolveFirst = resolve));
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes("\n")) resolveFirst(out.split("\n")[0]);
  });
  const done = new Promise<string>((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${role} exited with ${code}: ${out}`)))),
  );
  return { child, firstLine, done };
}

// ---------- servers (child processes) ----------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function installBenchShop() {
  const { default: prisma } = await import("../../app/db.server");
  const { recordInstall } = await import("../../app/shops.server");
  await recordInstall(prisma, { domain: SHOP, scopes: null });
}

async function serveApp() {
  const { webhookIngestion } = await import("../../app/sync/webhook-route.server");
  const { runWebCluster } = await import("../../app/web/cluster.server");
  const { eventLoopGate } = await import("../../app/web/load-gate.server");
  const { webhookListener } = await import("../../app/web/webhook-listener.server");
  await runWebCluster({
    count: Number(values.web),
    serve: async () => {
      // Webhooks never create shops: the shop is installed first, as the install flow would.
      await installBenchShop();
      // The production server's webhook path (app/web/server.ts), without the Remix build behind it.
      const webhooks = webhookListener(webhookIngestion, eventLoopGate());
      const server = createServer((req, res) => {
        if (!webhooks(req, res)) res.writeHead(404).end();
      });
      // In a cluster every web process listening on port 0 shares the one port the primary picked.
      server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
    },
  });
}

async function serveBare() {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "Shop" (domain, "updatedAt") VALUES ($1, now()) ON CONFLICT (domain) DO UPDATE SET domain = EXCLUDED.domain RETURNING id`,
    [SHOP],
  );
  const shopId = rows[0].id;
  const secret = Buffer.from(API_SECRET);
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
      const expected = createHmac("sha256", secret).update(body).digest();
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401);
        return res.end();
      }
      await pool.query(
        `INSERT INTO "WebhookEvent" ("shopId", "webhookId", topic, "apiVersion", payload) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT ("shopId", "webhookId") DO NOTHING`,
        [shopId, req.headers["x-shopify-webhook-id"], req.headers["x-shopify-topic"], req.headers["x-shopify-api-version"], JSON.stringify(JSON.parse(body.toString("utf8")))],
      );
      res.writeHead(200);
      res.end();
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
}

// ---------- ingestion load (main process) ----------

interface LoadResult {
  offered: number;
  sent: number;
  ok: number;
  errors: number;
  errorKinds: Map<string, number>;
  seconds: number;
  latencies: number[];
  /** Answers that came after Shopify's 5 s, or never (the client gives up at 5 s). */
  late: number;
  /** The load client's own worst event-loop delay: past a few ms, the client, not the server, set the pace. */
  clientLagMs: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function offerLoad(port: number, rate: number, seconds: number): Promise<LoadResult> {
  const body = readFileSync("app/sync/fixtures/orders-create.json", "utf8");
  const hmac = createHmac("sha256", API_SECRET).update(body, "utf8").digest("base64");
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const errorKinds = new Map<string, number>();
  // undici's own request API (keep-alive, as many connections as requests in flight) costs the
  // client far less CPU than fetch, which matters when client and servers share two cores.
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: null });
  const clientLag = monitorEventLoopDelay({ resolution: 10 });
  clientLag.enable();
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // Latency counts from when the request was due, so a stalled server is not hidden (coordinated omission).
    const p = undiciRequest(`http://127.0.0.1:${port}/webhooks/orders`, {
      dispatcher: agent,
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Hmac-Sha256": hmac,
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-API-Version": "2026-07",
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
      },
      body,
      // Shopify counts an answer slower than 5 s as a failure; it also bounds each run.
      signal: AbortSignal.timeout(Math.max(1, Math.ceil(5000 - (performance.now() - due)))),
    })
      .then(async (response) => {
        await response.body.dump();
        if (response.statusCode === 200) ok++;
        else {
          errors++;
          errorKinds.set(`HTTP ${response.statusCode}`, (errorKinds.get(`HTTP ${response.statusCode}`) ?? 0) + 1);
        }
      })
      .catch((error: Error) => {
        errors++;
        const kind = performance.now() - due >= 4999 ? "over Shopify's 5 s" : ((error.cause as Error | undefined)?.message ?? error.message);
        errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
      })
      .finally(() => {
        latencies.push(performance.now() - due);
        inFlight.delete(p);
      });
    inFlight.add(p);
  }
  await Promise.all([...inFlight]);
  clientLag.disable();
  await agent.close();
  latencies.sort((a, b) => a - b);
  return {
    offered: rate,
    sent: total,
    ok,
    errors,
    errorKinds,
    seconds: (performance.now() - started) / 1000,
    latencies,
    late: latencies.filter((l) => l >= 5000).length,
    clientLagMs: clientLag.max / 1e6,
  };
}

function printLoad(label: string, r: LoadResult) {
  const ms = (v: number) => v.toFixed(1).padStart(7);
  console.log(
    `  ${label.padEnd(34)} offered ${String(r.offered).padStart(5)}/s  achieved ${(r.ok / r.seconds).toFixed(0).padStart(5)}/s  ` +
      `ok ${r.ok}/${r.sent}  after 5 s ${r.late}  errors ${r.errors}${r.errors ? ` (${[...r.errorKinds].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""}  p50 ${ms(percentile(r.latencies, 50))} ms  p95 ${ms(percentile(r.latencies, 95))} ms  p99 ${ms(percentile(r.latencies, 99))} ms  client lag ${r.clientLagMs.toFixed(0)} ms`,
  );
}

async function benchIngest(databaseUrl: string, prefix: string, rates: number[], seconds: number, webCounts: number[]) {
  console.log(`\nWebhook ingestion (orders/create, ${readFileSync("app/sync/fixtures/orders-create.json").length} B body, ${seconds} s per rate, no worker draining the queue)`);
  const servers = [
    ...webCounts.map((n) => ({ key: `real-${n}`, role: "serve-app", args: ["--web", String(n)], label: `real path, ${n} web process${n > 1 ? "es" : ""}` })),
    { key: "bare", role: "serve-bare", args: [], label: "bare node:http + HMAC + insert" },
  ];
  const results: Record<string, LoadResult[]> = {};
  for (const { key, role, args, label } of servers) {
    const server = spawnRole(role, childEnv({ DATABASE_URL: databaseUrl, QUEUE_PREFIX: prefix }), args);
    const port = Number(await server.firstLine);
    await offerLoad(port, 200, 2); // warm-up: JIT, pools, the shop row
    results[key] = [];
    for (const rate of rates) {
      const r = await offerLoad(port, rate, seconds);
      results[key].push(r);
      printLoad(label, r);
    }
    server.child.kill("SIGTERM");
    await server.done.catch(() => undefined);
  }
  const breakdown = spawnRole("breakdown", childEnv({ DATABASE_URL: databaseUrl, QUEUE_PREFIX: prefix }));
  process.stdout.write(await breakdown.done);
  const throughput = (r: LoadResult) => r.ok / r.seconds;
  for (const n of webCounts) {
    rates.forEach((rate, i) => {
      const app = results[`real-${n}`][i];
      const bare = results.bare[i];
      console.log(
        `  ratio real (${n} process${n > 1 ? "es" : ""})/bare at ${rate}/s: throughput ${(throughput(app) / throughput(bare)).toFixed(2)}x, ` +
          `p99 ${(percentile(app.latencies, 99) / percentile(bare.latencies, 99)).toFixed(2)}x`,
      );
    });
  }
}

/** Where one delivery's time goes on the real path: sequential requests, the steps timed apart, CPU per request. */
async function breakdownChild() {
  const { ingestWebhook } = await import("../../app/sync/ingest.server");
  const { ingestResources } = await import("../../app/sync/webhook-route.server");
  const { verifyWebhookHmac } = await import("../../app/sync/webhook-hmac");
  const { parseLosslessJson } = await import("../../app/sync/lossless-json");
  const { nestsDeeperThan } = await import("../../app/sync/webhook-guard");
  const { closeQueues } = await import("../../app/queue/queues.server");
  const { default: prisma } = await import("../../app/db.server");
  await installBenchShop();
  const body = readFileSync("app/sync/fixtures/orders-create.json", "utf8");
  const hmac = createHmac("sha256", API_SECRET).update(body, "utf8").digest("base64");
  const request = () =>
    new Request("http://127.0.0.1/webhooks/orders", {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/create",
        "x-shopify-hmac-sha256": hmac,
        "x-shopify-shop-domain": SHOP,
        "x-shopify-api-version": "2026-07",
        "x-shopify-webhook-id": randomUUID(),
      },
    });
  const { pool, inbox } = ingestResources();
  const deps = { secret: API_SECRET, sql: pool, inbox };
  for (let i = 0; i < 200; i++) await ingestWebhook(request(), deps, "orders");
  const n = 2000;
  const cpu = process.cpuUsage();
  let t = performance.now();
  for (let i = 0; i < n; i++) await ingestWebhook(request(), deps, "orders");
  const total = performance.now() - t;
  const used = process.cpuUsage(cpu);
  // The same work without HTTP or the database: verify, depth check, lossless parse, re-serialise.
  const raw = Buffer.from(body);
  t = performance.now();
  for (let i = 0; i < n; i++) {
    verifyWebhookHmac(raw, hmac, API_SECRET);
    nestsDeeperThan(body);
    JSON.stringify(parseLosslessJson(raw.toString("utf8")));
  }
  const checks = performance.now() - t;
  const per = (ms: number) => `${(ms / n).toFixed(2)} ms`;
  console.log(
    `  one at a time, ${n} deliveries: ${per(total)} each = HMAC, depth check, lossless parse and re-serialise ${per(checks)}` +
      ` + body read, shop lookup (cached), inbox insert round trip and commit ${per(total - checks)}; CPU ${per((used.user + used.system) / 1000)} per delivery`,
  );
  await closeQueues();
  await pool.end();
  await prisma.$disconnect();
}

/**
 * The worker's per-order ownership call (issue 12): for an order Patron does not hold yet,
 * one `node(id:)` query to Shopify under the shop's token before anything is written.
 * Timed inside processInboxEvent against the fake Shopify on loopback, so it shows the
 * call's own cost and share, not Shopify's network distance.
 */
async function benchOwnership(orders: number) {
  const { generateStore } = await import("../fake-shopify/generator");
  const { createFakeShopify } = await import("../fake-shopify/server");
  const { orderPayload } = await import("../fake-shopify/webhook-payloads");
  const { stringifyRaw } = await import("../fake-shopify/util/raw-json");
  const { parseLosslessJson } = await import("../../app/sync/lossless-json");
  const { throttledAdmin } = await import("../../app/shopify/admin-graphql.server");
  const { NODE_EXISTS_QUERY } = await import("../../app/shopify/operations/node-exists");
  const { processInboxEvent } = await import("../../app/sync/process-event.server");
  const { ingestResources } = await import("../../app/sync/webhook-route.server");
  const { default: prisma } = await import("../../app/db.server");
  const domain = "bench-ownership.myshopify.com";
  const data = generateStore({ seed: 43, shopDomain: domain, customers: Math.max(50, Math.ceil(orders / 2)) });
  const fake = await createFakeShopify({ apiKey: "bench-api-key", apiSecret: API_SECRET, appUrl: "http://127.0.0.1:9", shops: [data], bulkStartDelayMs: 0 });
  try {
    const { accessToken } = fake.control.issueToken(domain, { scope: ["read_orders", "read_all_orders", "read_customers", "read_products", "read_inventory"], expiring: false });
    const graphql = throttledAdmin(fakeAdmin(fake.url, accessToken, domain), { shop: domain });
    const spent = { ownership: 0, ownershipCalls: 0, otherAdmin: 0 };
    const admin = {
      ...graphql,
      request: async <T,>(query: string, variables?: Record<string, unknown>, options?: { expectedCost?: number }) => {
        const t = performance.now();
        try {
          return await graphql.request<T>(query, variables, options);
        } finally {
          if (query === NODE_EXISTS_QUERY) {
            spent.ownership += performance.now() - t;
            spent.ownershipCalls++;
          } else spent.otherAdmin += performance.now() - t;
        }
      },
    };
    const shop = await prisma.shop.upsert({ where: { domain }, create: { domain }, update: {}, select: { id: true } });
    const { inbox } = ingestResources();
    const store = fake.shops.get(domain)!;
    const ids: bigint[] = [];
    for (const order of store.data.orders.filter((o) => !o.test).slice(0, orders)) {
      const written = await inbox.write(
        { shopId: shop.id, webhookId: randomUUID(), topic: "orders/create", apiVersion: "2026-07", eventId: null, triggeredAt: null, payload: JSON.stringify(parseLosslessJson(stringifyRaw(orderPayload(store, order)))) },
        Date.now() + 10_000,
      );
      if (!written.duplicate) ids.push(written.inboxId);
    }
    const t = performance.now();
    for (const id of ids) await processInboxEvent({ db: prisma, adminFor: async () => admin }, id);
    const total = performance.now() - t;
    const per = (ms: number, count = ids.length) => `${(ms / Math.max(1, count)).toFixed(2)} ms`;
    console.log(
      `\nWorker, ${ids.length} new orders processed one at a time against the fake Shopify: ${per(total)} each, of which the ownership call ` +
        `${per(spent.ownership)} (${spent.ownershipCalls} calls, ${per(spent.ownership, spent.ownershipCalls)} per call, ${((spent.ownership / total) * 100).toFixed(0)}% of the time), ` +
        `other Admin calls (unit costs) ${per(spent.otherAdmin)}`,
    );
  } finally {
    await fake.close();
  }
}

// ---------- backfill ----------

function fakeAdmin(fakeUrl: string, token: string, shop = SHOP) {
  return async (query: string, options?: { variables?: Record<string, unknown> }) =>
    fetch(`${fakeUrl}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "x-fake-shop-domain": shop },
      body: JSON.stringify({ query, variables: options?.variables }),
    });
}

async function importChild() {
  const { default: prisma } = await import("../../app/db.server");
  const { throttledAdmin } = await import("../../app/shopify/admin-graphql.server");
  const { importBulkRun } = await import("../../app/sync/backfill.server");
  const admin = throttledAdmin(fakeAdmin(process.env.FAKE_SHOPIFY_URL!, process.env.FAKE_TOKEN!), { shop: SHOP });
  let peak = process.memoryUsage().rss;
  // Where the peak sits: the JS heap (reserved and used) or memory outside it (Buffers, pg, undici).
  const parts = { heapTotal: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    parts.heapTotal = Math.max(parts.heapTotal, m.heapTotal);
    parts.heapUsed = Math.max(parts.heapUsed, m.heapUsed);
    parts.external = Math.max(parts.external, m.external);
  };
  const sampler = setInterval(sample, 50);
  const started = performance.now();
  const outcome = await importBulkRun(prisma, admin, Number(process.env.SYNC_RUN_ID), { batchRoots: process.env.SYNC_BATCH_ROOTS ? Number(process.env.SYNC_BATCH_ROOTS) : undefined });
  const ms = performance.now() - started;
  clearInterval(sampler);
  sample();
  await prisma.$disconnect();
  console.log(JSON.stringify({ ms, roots: outcome.roots, status: outcome.status, peakRss: peak, parts, spent: outcome.spent }));
}

async function benchBackfill(databaseUrl: string, customers: number) {
  const { generateStore } = await import("../fake-shopify/generator");
  const { createFakeShopify } = await import("../fake-shopify/server");
  const { throttledAdmin } = await import("../../app/shopify/admin-graphql.server");
  const { BULK_OPERATION_QUERY } = await import("../../app/shopify/operations/bulk-operation");
  const { startBackfill } = await import("../../app/sync/backfill.server");
  const { default: prisma } = await import("../../app/db.server");

  let t = performance.now();
  const data = generateStore({ seed: 42, shopDomain: SHOP, customers });
  const generateMs = performance.now() - t;
  const fake = await createFakeShopify({ apiKey: "bench-api-key", apiSecret: API_SECRET, appUrl: "http://127.0.0.1:9", shops: [data], bulkStartDelayMs: 0 });
  try {
    // Non-expiring: the raw token is used without refresh, and a big run may outlast an hour.
    fake.control.setPlan(SHOP, values.plan as Parameters<typeof fake.control.setPlan>[1]);
    const { accessToken } = fake.control.issueToken(SHOP, { scope: ["read_orders", "read_all_orders", "read_customers", "read_products", "read_inventory"], expiring: false });
    const admin = throttledAdmin(fakeAdmin(fake.url, accessToken), { shop: SHOP });
    const shop = await prisma.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP }, update: {}, select: { id: true } });
    await prisma.order.deleteMany({ where: { shopId: shop.id } });
    await prisma.customer.deleteMany({ where: { shopId: shop.id } });
    await prisma.syncRun.deleteMany({ where: { shopId: shop.id } });
    t = performance.now();
    const runs = await startBackfill(prisma, admin, shop.id, "read_all_orders");
    for (;;) {
      // The fake builds a big export on its own event loop; a poll meeting a reset socket is simply tried again.
      const nodes = await Promise.all(
        runs.map((r) => admin.request<{ node: { status: string; url: string | null } }>(BULK_OPERATION_QUERY, { id: r.operationId })),
      ).catch(() => null);
      if (!nodes) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (nodes.every((n) => n.node.status === "COMPLETED")) break;
      if (nodes.some((n) => ["FAILED", "CANCELED", "EXPIRED"].includes(n.node.status))) throw new Error(`bulk export ${JSON.stringify(nodes)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const exportMs = performance.now() - t;
    console.log(
      `\nBackfill of ${customers.toLocaleString("en")} customers / ${data.orders.length.toLocaleString("en")} orders ` +
        `on the ${values.plan} plan (generate ${(generateMs / 1000).toFixed(1)} s, fake's bulk export ${(exportMs / 1000).toFixed(1)} s, not counted below)`,
    );
    let importMs = 0;
    for (const run of runs) {
      const child = spawnRole("import", childEnv({ DATABASE_URL: databaseUrl, FAKE_SHOPIFY_URL: fake.url, FAKE_TOKEN: accessToken, SYNC_RUN_ID: String(run.id), ...(process.env.IMPORT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.IMPORT_NODE_OPTIONS } : {}) }));
      const result = JSON.parse((await child.done).trim().split("\n").pop()!) as {
        ms: number;
        roots: number;
        status: string;
        peakRss: number;
        parts: { heapTotal: number; heapUsed: number; external: number };
        spent: { refundsMs: number; awaitingWriteMs: number; awaitingRefundsMs: number; writingMs: number };
      };
      const lines = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id }, select: { objectCount: true } });
      console.log(
        `  import ${run.kind.padEnd(9)} ${result.status} ${result.roots.toLocaleString("en").padStart(10)} roots ` +
          `(${Number(lines.objectCount).toLocaleString("en")} JSONL lines) in ${(result.ms / 1000).toFixed(1)} s = ` +
          `${Math.round(result.roots / (result.ms / 1000)).toLocaleString("en")} roots/s, importer peak RSS ${Math.round(result.peakRss / MB)} MB ` +
          `(peaks: JS heap ${Math.round(result.parts.heapTotal / MB)} MB reserved, ${Math.round(result.parts.heapUsed / MB)} MB used; outside it ${Math.round(result.parts.external / MB)} MB)`,
      );
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      console.log(
        `    of which: refund details from the Admin API ${s(result.spent.refundsMs)}, reader waiting on the writer ${s(result.spent.awaitingWriteMs)}, ` +
          `writer waiting on refund details ${s(result.spent.awaitingRefundsMs)}; writing (COPY + merge + commit, overlapped with reading) ${s(result.spent.writingMs)}`,
      );
      importMs += result.ms;
    }
    const baseline = await copyBaseline(databaseUrl);
    console.log(
      `  baseline: plain COPY (CSV) of the same rows into the same empty tables, ${baseline.tables.map((t) => `${t.table} ${t.rows.toLocaleString("en")} rows ${(t.ms / 1000).toFixed(1)} s`).join(", ")}`,
    );
    console.log(
      `  backfill (both imports) ${(importMs / 1000).toFixed(1)} s vs plain COPY ${(baseline.ms / 1000).toFixed(1)} s: ` +
        `backfill runs at ${(baseline.ms / importMs).toFixed(2)}x the COPY baseline's speed`,
    );
    return data.orders.length;
  } finally {
    await fake.close();
  }
}

/**
 * The database's own speed for the rows the backfill stored: each table is copied out to a
 * file, the tables are emptied, and the files are COPYed back in, timed per table.
 */
async function copyBaseline(databaseUrl: string): Promise<{ ms: number; tables: { table: string; rows: number; ms: number }[] }> {
  const tables = ["Customer", "Order", "OrderLine", "Refund"];
  const dir = await mkdtemp(join(tmpdir(), "patron-copy-baseline-"));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const table of tables) await pipeline(client.query(copyTo(`COPY "${table}" TO STDOUT WITH (FORMAT csv)`)), createWriteStream(join(dir, table)));
    await client.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(", ")} CASCADE`);
    await client.query(`CHECKPOINT`).catch(() => undefined);
    const timed: { table: string; rows: number; ms: number }[] = [];
    for (const table of tables) {
      const started = performance.now();
      const copy = client.query(copyFrom(`COPY "${table}" FROM STDIN WITH (FORMAT csv)`));
      await pipeline(createReadStream(join(dir, table)), copy);
      timed.push({ table, rows: copy.rowCount, ms: performance.now() - started });
    }
    return { ms: timed.reduce((s, t) => s + t.ms, 0), tables: timed };
  } finally {
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------- main ----------

async function main() {
  const database = randomDatabaseName("patron_bench");
  const databaseUrl = await cloneTemplate(database);
  if (process.env.BENCH_AUTO_EXPLAIN) {
    // Logs the plan of every statement slower than 500 ms to the PostgreSQL server log.
    const { withAdminClient } = await import("../support/postgres");
    await withAdminClient((c) =>
      c.query(`ALTER DATABASE "${database}" SET session_preload_libraries = 'auto_explain'; ALTER DATABASE "${database}" SET auto_explain.log_min_duration = 500; ALTER DATABASE "${database}" SET auto_explain.log_analyze = on; ALTER DATABASE "${database}" SET auto_explain.log_nested_statements = on`),
    );
  }
  const prefix = `bench-${randomBytes(4).toString("hex")}`;
  Object.assign(process.env, childEnv({ DATABASE_URL: databaseUrl, QUEUE_PREFIX: prefix }));
  const os = await import("node:os");
  console.log(`sync bench on ${process.version}, ${os.cpus().length} CPUs, database ${database}, queue prefix ${prefix}`);
  // Other work on the machine skews every figure: say how busy it was.
  const load = () => `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
  console.log(`  at start: ${load()}`);
  try {
    if (!values["skip-ingest"]) {
      await benchIngest(databaseUrl, prefix, values.rates.split(",").map(Number), Number(values.seconds), values.web.split(",").map(Number));
      console.log(`  after ingestion: ${load()}`);
      await benchOwnership(300);
    }
    if (!values["skip-backfill"]) {
      for (const customers of values.customers.split(",").map(Number)) {
        await benchBackfill(databaseUrl, customers);
        console.log(`  after this backfill: ${load()}`);
      }
    }
  } finally {
    const { getQueue, closeQueues, QUEUES } = await import("../../app/queue/queues.server");
    for (const name of Object.values(QUEUES)) await getQueue(name).obliterate({ force: true }).catch(() => undefined);
    await closeQueues();
    const { default: prisma } = await import("../../app/db.server");
    await prisma.$disconnect();
    await dropDatabase(database);
  }
}

const roles: Record<string, () => Promise<void>> = { main, "serve-app": serveApp, "serve-bare": serveBare, breakdown: breakdownChild, import: importChild };
await roles[values.role]();
