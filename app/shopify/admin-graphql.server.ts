import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";

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
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  maxThrottleRetries?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function throttledAdmin(graphql: GraphqlFn, options: ThrottleOptions): AdminGraphql {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxThrottleRetries ?? 20;
  let status: ThrottleStatus | null = null;
  let seenAt = 0;

  const available = () =>
    status ? Math.min(status.maximumAvailable, status.currentlyAvailable + ((now() - seenAt) / 1000) * status.restoreRate) : Infinity;

  const remember = (cost: QueryCost | undefined) => {
    if (!cost?.throttleStatus) return;
    status = cost.throttleStatus;
    seenAt = now();
  };

  const waitFor = async (needed: number) => {
    if (!status) return;
    const missing = Math.min(needed, status.maximumAvailable) - available();
    if (missing > 0) await sleep(Math.ceil((missing / status.restoreRate) * 1000));
  };

  return {
    shop: options.shop,
    lastThrottle: () => status,
    async request<T>(query: string, variables?: Record<string, unknown>, opts: { expectedCost?: number } = {}) {
      for (let attempt = 0; ; attempt++) {
        await waitFor(opts.expectedCost ?? 10);
        try {
          const response = await graphql(query, { variables });
          const body = (await response.json()) as { data: T; extensions?: { cost?: QueryCost } };
          remember(body.extensions?.cost);
          return body.data;
        } catch (error) {
          if (error instanceof GraphqlQueryError) {
            const body = error.body as { errors?: { graphQLErrors?: { extensions?: { code?: string } }[] }; extensions?: { cost?: QueryCost } };
            remember(body?.extensions?.cost);
            const throttled = body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED");
            if (throttled && attempt < maxRetries) {
              await waitFor(body.extensions?.cost?.requestedQueryCost ?? opts.expectedCost ?? 10);
              continue;
            }
            throw new ShopifyPermanentError(`GraphQL error from ${options.shop}: ${error.message}`);
          }
          if (error instanceof HttpResponseError && [401, 402, 403, 404, 423].includes(error.response.code)) {
            throw new ShopifyPermanentError(`Shopify answered ${error.response.code} for ${options.shop}`);
          }
          throw error;
        }
      }
    },
  };
}

/** Throws ShopifyUserError when a mutation payload carries userErrors. */
export function assertNoUserErrors(payload: { userErrors?: { field?: string[] | null; message: string }[] } | null | undefined, what: string) {
  const errors = payload?.userErrors ?? [];
  if (errors.length) throw new ShopifyUserError(`${what}: ${errors.map((e) => e.message).join("; ")}`, errors);
}
