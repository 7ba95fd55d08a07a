import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";

// The demo's backing services: whatever the environment names, else embedded or
// local defaults. Each start function returns the URL and a stop function.

export interface Service {
  url: string;
  stop(): Promise<void>;
  note: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(label: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${label} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** DATABASE_URL when set; otherwise PGlite, kept under data/pg, served over the Postgres protocol. */
export async function startDatabase(root: string, log: (line: string) => void): Promise<Service> {
  if (process.env.DATABASE_URL) {
    await waitFor("PostgreSQL at DATABASE_URL", () => postgresAnswers(process.env.DATABASE_URL!), 15_000);
    return { url: process.env.DATABASE_URL, stop: async () => {}, note: "DATABASE_URL" };
  }
  const dir = path.join(root, "data/pg");
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  log(`starting embedded PostgreSQL (PGlite) in ${path.relative(root, dir)} on port ${port}`);
  const child = spawn(process.execPath, [path.join(root, "node_modules/.bin/pglite-server"), "-d", dir, "-p", String(port), "-m", "12"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitFor("PGlite", async () => child.exitCode === null && (await postgresAnswers(url)), 120_000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, stop: () => stopChild(child), note: `PGlite (${path.relative(root, dir)})` };
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } finally {
    redis.disconnect();
  }
}

async function whichRedisServer(): Promise<string | null> {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"])) {
    const candidate = path.join(dir, "redis-server");
    try {
      await import("node:fs/promises").then((fs) => fs.access(candidate, 1));
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** REDIS_URL when set; else a Redis on 127.0.0.1:6379; else one it starts itself. */
export async function startRedis(root: string, log: (line: string) => void): Promise<Service> {
  if (process.env.REDIS_URL) {
    await waitFor("Redis at REDIS_URL", () => redisAnswers(process.env.REDIS_URL!), 15_000);
    return { url: process.env.REDIS_URL, stop: async () => {}, note: "REDIS_URL" };
  }
  const local = "redis://127.0.0.1:6379";
  if (await redisAnswers(local).catch(() => false)) return { url: local, stop: async () => {}, note: "local Redis on 6379" };
  const binary = await whichRedisServer();
  if (!binary) {
    throw new Error(
      "No Redis: set REDIS_URL, start one on 127.0.0.1:6379, or install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).",
    );
  }
  const port = await freePort();
  const dir = path.join(root, "data/redis");
  mkdirSync(dir, { recursive: true });
  log(`starting redis-server on port ${port}`);
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--maxmemory-policy", "noeviction"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitFor("redis-server", () => redisAnswers(url), 15_000);
  return { url, stop: () => stopChild(child), note: `redis-server on ${port}` };
}
