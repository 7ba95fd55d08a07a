import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { freePort } from "../../demo/services";

export interface DemoReady {
  ready: true;
  appUrl: string;
  adminUrl: string;
  shopifyUrl: string;
  shop: string;
  customers: number;
  orders: number;
  seconds: number;
}

export interface RunningDemo {
  ready: DemoReady;
  startedInMs: number;
  /** `signal` to npm's PID alone (not its group); resolves with how npm exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** npm's PID. */
  pid: number;
  log(): string;
}

const root = path.resolve(import.meta.dirname, "../../..");

/**
 * `npm run demo -- --headless` with no DATABASE_URL (the embedded PostgreSQL server), in
 * data/ of this checkout (its own queues: their prefix is named after data/), waiting for
 * its ready line. The background order stream is slowed to one a minute: the tests place
 * their own orders.
 */
export async function startDemo(options: { customers?: number; timeoutMs?: number } = {}): Promise<RunningDemo> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.QUEUE_PREFIX;
  const started = Date.now();
  const child: ChildProcess = spawn(
    "npm",
    ["run", "demo", "--", "--headless", "--port", String(port), "--customers", String(options.customers ?? 2000), "--order-every", "60"],
    { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stderr!.on("data", (chunk) => (log = (log + chunk).slice(-20_000)));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<DemoReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo not ready after ${options.timeoutMs ?? 900_000} ms\n${log}`)), options.timeoutMs ?? 900_000);
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as DemoReady);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code} before it was ready\n${log}`));
    });
  });
  return {
    ready,
    startedInMs: Date.now() - started,
    pid: child.pid!,
    log: () => log,
    stop: (signal: NodeJS.Signals = "SIGINT") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
        child.once("exit", (code, exitSignal) => resolve({ code, signal: exitSignal }));
        process.kill(child.pid!, signal);
      }),
  };
}

/** Every process under `pid` (children, grandchildren…), whatever their process group, as PIDs. */
export function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
