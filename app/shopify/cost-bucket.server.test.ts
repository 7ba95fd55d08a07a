import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { localCostBucket, redisCostBucket } from "./cost-bucket.server";

const redis = new Redis(process.env.REDIS_URL!);
const prefix = process.env.QUEUE_PREFIX!;

describe("the shared cost bucket", () => {
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:cost-bucket:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("lets reservations through until the bucket is empty, then queues them by restore time", async () => {
    let now = 1_000_000;
    const bucket = redisCostBucket(redis, "queue.myshopify.com", prefix, () => now);
    expect(await bucket.reserve(1500)).toBe(0);
    expect(await bucket.reserve(400)).toBe(0);
    // 100 points left is the 1 s safety margin: from here on, callers wait.
    expect(await bucket.reserve(10)).toBe(100);
    // 100 points need 1 s at 100/s; the next caller queues behind it.
    expect(await bucket.reserve(90)).toBe(1000);
    expect(await bucket.reserve(100)).toBe(2000);
    now += 2000;
    expect(await bucket.reserve(10)).toBe(100);
  });

  it("is one bucket for every process: two clients on the same shop share it", async () => {
    const other = new Redis(process.env.REDIS_URL!);
    const a = redisCostBucket(redis, "shared.myshopify.com", prefix, () => 5_000_000);
    const b = redisCostBucket(other, "shared.myshopify.com", prefix, () => 5_000_000);
    expect(await a.reserve(1900)).toBe(0);
    expect(await b.reserve(100)).toBe(1000);
    other.disconnect();
  });

  it("adopts Shopify's figures: a lower level reported by Shopify, and a Plus plan's size and rate", async () => {
    let now = 9_000_000;
    const bucket = redisCostBucket(redis, "plus.myshopify.com", prefix, () => now);
    await bucket.reserve(10);
    await bucket.settle(10, 10, { maximumAvailable: 20_000, currentlyAvailable: 300, restoreRate: 1000 });
    expect(await bucket.reserve(800)).toBe(1500);
    // 12 s at 1,000/s refills the -500 it owes, 10,000 and the 1,000-point margin: a Plus-sized bucket.
    now += 12_000;
    expect(await bucket.reserve(10_000)).toBe(0);
  });

  it("credits back what a query reserved but did not spend", async () => {
    const bucket = localCostBucket(() => 0);
    await bucket.reserve(2000);
    await bucket.settle(2000, 400, null);
    expect(await bucket.reserve(1500)).toBe(0);
    // 100 left; 100 more leaves 0, and the 100-point margin takes 1 s to restore.
    expect(await bucket.reserve(100)).toBe(1000);
  });
});
