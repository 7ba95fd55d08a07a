import { afterAll, describe, expect, it } from "vitest";
import { closeQueues, getQueue, QUEUES } from "../queue/queues.server";
import { requestRescore } from "./jobs.server";

describe("debounced rescoring", () => {
  afterAll(async () => {
    await getQueue(QUEUES.scoring).obliterate({ force: true });
    await closeQueues();
  });

  it("coalesces a burst of requests into one delayed job per shop and window", async () => {
    const t0 = 1_800_000_000_000;
    await requestRescore(1, "orders-changed", t0 + 1_000, 30_000);
    await requestRescore(1, "orders-changed", t0 + 9_000, 30_000);
    await requestRescore(2, "orders-changed", t0 + 9_000, 30_000);
    const delayed = await getQueue(QUEUES.scoring).getDelayed();
    expect(delayed.map((j) => j.data.shopId).sort()).toEqual([1, 2]);
    const shop1 = delayed.find((j) => j.data.shopId === 1)!;
    // It fires at the end of the window, whichever request created it.
    expect(shop1.opts.delay).toBe(29_000);
  });

  it("gives a request in the next window its own job, so no change waits behind a running rescore", async () => {
    const t0 = 1_800_000_000_000;
    await requestRescore(1, "orders-changed", t0 + 31_000, 30_000);
    const jobs = (await getQueue(QUEUES.scoring).getDelayed()).filter((j) => j.data.shopId === 1);
    expect(jobs).toHaveLength(2);
  });
});
