import type { Redis } from "ioredis";
import type { ThrottleStatus } from "./admin-graphql.server";

// Shopify's cost limit is a leaky bucket per app and shop. Every worker process
// calling one shop shares this estimate of it, so together they stay inside it.
// A caller reserves its request's cost before sending: the level may go negative,
// which queues later callers behind earlier ones by the time the bucket needs to
// refill. After each answer the estimate is corrected from Shopify's own
// throttleStatus (another app on the same shop draws from the same bucket).

export interface CostBucket {
  /** Reserves `cost` points; resolves to how long to wait before sending (ms). */
  reserve(cost: number): Promise<number>;
  /** Corrects the estimate from an answer: credits what was reserved but not spent. */
  settle(reserved: number, actual: number | null, status: ThrottleStatus | null): Promise<void>;
}

// A request is sent only once the estimate holds its cost plus this much restore
// time: requests race in flight, and Shopify checks the full requested cost.
const MARGIN_SECONDS = 1;

/** Standard plan until Shopify says otherwise: the safe assumption. */
export const DEFAULT_LIMITS = { maximumAvailable: 2000, restoreRate: 100 };

const RESERVE = `
local key = KEYS[1]
local now, cost, defMax, defRate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local b = redis.call('HMGET', key, 'level', 'at', 'max', 'rate')
local max = tonumber(b[3]) or defMax
local rate = tonumber(b[4]) or defRate
local level = tonumber(b[1]) or max
local at = tonumber(b[2]) or now
level = math.min(max, level + (now - at) / 1000 * rate)
level = level - cost
redis.call('HSET', key, 'level', level, 'at', now, 'max', max, 'rate', rate)
redis.call('PEXPIRE', key, 3600000)
local margin = rate * tonumber(ARGV[5])
if level >= margin then return 0 end
return math.ceil((margin - level) / rate * 1000)
`;

const SETTLE = `
local key = KEYS[1]
local now, refund = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', key, 'level', 'at', 'max', 'rate')
local max = tonumber(ARGV[4]) or tonumber(b[3]) or 2000
local rate = tonumber(ARGV[5]) or tonumber(b[4]) or 100
local level = tonumber(b[1]) or max
local at = tonumber(b[2]) or now
level = math.min(max, level + (now - at) / 1000 * rate + refund)
local server = tonumber(ARGV[3])
if server and tonumber(b[3]) ~= max then
  -- First word of this shop's real plan: take Shopify's level, not the default guess.
  level = server
elseif server and server < level then
  level = server
end
redis.call('HSET', key, 'level', level, 'at', now, 'max', max, 'rate', rate)
redis.call('PEXPIRE', key, 3600000)
return 1
`;

export function redisCostBucket(redis: Redis, shop: string, prefix: string, now: () => number = Date.now): CostBucket {
  const key = `${prefix}:cost-bucket:${shop}`;
  return {
    async reserve(cost) {
      const wait = await redis.eval(RESERVE, 1, key, now(), cost, DEFAULT_LIMITS.maximumAvailable, DEFAULT_LIMITS.restoreRate, MARGIN_SECONDS);
      return Number(wait);
    },
    async settle(reserved, actual, status) {
      const refund = actual === null ? 0 : Math.max(0, reserved - actual);
      await redis.eval(
        SETTLE,
        1,
        key,
        now(),
        refund,
        status ? status.currentlyAvailable : "",
        status ? status.maximumAvailable : "",
        status ? status.restoreRate : "",
      );
    },
  };
}

/** The same bucket for one process, without Redis. */
export function localCostBucket(now: () => number = Date.now): CostBucket {
  let max = DEFAULT_LIMITS.maximumAvailable;
  let rate = DEFAULT_LIMITS.restoreRate;
  let level = max;
  let at = now();
  const refill = () => {
    const t = now();
    level = Math.min(max, level + ((t - at) / 1000) * rate);
    at = t;
  };
  return {
    async reserve(cost) {
      refill();
      level -= cost;
      const margin = rate * MARGIN_SECONDS;
      return level >= margin ? 0 : Math.ceil(((margin - level) / rate) * 1000);
    },
    async settle(reserved, actual, status) {
      refill();
      if (actual !== null) level = Math.min(max, level + Math.max(0, reserved - actual));
      if (status) {
        const learned = status.maximumAvailable !== max;
        max = status.maximumAvailable;
        rate = status.restoreRate;
        level = learned ? status.currentlyAvailable : Math.min(level, status.currentlyAvailable);
      }
    },
  };
}
