import { HttpResponseError, type Session } from "@shopify/shopify-api";
import type { GraphqlFn } from "./admin-graphql.server";
import { type OfflineTokens, RENEW_AHEAD_MS } from "./offline-tokens.server";

export interface OfflineGraphqlDeps {
  tokens: OfflineTokens;
  /** A GraphQL function over one session's access token. */
  clientFor: (session: Session) => GraphqlFn;
  aheadMs?: number;
  now?: () => number;
}

export interface OfflineGraphql {
  graphql: GraphqlFn;
  /** The scopes of the session the access was opened with. */
  scopes: string | null;
}

/**
 * The Admin GraphQL function every background job uses for `shop`: before each call
 * the access token is checked and, when it has less than `aheadMs` left, renewed
 * through OfflineTokens; a 401 renews it once more (unless another process already
 * did) and the call is retried once. Null when the shop has no offline session.
 * @throws ShopNeedsReauthError (a ShopifyPermanentError) when Shopify refuses the refresh token
 * @throws TokenRenewalBusyError when another process's renewal outlasts the bounded wait
 */
export async function offlineGraphql(shop: string, deps: OfflineGraphqlDeps): Promise<OfflineGraphql | null> {
  const now = deps.now ?? Date.now;
  const aheadMs = deps.aheadMs ?? RENEW_AHEAD_MS;
  const first = await deps.tokens.session(shop);
  if (!first) return null;
  let session: Session = first;
  let client = deps.clientFor(session);

  const switchTo = (next: Session | null) => {
    if (!next) throw new HttpResponseError({ message: `the offline session of ${shop} is gone`, code: 401, statusText: "Unauthorized" });
    session = next;
    client = deps.clientFor(next);
  };

  const graphql: GraphqlFn = async (query, options) => {
    if (!session.expires || session.expires.getTime() - aheadMs <= now()) switchTo(await deps.tokens.session(shop));
    try {
      return await client(query, options);
    } catch (error) {
      if (!(error instanceof HttpResponseError) || error.response.code !== 401) throw error;
      switchTo(await deps.tokens.afterUnauthorized(shop, session.accessToken ?? ""));
      return client(query, options);
    }
  };
  return { graphql, scopes: first.scope ?? null };
}
