import cluster, { type Worker } from "node:cluster";
import { logger } from "../logger.server";

/**
 * How many web processes to run: WEB_CONCURRENCY when set, else one per core in
 * production and one elsewhere (development, tests, the demo), so a laptop run stays
 * one process unless asked.
 */
export function webProcessCount(input: { configured?: number; nodeEnv: string; cores: number }): number {
  return input.configured ?? (input.nodeEnv === "production" ? Math.max(1, input.cores) : 1);
}

export interface ClusterOptions {
  /** Web processes to keep running. */
  count: number;
  /** Runs in each web process: starts its server on the shared port. */
  serve: () => Promise<void> | void;
  /** A web process that exits this many times within a minute stops the whole server (a crash loop). */
  maxRestartsPerMinute?: number;
  /** How long a web process may take to finish its requests after SIGTERM. */
  stopGraceMs?: number;
}

/**
 * Runs `serve` in `count` processes behind one port (node:cluster: the primary accepts
 * connections and hands them round-robin to the web processes, each with its own
 * pools and caches). With a count of 1 it serves in this process, no primary. A web
 * process that dies is replaced; SIGTERM or SIGINT stops them all, each given
 * `stopGraceMs` to finish what it is answering, then the primary exits.
 */
export async function runWebCluster(options: ClusterOptions): Promise<void> {
  const grace = options.stopGraceMs ?? 10_000;
  if (options.count <= 1 || cluster.isWorker) {
    // A stopping server must not be held open by its database and Redis pools for ever.
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => setTimeout(() => process.exit(0), grace).unref());
    await options.serve();
    return;
  }
  const maxRestarts = options.maxRestartsPerMinute ?? 10;
  const exits: number[] = [];
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    exits.push(now);
    while (exits[0] < now - 60_000) exits.shift();
    if (exits.length > maxRestarts) {
      logger.fatal({ exits: exits.length }, "web processes keep exiting; stopping the server");
      process.exit(1);
    }
    logger.warn({ pid: worker.process.pid, code, signal }, "web process exited; starting another");
    fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stopping = true;
      logger.info({ signal }, "web server stopping");
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
      setTimeout(() => process.exit(0), grace + 1000).unref();
    });
  }
  for (let i = 0; i < options.count; i++) fork();
}
