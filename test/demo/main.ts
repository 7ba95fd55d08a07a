// `npm run demo`: Patron end to end on this machine, no Shopify account or network.
// PostgreSQL (DATABASE_URL or an embedded PostgreSQL server in data/), Redis (REDIS_URL,
// a local one, or one started here), the fake Shopify with a seeded store, the app and
// the worker; the app is installed into the fake store, history is backfilled,
// customers are scored and tagged, and new orders keep arriving. `--headless` prints
// one JSON line when ready. SIGINT/SIGTERM (Ctrl-C) stops everything; a second run
// reuses data/ (its database, queues and build), one demo per data directory at a time.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { type Dirent, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { WORKER_NODE_FLAGS } from "../../app/worker/node-flags";
import { createFakeShopify, type FakeShopify } from "../fake-shopify/server";
import { mintSessionToken } from "../fake-shopify/session-token";
import { startAdminProxy } from "./admin-proxy";
import { claimDataDir, type DataDir, DataDirInUseError } from "./data-dir";
import { queueCounts } from "./queue-counts";
import { assertPortFree, freePort, type Service, startDatabase, startRedis, stopChild, waitFor } from "./services";

const { values: args } = parseArgs({
  options: {
    headless: { type: "boolean", default: false },
    customers: { type: "string", default: "2000" },
    seed: { type: "string", default: "42" },
    port: { type: "string", default: "3000" },
    shop: { type: "string", default: "demo-store.myshopify.com" },
    "order-every": { type: "string", default: "5" },
    // Offline access tokens last an hour on Shopify; the demo's last a few minutes, so
    // refreshes happen while you watch.
    "token-minutes": { type: "string", default: "7" },
    "data-dir": { type: "string" },
  },
});

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = path.resolve(args["data-dir"] ?? path.join(root, "data"));
const started = Date.now();
const progress = (line: string) => {
  const stamp = `[demo ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s]`;
  (args.headless ? process.stderr : process.stdout).write(`${stamp} ${line}\n`);
};

const apiKey = process.env.SHOPIFY_API_KEY || "patron-demo-api-key";
const apiSecret = process.env.SHOPIFY_API_SECRET || "patron-demo-api-secret";
const shop = args.shop!;
const children: ChildProcess[] = [];
const services: Service[] = [];
let data: DataDir | undefined;
let fake: FakeShopify | undefined;
let proxy: { url: string; close(): Promise<void> } | undefined;
let orderTimer: NodeJS.Timeout | undefined;
// The connection that watches the sync until ready; closed before PostgreSQL stops.
let monitor: pg.Client | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  progress("stopping");
  clearInterval(orderTimer);
  await Promise.all(children.map((c) => stopChild(c)));
  await proxy?.close();
  await fake?.close();
  await monitor?.end().catch(() => undefined);
  for (const service of services.reverse()) await service.stop().catch((error: Error) => progress(`could not stop a service: ${error.message}`));
  data?.release();
  process.exit(code);
}
// `on`, not `once`: a second Ctrl-C must not kill this process before its children
// are stopped. The npm script `exec`s Node, so npm relays SIGINT and SIGTERM to this
// process itself (without exec, npm signals only the shell between, which dies or
// ignores it, and this process lived on).
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));
// npm killed outright (SIGKILL) cannot relay anything: this process is then re-parented.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart) {
    progress(`the process that started the demo (pid ${parentAtStart}) is gone`);
    void shutdown(1);
  }
}, 1000).unref();

function buildIsStale(): boolean {
  const built = path.join(root, "build/server/index.js");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newest = (dir: string): number => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true }) as Dirent[]) {
      const full = path.join(dir, entry.name);
      latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }
    return latest;
  };
  return Math.max(newest(path.join(root, "app")), newest(path.join(root, "public"))) > builtAt;
}

function run(label: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  const result = spawnSync(command, commandArgs, { cwd: root, env, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
    throw new Error(`${label} did not finish within ${timeoutMs / 60_000} minutes; its output so far:\n${result.stdout}\n${result.stderr}`);
  }
  if (result.status !== 0) throw new Error(`${label} failed:\n${result.stdout}\n${result.stderr}`);
}

const RESTARTS = 3;
const RESTART_WINDOW_MS = 5 * 60_000;

/**
 * Runs a child, restarted when it dies unasked: up to RESTARTS times within
 * RESTART_WINDOW_MS, after which the demo stops and says why, with the child's last output.
 * Children import exit-with-parent.ts, so they stop if the demo is killed outright.
 */
function startChild(label: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv) {
  const restarts: number[] = [];
  const launch = () => {
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const prefix = (chunk: Buffer) => {
      if (!args.headless && process.env.DEMO_VERBOSE) process.stdout.write(`[${label}] ${chunk}`);
    };
    child.stdout?.on("data", prefix);
    let errors = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-4000);
      prefix(chunk);
    });
    child.once("exit", (code, signal) => {
      children.splice(children.indexOf(child), 1);
      if (stopping) return;
      const now = Date.now();
      while (restarts.length && restarts[0] < now - RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= RESTARTS) {
        progress(`${label} exited (${code ?? signal}) for the ${RESTARTS + 1}th time within ${RESTART_WINDOW_MS / 60_000} minutes; stopping. Its last output:\n${errors}`);
        void shutdown(1);
        return;
      }
      restarts.push(now);
      progress(`${label} exited (${code ?? signal}); restarting it (${restarts.length}/${RESTARTS}). Its last output:\n${errors}`);
      launch();
    });
    children.push(child);
  };
  launch();
}

