import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { SHOP_HEADER } from "./shop-header";

type Fetch = typeof fetch;

/** A fetch that sends https://{shop}.myshopify.com/... to the fake, naming the shop in a header. */
export function createRoutedFetch(fakeUrl: string, realFetch: Fetch = globalThis.fetch): Fetch {
  const base = new URL(fakeUrl);
  return async (input, init) => {
    const request = input instanceof Request ? input : null;
    const target = new URL(request ? request.url : input.toString());
    if (!target.hostname.endsWith(".myshopify.com")) return realFetch(input, init);
    const rewritten = new URL(`${target.pathname}${target.search}`, base);
    const headers = new Headers(request?.headers ?? undefined);
    new Headers(init?.headers).forEach((value, key) => headers.set(key, value));
    headers.set(SHOP_HEADER, target.hostname);
    if (request) return realFetch(new Request(rewritten, { ...init, method: init?.method ?? request.method, headers, body: init?.body ?? request.body, duplex: "half" } as RequestInit));
    return realFetch(rewritten, { ...init, headers });
  };
}

/**
 * Points @shopify/shopify-api's fetch at the fake. Call it after importing the adapter
 * (which captures globalThis.fetch); returns a function that restores the previous fetch.
 */
export function routeShopifyToFake(fakeUrl: string): () => void {
  const previous = abstractFetch;
  setAbstractFetchFunc(createRoutedFetch(fakeUrl));
  return () => setAbstractFetchFunc(previous);
}
