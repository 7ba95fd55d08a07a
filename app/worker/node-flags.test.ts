import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WORKER_NODE_FLAGS } from "./node-flags";

describe("WORKER_NODE_FLAGS", () => {
  it("are the flags of package.json's worker script, so production runs what the bench measures", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    const words = scripts.worker.split(/\s+/);
    expect(words[0]).toBe("node");
    expect(words.filter((w) => w.startsWith("--max-"))).toEqual([...WORKER_NODE_FLAGS]);
  });
});
