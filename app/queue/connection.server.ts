import { Redis, type RedisOptions } from "ioredis";

export type ConnectionRole = "producer" | "worker";

// Workers block on Redis and must retry forever (BullMQ requires
// maxRetriesPerRequest: null); producers run inside web requests and must fail fast
// so a Redis outage never holds a webhook past Shopify's 5 s deadline.
export function redisOptions(role: ConnectionRole): RedisOptions {
  return role === "worker"
    ? { maxRetriesPerRequest: null, enableReadyCheck: false }
    : { maxRetriesPerRequest: 1, connectTimeout: 1000, retryStrategy: (attempt) => Math.min(attempt * 200, 2000) };
}

export function createRedis(url: string, role: ConnectionRole): Redis {
  return new Redis(url, redisOptions(role));
}
