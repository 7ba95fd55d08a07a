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
  /** Ctrl-C, as a terminal sends it: SIGINT to the demo's whole process group. Resolves with how npm exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  processGroup: number;
  log(): string;
}

const root = path.resolve(import.meta.dirname, "../../..");

/**
 * `npm run demo -- --headless` with no DATABASE_URL (embedded PGlite), waiting for its
 * ready line. The background order stream is slowed to one a minute: the tests place
 * their own orders, and PGlite's socket server occasionally fails a query that races
 * another connection's (see README, "Try it").
 */
export async function startDemo(options: { customers?: number; timeoutMs?: number } = {}): Promise<RunningDemo> {
  const port = await freePort();
  // Its own queue prefix, so a demo a developer left running on the same Redis cannot take its jobs.
  const env: NodeJS.ProcessEnv = { ...process.env, QUEUE_PREFIX: `patron-e2e-${process.pid}` };
  delete env.DATABASE_URL;
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
    processGroup: child.pid!,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
        child.once("exit", (code, signal) => resolve({ code, signal }));
        process.kill(-child.pid!, "SIGINT");
      }),
  };
}

/** Processes still alive in a process group (empty once everything stopped). */
export function processesInGroup(group: number): string[] {
  const out = execFileSync("ps", ["-eo", "pgid=,pid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.split(/\s+/)[0] === String(group));
}
