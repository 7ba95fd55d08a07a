import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import type { Redis } from "ioredis";
import { env } from "../env.server";
import { createRedis } from "../queue/connection.server";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { redisCostBucket } from "../shopify/cost-bucket.server";
import { unauthenticated } from "../shopify.server";

let bucketRedis: Redis | undefined;

/**
 * The worker's Admin API for a shop: its offline session, paced by the shop's cost
 * bucket shared in Redis by every worker process. Null when the shop has no session.
 */
export async function adminFor(shop: string) {
  try {
    const { admin, session } = await unauthenticated.admin(shop);
    // Errors surface on the bucket's commands; an unhandled 'error' event would only print.
    bucketRedis ??= createRedis(env().REDIS_URL, "worker").on("error", () => {});
    const bucket = redisCostBucket(bucketRedis, shop, env().QUEUE_PREFIX);
    return { admin: throttledAdmin(admin.graphql, { shop, bucket }), scopes: session.scope ?? null };
  } catch (error) {
    if (error instanceof SessionNotFoundError) return null;
    throw error;
  }
}

export function closeAdminAccess() {
  bucketRedis?.disconnect();
  bucketRedis = undefined;
}
