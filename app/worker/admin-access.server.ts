import type { Redis } from "ioredis";
import { env } from "../env.server";
import { createRedis } from "../queue/connection.server";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { redisCostBucket } from "../shopify/cost-bucket.server";
import { offlineGraphql } from "../shopify/offline-admin.server";
import { graphqlFor, offlineTokens } from "../shopify.server";

let bucketRedis: Redis | undefined;

/**
 * The Admin API for background work on a shop (worker jobs, and web code acting
 * outside a merchant's request): its offline session, renewed before expiry and once
 * after a 401 (offlineGraphql), paced by the shop's cost bucket shared in Redis by
 * every process. Null when the shop has no session.
 * @throws ShopNeedsReauthError when Shopify refused the shop's refresh token
 */
export async function adminFor(shop: string) {
  const access = await offlineGraphql(shop, { tokens: offlineTokens, clientFor: graphqlFor });
  if (!access) return null;
  // Errors surface on the bucket's commands; an unhandled 'error' event would only print.
  bucketRedis ??= createRedis(env().REDIS_URL, "worker").on("error", () => {});
  const bucket = redisCostBucket(bucketRedis, shop, env().QUEUE_PREFIX);
  return { admin: throttledAdmin(access.graphql, { shop, bucket }), scopes: access.scopes };
}

export function closeAdminAccess() {
  bucketRedis?.disconnect();
  bucketRedis = undefined;
}
