import { spawn } from "node:child_process";
import { get } from "node:http";
import { describe, expect, it } from "vitest";
import { freePort } from "../../test/support/redis-server";
import { waitUntil } from "../../test/support/app-harness";
import { webProcessCount } from "./cluster.server";

describe("how many web processes", () => {
  it("takes WEB_CONCURRENCY when set, else one per core in production and one elsewhere", () => {
    expect(webProcessCount({ configured: 3, nodeEnv: "production", cores: 8 })).toBe(3);
    expect(webProcessCount({ configured: 2, nodeEnv: "test", cores: 8 })).toBe(2);
    expect(webProcessCount({ nodeEnv: "production", cores: 8 })).toBe(8);
    expect(webProcessCount({ nodeEnv: "production", cores: 0 })).toBe(1);
    expect(webProcessCount({ nodeEnv: "development", cores: 8 })).toBe(1);
  });
});

describe("the web cluster", () => {
  it("answers on one port from two processes, replaces one that dies, and stops them all on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/web-cluster-fixture.ts"], {
      env: { ...process.env, PORT: String(port), LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const pids = async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 20; i++) seen.add(await answeredBy(port));
        seen.delete("down");
        return seen;
      };
      const first = await waitUntil(async () => ((await pids()).size === 2 ? await pids() : null), "two web processes answering", 20_000, 200);
      // When one of them dies
      const [victim] = first;
      process.kill(Number(victim), "SIGKILL");
      // then another takes its place on the same port
      await waitUntil(async () => {
        const now = await pids();
        return now.size === 2 && !now.has(victim);
      }, "a replacement web process", 20_000, 200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);
});

/** The pid that answers a fresh connection (no keep-alive: the cluster spreads connections, not requests), or "down". */
function answeredBy(port: number): Promise<string> {
  return new Promise((resolve) => {
    get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 2000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    })
      .on("timeout", function (this: { destroy: () => void }) {
        this.destroy();
      })
      .on("error", () => resolve("down"));
  });
}
