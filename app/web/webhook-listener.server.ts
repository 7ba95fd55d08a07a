import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { logger } from "../logger.server";
import type { WebhookRoute } from "../sync/webhook-guard";
import type { LoadGate } from "./load-gate.server";

/**
 * The webhook URLs (Remix's flat routes app/routes/webhooks.*.tsx, as subscribed in
 * shopify.app.toml) and the ingest route each one feeds. A test holds them equal to the
 * route files, which stay for the development server.
 */
export const WEBHOOK_PATHS: Readonly<Record<string, WebhookRoute>> = {
  "/webhooks/orders": "orders",
  "/webhooks/refunds/create": "refunds",
  "/webhooks/customers": "customers",
  "/webhooks/app/uninstalled": "uninstalled",
  "/webhooks/bulk_operations/finish": "bulkOperations",
  "/webhooks/compliance": "compliance",
};

export type Ingestion = (request: Request, route: WebhookRoute) => Promise<Response>;

/** Returns true when it took the request (a POST to a webhook URL); other requests go on to Remix. */
export type WebhookListener = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The production web server's webhook path, in front of Remix: a delivery goes straight
 * to `ingest` (webhookIngestion) without Express, compression, logging or Remix's router.
 * While `gate` says the process is lagging it is answered 503 before its body is read,
 * so overload costs one HTTP parse per delivery and Shopify retries it later; anything
 * that reaches `ingest` is bounded by ingest's own deadline. An error thrown by `ingest`
 * is answered 500 and logged without the payload.
 */
export function webhookListener(ingest: Ingestion, gate: LoadGate): WebhookListener {
  return (req, res) => {
    if (req.method !== "POST") return false;
    const path = (req.url ?? "").split("?", 1)[0];
    const route = WEBHOOK_PATHS[path];
    if (!route) return false;
    if (gate.busy()) {
      // The unread body is drained by node when the response ends.
      res.writeHead(503, { "Content-Type": "text/plain", "Retry-After": "1" }).end("Temporarily unavailable");
      return true;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);
    ingest(request, route)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
      })
      .catch((error: Error) => {
        logger.error({ route, err: error.message }, "webhook ingest failed");
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("Internal error");
      });
    return true;
  };
}