async function main() {
  try {
    data = claimDataDir(dataDir);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    progress(`refusing to start: ${error.message}`);
    process.exit(2);
  }
  const proxyPort = Number(args.port);
  await assertPortFree(proxyPort, "--port");
  const database = await startDatabase(dataDir, data!.queuePrefix, progress);
  services.push(database);
  progress(`database: ${database.note}`);
  const redis = await startRedis(dataDir, progress);
  services.push(redis);
  progress(`redis: ${redis.note}`);

  const appPort = await freePort();
  const appUrl = `http://localhost:${proxyPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    // Named after data/, so two checkouts never share queues and a new data/ never sees an old one's jobs.
    QUEUE_PREFIX: process.env.QUEUE_PREFIX || data.queuePrefix,
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  };

  progress("applying migrations");
  run("prisma migrate deploy", path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], env, 5 * 60_000);

  progress(`generating the fake store (${args.customers} customers, seed ${args.seed})`);
  fake = await createFakeShopify({
    apiKey,
    apiSecret,
    appUrl,
    appTomlPath: path.join(root, "shopify.app.toml"),
    port: await freePort(),
    tokenTimeScale: Number(args["token-minutes"]) / 60,
  });
  fake.control.createShop({ domain: shop, customers: Number(args.customers), seed: Number(args.seed), plan: "standard" });
  const summary = fake.control.shopSummary(shop) as { customers: number; orders: number };
  progress(`fake Shopify at ${fake.url}: ${summary.customers} customers, ${summary.orders} orders`);

  if (buildIsStale()) {
    progress("building the app (remix vite:build)");
    run("npm run build", "npm", ["run", "build"], { ...env, NODE_ENV: "production" }, 15 * 60_000);
  }
  const exitWithParent = path.join(root, "test/demo/exit-with-parent.ts");
  const childEnv = {
    ...env,
    FAKE_SHOPIFY_URL: fake.url,
    NODE_OPTIONS: `--import tsx --import ${path.join(root, "test/support/route-to-fake.ts")} --import ${exitWithParent}`,
  };
  // The production web server (`npm start`), in one process.
  startChild("app", process.execPath, ["app/web/main.server.ts", "build/server/index.js"], {
    ...childEnv,
    WEB_CONCURRENCY: "1",
    PORT: String(appPort),
    HOST: "127.0.0.1",
  });
  // Node itself, not the tsx wrapper, so SIGTERM reaches the worker and it shuts down gracefully.
  startChild(
    "worker",
    process.execPath,
    [...WORKER_NODE_FLAGS, "--import", "tsx", "--import", "./test/support/route-to-fake.ts", "--import", exitWithParent, "app/worker/main.server.ts"],
    { ...env, FAKE_SHOPIFY_URL: fake.url },
  );
  proxy = await startAdminProxy({
    port: proxyPort,
    appOrigin: `http://127.0.0.1:${appPort}`,
    shop,
    apiKey,
    mintSessionToken: (s) => mintSessionToken({ shop: s, apiKey, apiSecret }),
  });
  let appAnswer = "no answer yet";
  await waitFor(
    `the app on 127.0.0.1:${appPort}`,
    async () => {
      const response = await fetch(`http://127.0.0.1:${appPort}/`, { signal: AbortSignal.timeout(5000) });
      appAnswer = `HTTP ${response.status}`;
      return response.ok;
    },
    90_000,
    () => appAnswer,
  );
  progress(`app on ${appUrl}, worker started`);

  const db = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 10_000, query_timeout: 60_000 });
  monitor = db;
  // A stop while the sync runs ends this connection from the server's side (57P01): expected then.
  db.on("error", (error) => {
    if (stopping) return;
    progress(`lost the database connection watching the sync: ${error.message}`);
    void shutdown(1);
  });
  await db.connect();
  // The fake store lives in memory and is generated afresh from its seed on every run,
  // so what an earlier run synced (and the orders it streamed since) is not in it: the
  // shop's rows go (as shop/redact deletes them) and the install below syncs it again.
  const deleted = await db.query(`DELETE FROM "Shop" WHERE domain = $1`, [shop]);
  await db.query(`DELETE FROM "Session" WHERE shop = $1`, [shop]);
  if (deleted.rowCount) progress("the store was generated afresh: deleted the earlier run's copy of it, syncing again");
  progress("installing the app into the fake store (token exchange)");
  const install = await fetch(`${proxy.url}/admin`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.text());
  const iframeSrc = /src="([^"]+)"/.exec(install)?.[1]?.replaceAll("&amp;", "&");
  if (!iframeSrc) throw new Error("the demo admin page has no app frame");
  // A browser's user agent: Shopify's library answers 410 to what looks like a bot.
  const first = await fetch(new URL(iframeSrc, proxy.url), {
    headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) PatronDemo" },
    signal: AbortSignal.timeout(60_000),
  });
  if (!first.ok) throw new Error(`the app answered ${first.status} to its first embedded load`);

  const scalar = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0]?.n ?? 0);
  // Bounded twice: no change in what the sync shows for STALL_MS, or longer than SYNC_MS in all.
  const STALL_MS = 5 * 60_000;
  const SYNC_MS = 30 * 60_000;
  let lastLine = "";
  let lastChange = Date.now();
  const seen = async () =>
    `${lastLine || "no sync run yet"}; queues ${await queueCounts(redis.url, env.QUEUE_PREFIX!).catch((e: Error) => `unreadable (${e.message})`)}; worker ${children.length > 1 ? "running" : "not running"}`;
  await waitFor(
    "backfill and scoring",
    async () => {
      if (stopping) throw new Error("the demo is stopping");
      const runs = (await db.query(
        `SELECT r.kind, r.status, r."rootsDone"::int AS done, r."rootObjectCount"::int AS total FROM "SyncRun" r JOIN "Shop" s ON s.id = r."shopId" WHERE s.domain = $1 ORDER BY r.id DESC LIMIT 2`,
        [shop],
      )).rows as { kind: string; status: string; done: number; total: number }[];
      const scored = await scalar(`SELECT count(*) AS n FROM "CustomerScore" c JOIN "Shop" s ON s.id = c."shopId" WHERE s.domain = $1`, [shop]);
      const line = runs.map((r) => `${r.kind.toLowerCase()} ${r.status.toLowerCase()} ${r.done}/${r.total || "?"}`).join(", ") + `; scored ${scored}`;
      if (line !== lastLine) {
        progress(`sync: ${line}`);
        lastChange = Date.now();
      }
      lastLine = line;
      if (Date.now() - lastChange > STALL_MS) throw new Error(`no progress for ${STALL_MS / 60_000} minutes`);
      return runs.length === 2 && runs.every((r) => r.status === "COMPLETED") && scored > 0;
    },
    SYNC_MS,
    seen,
    { failFast: (error) => stopping || error.message.startsWith("no progress") },
  );
  const customers = await scalar(`SELECT count(*) AS n FROM "Customer" c JOIN "Shop" s ON s.id = c."shopId" WHERE s.domain = $1`, [shop]);
  const orders = await scalar(`SELECT count(*) AS n FROM "Order" o JOIN "Shop" s ON s.id = o."shopId" WHERE s.domain = $1`, [shop]);
  await db.end();
  monitor = undefined;

  const store = fake.control.shop(shop).data;
  const variants = store.products.flatMap((p) => p.variants.map((v) => v.id));
  let n = 0;
  orderTimer = setInterval(() => {
    const customer = store.customers[(n * 7919) % store.customers.length];
    const variant = variants[(n * 104729) % variants.length];
    n++;
    try {
      fake!.control.placeOrder(shop, { customerId: customer.id, lineItems: [{ variantId: variant, quantity: 1 + (n % 3) }] });
    } catch (error) {
      progress(`could not place an order: ${(error as Error).message}`);
    }
  }, Number(args["order-every"]) * 1000);
  orderTimer.unref?.();

  const ready = { ready: true, appUrl, adminUrl: `${proxy.url}/admin`, shopifyUrl: fake.url, shop, customers, orders, seconds: Math.round((Date.now() - started) / 1000) };
  if (args.headless) {
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  } else {
    progress(`ready in ${ready.seconds} s: ${customers} customers and ${orders} orders synced`);
    progress(`open ${ready.adminUrl} (Shopify admin stand-in with Patron embedded); Ctrl-C stops`);
  }
}

main().catch((error: Error) => {
  // A stop asked for while starting up ends what main() waits on; that is no failure.
  if (stopping) return;
  progress(`failed: ${error.message}`);
  void shutdown(1);
});
