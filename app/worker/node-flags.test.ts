import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WORKER_NODE_FLAGS } from "./node-flags";

describe("WORKER_NODE_FLAGS", () => {
  it("are the flags of package.json's worker script, so production runs what the bench measures", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    const words = scripts.worker.split(/\s+/);
    // Node's own flags sit between `node` and the first --import; after the script they would be its arguments.
    expect(words.slice(0, words.indexOf("--import"))).toEqual(["node", ...WORKER_NODE_FLAGS]);
    expect(words.at(-1)).toBe("app/worker/main.server.ts");
  });
});
