import { createServer, type IncomingMessage, type Server } from "node:http";
import { createReadableStreamFromReadable, type ActionFunctionArgs } from "@remix-run/node";
import type { AddressInfo } from "node:net";
import { createFakeShopify, type FakeShopify, type FakeShopifyOptions } from "../fake-shopify/server";
import { generateStore } from "../fake-shopify/generator";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";

// The app as Shopify sees it: a real HTTP server whose /webhooks/* paths run the Remix
// webhook routes' actions (each takes only its own topics), so the fake delivers over
// loopback with a real HMAC. Request bodies stream in as @remix-run/express passes
// them (a limit can refuse a body before it is read whole). App modules are imported
// lazily: a test file may change process.env (REDIS_URL) before env() first reads it.

export type Handler = (request: Request) => Promise<Response>;

const WEBHOOK_ROUTES: Record<string, () => Promise<{ action: (args: ActionFunctionArgs) => Promise<Response> }>> = {
  "/webhooks/orders": () => import("../../app/routes/webhooks.orders"),
  "/webhooks/refunds/create": () => import("../../app/routes/webhooks.refunds.create"),
  "/webhooks/customers": () => import("../../app/routes/webhooks.customers"),
  "/webhooks/app/uninstalled": () => import("../../app/routes/webhooks.app.uninstalled"),
  "/webhooks/bulk_operations/finish": () => import("../../app/routes/webhooks.bulk_operations.finish"),
  "/webhooks/compliance": () => import("../../app/routes/webhooks.compliance"),
};

/** Runs the Remix webhook route for the request's path; 404 for any other path. */
async function webhookRoutes(request: Request): Promise<Response> {
  const route = WEBHOOK_ROUTES[new URL(request.url).pathname];
  if (!route) return new Response("Not Found", { status: 404 });
  return (await route()).action({ request, params: {}, context: {} });
}

export interface AppServer {
  url: string;
  /** Requests answered, by status. */
  statuses: Map<number, number>;
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  const method = req.method ?? "GET";
  const streamed = method === "GET" || method === "HEAD" ? {} : { body: createReadableStreamFromReadable(req), duplex: "half" };
  return new Request(new URL(req.url ?? "/", base), { method, headers, ...streamed } as RequestInit);
}

export async function startAppServer(handler?: Handler): Promise<AppServer> {
  const webhook = handler ?? webhookRoutes;
  const statuses = new Map<number, number>();
  let base = "http://127.0.0.1";
  const server: Server = createServer((req, res) => {
    void (async () => {
      let response: Response;
      try {
        const request = toRequest(req, base);
        response = new URL(request.url).pathname.startsWith("/webhooks/")
          ? await webhook(request)
          : new Response("Not Found", { status: 404 });
      } catch (error) {
        // What Remix does with an error thrown by an action.
        response = new Response(`Unexpected Server Error: ${(error as Error).message}`, { status: 500 });
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface StoreSpec {
  shopDomain: string;
  customers: number;
  seed?: number;
  targetOrders?: number;
  /** Mix in real stores' shapes (tax-inclusive prices, gift cards, test orders, edits…; see the fake's README). */
  shapes?: boolean;
}

/** The fake Shopify, delivering webhooks to `appUrl`, with the app's own credentials and toml. */
export function startFake(appUrl: string, stores: StoreSpec[], options: Partial<FakeShopifyOptions> = {}): Promise<FakeShopify> {
  return createFakeShopify({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: process.env.SHOPIFY_API_SECRET!,
    appUrl,
    appTomlPath: "shopify.app.toml",
    shops: stores.map((s) =>
      generateStore({ seed: s.seed ?? 7, shopDomain: s.shopDomain, customers: s.customers, targetOrders: s.targetOrders, shapes: s.shapes }),
    ),
    // Four hours of webhook retries in about 1.5 s; shop/redact 48 h after uninstall in ~17 s.
    timeScale: 0.0001,
    bulkStartDelayMs: 50,
    ...options,
  });
}

/**
 * Installs the app for real: an embedded request with a session token minted by the
 * fake makes @shopify/shopify-app-remix exchange it for an offline token (against the
 * fake), store the session and run afterAuth (which enqueues the backfill).
 */
export async function installShop(fake: FakeShopify, shop: string): Promise<void> {
  const { authenticate } = await import("../../app/shopify.server");
  const token = fake.control.sessionToken(shop);
  const request = new Request(`${process.env.SHOPIFY_APP_URL}/app?shop=${shop}&embedded=1`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  await authenticate.admin(request);
}

/** Polls until `check` returns a truthy value; the value is returned. */
export async function waitUntil<T>(check: () => Promise<T> | T, label: string | (() => string), timeoutMs = 30_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof label === "string" ? label : label()} (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface SyncStack {
  app: AppServer;
  fake: FakeShopify;
  stop(): Promise<void>;
}

/** The app's webhook routes over HTTP, the fake delivering to them and answering the Admin API, and a worker in this process. */
export async function startSyncStack(stores: StoreSpec[], fakeOptions: Partial<FakeShopifyOptions> = {}): Promise<SyncStack> {
  const app = await startAppServer();
  const fake = await startFake(app.url, stores, fakeOptions);
  const restoreFetch = routeShopifyToFake(fake.url);
  const { startWorker } = await import("../../app/worker/worker.server");
  const stopWorker = await startWorker();
  return {
    app,
    fake,
    stop: async () => {
      await stopWorker();
      await fake.close();
      await app.close();
      restoreFetch();
    },
  };
}
