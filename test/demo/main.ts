// `npm run demo`: Patron end to end on this machine, no Shopify account or network.
// PostgreSQL (DATABASE_URL or embedded PGlite), Redis (REDIS_URL, a local one, or
// one started here), the fake Shopify with a seeded store, the app and the worker;
// the app is installed into the fake store, history is backfilled, customers are
// scored and tagged, and new orders keep arriving. `--headless` prints one JSON line
// when ready. Ctrl-C stops everything; a second run reuses data/.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { type Dirent, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createFakeShopify, type FakeShopify } from "../fake-shopify/server";
import { mintSessionToken } from "../fake-shopify/session-token";
import { startAdminProxy } from "./admin-proxy";
import { freePort, type Service, startDatabase, startRedis, stopChild, waitFor } from "./services";

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
  },
});

const root = path.resolve(import.meta.dirname, "../..");
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
let fake: FakeShopify | undefined;
let proxy: { url: string; close(): Promise<void> } | undefined;
let orderTimer: NodeJS.Timeout | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  progress("stopping");
  clearInterval(orderTimer);
  await Promise.all(children.map((c) => stopChild(c)));
  await proxy?.close();
  await fake?.close();
  for (const service of services.reverse()) await service.stop();
  process.exit(code);
}
// `on`, not `once`: a second Ctrl-C must not kill this process before its children
// are stopped (npm runs it under Node directly, so no wrapper relays signals twice).
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

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
  return newest(path.join(root, "app")) > builtAt;
}

function run(label: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, commandArgs, { cwd: root, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${label} failed:\n${result.stdout}\n${result.stderr}`);
}

function startChild(label: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, commandArgs, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
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
    if (!stopping) {
      progress(`${label} exited (${code ?? signal}); last output:\n${errors}`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function main() {
  const database = await startDatabase(root, progress);
  services.push(database);
  progress(`database: ${database.note}`);
  const redis = await startRedis(root, progress);
  services.push(redis);
  progress(`redis: ${redis.note}`);

  const appPort = await freePort();
  const proxyPort = Number(args.port);
  const appUrl = `http://localhost:${proxyPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: process.env.QUEUE_PREFIX || "patron-demo",
    DATABASE_POOL_MAX: database.note.startsWith("PGlite") ? "4" : process.env.DATABASE_POOL_MAX || "10",
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  };

  progress("applying migrations");
  run("prisma migrate deploy", path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], env);

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
    run("npm run build", "npm", ["run", "build"], { ...env, NODE_ENV: "production" });
  }
  const childEnv = {
    ...env,
    FAKE_SHOPIFY_URL: fake.url,
    NODE_OPTIONS: `--import tsx --import ${path.join(root, "test/support/route-to-fake.ts")}`,
  };
  startChild("app", process.execPath, [path.join(root, "node_modules/.bin/remix-serve"), "build/server/index.js"], {
    ...childEnv,
    PORT: String(appPort),
    HOST: "127.0.0.1",
  });
  // Node itself, not the tsx wrapper, so SIGTERM reaches the worker and it shuts down gracefully.
  startChild("worker", process.execPath, ["--import", "tsx", "--import", "./test/support/route-to-fake.ts", "app/worker/main.server.ts"], {
    ...env,
    FAKE_SHOPIFY_URL: fake.url,
  });
  proxy = await startAdminProxy({
    port: proxyPort,
    appOrigin: `http://127.0.0.1:${appPort}`,
    shop,
    apiKey,
    mintSessionToken: (s) => mintSessionToken({ shop: s, apiKey, apiSecret }),
  });
  await waitFor("the app", async () => (await fetch(`http://127.0.0.1:${appPort}/`)).ok, 60_000);
  progress(`app on ${appUrl}, worker started`);

  // The fake store is generated afresh on every run, so access tokens kept from a
  // previous run are unknown to it: forget them and install again by token exchange.
  const sessions = new pg.Client({ connectionString: database.url });
  await sessions.connect();
  await sessions.query(`DELETE FROM "Session" WHERE shop = $1`, [shop]);
  await sessions.end();
  progress("installing the app into the fake store (token exchange)");
  const install = await fetch(`${proxy.url}/admin`).then((r) => r.text());
  const iframeSrc = /src="([^"]+)"/.exec(install)?.[1]?.replaceAll("&amp;", "&");
  if (!iframeSrc) throw new Error("the demo admin page has no app frame");
  // A browser's user agent: Shopify's library answers 410 to what looks like a bot.
  const first = await fetch(new URL(iframeSrc, proxy.url), { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) PatronDemo" } });
  if (!first.ok) throw new Error(`the app answered ${first.status} to its first embedded load`);

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const scalar = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0]?.n ?? 0);
  let lastLine = "";
  await waitFor(
    "backfill and scoring",
    async () => {
      const runs = (await db.query(
        `SELECT r.kind, r.status, r."rootsDone"::int AS done, r."rootObjectCount"::int AS total FROM "SyncRun" r JOIN "Shop" s ON s.id = r."shopId" WHERE s.domain = $1 ORDER BY r.id DESC LIMIT 2`,
        [shop],
      )).rows as { kind: string; status: string; done: number; total: number }[];
      const scored = await scalar(`SELECT count(*) AS n FROM "CustomerScore" c JOIN "Shop" s ON s.id = c."shopId" WHERE s.domain = $1`, [shop]);
      const line = runs.map((r) => `${r.kind.toLowerCase()} ${r.status.toLowerCase()} ${r.done}/${r.total || "?"}`).join(", ") + `; scored ${scored}`;
      if (line !== lastLine) progress(`sync: ${line}`);
      lastLine = line;
      return runs.length === 2 && runs.every((r) => r.status === "COMPLETED") && scored > 0;
    },
    30 * 60_000,
  );
  const customers = await scalar(`SELECT count(*) AS n FROM "Customer" c JOIN "Shop" s ON s.id = c."shopId" WHERE s.domain = $1`, [shop]);
  const orders = await scalar(`SELECT count(*) AS n FROM "Order" o JOIN "Shop" s ON s.id = o."shopId" WHERE s.domain = $1`, [shop]);
  await db.end();

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
  progress(`failed: ${error.message}`);
  void shutdown(1);
});
