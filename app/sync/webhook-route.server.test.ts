import { describe, expect, it } from "vitest";
import { batchedEnqueue } from "./webhook-route.server";

describe("batched enqueue", () => {
  it("sends at once, then everything recorded during a round trip in the next one", async () => {
    const sent: bigint[][] = [];
    let finish: () => void = () => undefined;
    const enqueue = batchedEnqueue((ids) => {
      sent.push(ids);
      return new Promise<void>((resolve) => (finish = resolve));
    });
    await enqueue([1n]);
    await enqueue([2n]);
    await enqueue([3n, 4n]);
    expect(sent).toEqual([[1n]]);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([[1n], [2n, 3n, 4n]]);
  });

  it("goes on after a failed round trip, leaving its ids to the sweeper", async () => {
    const sent: bigint[][] = [];
    let fail = true;
    const enqueue = batchedEnqueue(async (ids) => {
      sent.push(ids);
      if (fail) throw new Error("Redis did not accept");
    });
    await enqueue([1n]);
    await new Promise((resolve) => setImmediate(resolve));
    fail = false;
    await enqueue([2n]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([[1n], [2n]]);
  });
});
