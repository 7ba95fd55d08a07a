import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";
import { type CostBucket, localCostBucket } from "./cost-bucket.server";

// The Admin API client the domain modules are given. It keeps each request inside
// the shop's cost bucket (read from extensions.cost on every answer), waits out a
// THROTTLED answer and retries it, and turns permanent failures into
// ShopifyPermanentError so jobs stop retrying them.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminGraphql {
  shop: string;
  request<T>(query: string, variables?: Record<string, unknown>, options?: { expectedCost?: number }): Promise<T>;
  /** Last throttle status seen, for callers that pace themselves. */
  lastThrottle(): ThrottleStatus | null;
}

export type GraphqlFn = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export class ShopifyPermanentError extends Error {
  override name = "ShopifyPermanentError";
  /** Shopify's HTTP status when it refused the request (401: the shop's token is refused). */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class ShopifyUserError extends Error {
  override name = "ShopifyUserError";
  constructor(
    message: string,
    readonly userErrors: { field?: string[] | null; message: string }[],
  ) {
    super(message);
  }
}

export interface ThrottleOptions {
  shop: string;
  /** Shared across processes in production (redisCostBucket); per process by default. */
  bucket?: CostBucket;
  sleep?: (ms: number) => Promise<void>;
  maxThrottleRetries?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface ErrorBody {
  errors?: { graphQLErrors?: { extensions?: { code?: string } }[] };
  extensions?: { cost?: QueryCost };
}

export function throttledAdmin(graphql: GraphqlFn, options: ThrottleOptions): AdminGraphql & { stats: AdminStats } {
  const sleep = options.sleep ?? defaultSleep;
  const bucket = options.bucket ?? localCostBucket();
  const maxRetries = options.maxThrottleRetries ?? 20;
  const stats: AdminStats = { requests: 0, throttled: 0, waitedMs: 0, actualCost: 0 };
  let status: ThrottleStatus | null = null;
  // What Shopify said each query requested last time: the next call reserves that.
  const requested = new Map<string, number>();

  return {
    shop: options.shop,
    stats,
    lastThrottle: () => status,
    async request<T>(query: string, variables?: Record<string, unknown>, opts: { expectedCost?: number } = {}) {
      let reserve = Math.max(opts.expectedCost ?? 10, requested.get(query) ?? 0);
      for (let attempt = 0; ; attempt++) {
        const wait = await bucket.reserve(reserve);
        if (wait > 0) {
          stats.waitedMs += wait;
          await sleep(wait);
        }
        stats.requests++;
        try {
          const response = await graphql(query, { variables });
          const body = (await response.json()) as { data: T; extensions?: { cost?: QueryCost } };
          const cost = body.extensions?.cost;
          status = cost?.throttleStatus ?? status;
          if (cost) requested.set(query, cost.requestedQueryCost);
          stats.actualCost += cost?.actualQueryCost ?? 0;
          await bucket.settle(reserve, cost?.actualQueryCost ?? null, cost?.throttleStatus ?? null);
          return body.data;
        } catch (error) {
          if (error instanceof GraphqlQueryError) {
            const body = error.body as ErrorBody | undefined;
            const cost = body?.extensions?.cost;
            status = cost?.throttleStatus ?? status;
            const throttled = body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED") ?? false;
            await bucket.settle(reserve, throttled ? 0 : (cost?.actualQueryCost ?? null), cost?.throttleStatus ?? null);
            if (throttled && attempt < maxRetries) {
              // Another client drew from the bucket: wait for the restore, reserving what Shopify asked for.
              stats.throttled++;
              reserve = cost?.requestedQueryCost ?? reserve;
              continue;
            }
            throw new ShopifyPermanentError(`GraphQL error from ${options.shop}: ${error.message}`);
          }
          await bucket.settle(reserve, 0, null);
          if (error instanceof HttpResponseError && [401, 402, 403, 404, 423].includes(error.response.code)) {
            throw new ShopifyPermanentError(`Shopify answered ${error.response.code} for ${options.shop}`, error.response.code);
          }
          throw error;
        }
      }
    },
  };
}

export interface AdminStats {
  requests: number;
  throttled: number;
  waitedMs: number;
  actualCost: number;
}

/** Throws ShopifyUserError when a mutation payload carries userErrors. */
export function assertNoUserErrors(payload: { userErrors?: { field?: string[] | null; message: string }[] } | null | undefined, what: string) {
  const errors = payload?.userErrors ?? [];
  if (errors.length) throw new ShopifyUserError(`${what}: ${errors.map((e) => e.message).join("; ")}`, errors);
}
