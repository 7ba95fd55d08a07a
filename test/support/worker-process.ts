import { type ChildProcess, spawn } from "node:child_process";
import { WORKER_NODE_FLAGS } from "../../app/worker/node-flags";

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no cleanup, locks left to lapse. */
  kill(): Promise<void>;
  /** SIGTERM: worker.close(), then exit. */
  stop(): Promise<void>;
}

/** `npm run worker` as a child process, on this test file's database, Redis and queue prefix, talking to the fake. */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  // Node itself with tsx as a loader, not the tsx CLI: the CLI runs the worker in a
  // grandchild process, so a SIGKILL to it would leave the real worker running.
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, "--import", "tsx", "--import", "./test/support/route-to-fake.ts", "app/worker/main.server.ts"], {
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const signal = (sig: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(sig);
    });
  return { child, output: () => output, kill: () => signal("SIGKILL"), stop: () => signal("SIGTERM") };
}
