import type { PrismaClient } from "@prisma/client";
import { InvalidShopError } from "@shopify/shopify-api";
import { logger } from "../logger.server";
import { enqueue as enqueueJob } from "../queue/queues.server";
import { payloadTooLarge } from "../http/limits";
import { isPermanentDatabaseError } from "./db-errors";
import { knownShop, recordDelivery, ShopGoneError } from "./inbox.server";
import { parseLosslessJson } from "./lossless-json";
import { admitDelivery, BodyTooLargeError, MAX_WEBHOOK_BYTES, nestsDeeperThan, parseTriggeredAt, readBodyLimited, type WebhookRoute } from "./webhook-guard";

export interface WebhookContext {
  shop: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt?: string;
  eventId?: string;
  topic?: string;
}

export interface IngestDeps {
  db: PrismaClient;
  authenticateWebhook: (request: Request) => Promise<WebhookContext>;
  enqueue: (inboxId: bigint) => Promise<void>;
  /** SHOP_CUSTOM_DOMAIN, when shops are served from one. */
  customDomain?: string;
}

export const enqueueInboxEvent = (inboxId: bigint) =>
  enqueueJob("process-webhook", { inboxId: inboxId.toString() }, { jobId: `wh-${inboxId}` });

const answer = (status: number, body: string | null = null) => new Response(body, { status });

/**
 * Verify, bind, record, enqueue, answer. A body over the size limit is 413 before it
 * is read whole. Shopify's library answers 401 to a bad HMAC and 400 to missing
 * headers; a body that is not JSON, nests absurdly deep or carries a bad
 * X-Shopify-Triggered-At is 400, as is a payload PostgreSQL refuses for good. A
 * signed delivery Patron must not believe (another route's topic, a shop that is not
 * a Shopify domain, a payload naming another shop, a shop with no installation, a
 * shop/redact for an installed shop) is answered 200 so it is not retried, stored
 * nowhere, and logged. Once the inbox holds a delivery the answer is 200 even if
 * Redis is down (the sweeper enqueues it); while the database is down it is 503.
 */
export async function ingestWebhook(request: Request, deps: IngestDeps, route: WebhookRoute): Promise<Response> {
  const topic = request.headers.get("x-shopify-topic") ?? "";
  let rawBody: string;
  try {
    rawBody = await readBodyLimited(request, MAX_WEBHOOK_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      logger.warn({ topic, route }, "webhook refused: body too large");
      return payloadTooLarge(MAX_WEBHOOK_BYTES);
    }
    throw error;
  }
  let context: WebhookContext;
  try {
    context = await deps.authenticateWebhook(new Request(request.url, { method: request.method, headers: request.headers, body: rawBody }));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    if (thrown instanceof SyntaxError) return answer(400, "Malformed JSON body");
    // Thrown only once the HMAC is valid: a signed delivery naming no Shopify shop.
    if (thrown instanceof InvalidShopError) {
      logger.warn({ topic, route, reason: "the shop header is not a Shopify shop domain" }, "webhook dropped");
      return answer(200);
    }
    // After the HMAC check the library loads the shop's offline session: with the
    // database down that throws. Answer 503 (Shopify retries) rather than a bare 500.
    logger.error({ topic, err: (thrown as Error).message }, "webhook not verified; asking Shopify to retry");
    return answer(503, "Temporarily unavailable");
  }
  const log = logger.child({ shop: context.shop, webhookId: context.webhookId, topic, route });

  const triggeredAt = parseTriggeredAt(context.triggeredAt);
  if (triggeredAt === "invalid") return answer(400, "X-Shopify-Triggered-At is not an ISO 8601 time");
  if (nestsDeeperThan(rawBody)) return answer(400, "JSON body nested too deep");
  let payload: unknown;
  try {
    payload = parseLosslessJson(rawBody);
  } catch {
    return answer(400, "Malformed JSON body");
  }

  let recorded: { inboxId: bigint; duplicate: boolean };
  try {
    const record = async (fresh: boolean) => {
      const known = await knownShop(deps.db, context.shop, { fresh });
      const verdict = admitDelivery({ route, topic, shop: context.shop, payload, known, customDomain: deps.customDomain });
      if (!verdict.accept) return verdict.reason;
      const delivery = { webhookId: context.webhookId, topic, apiVersion: context.apiVersion ?? null, eventId: context.eventId ?? null, triggeredAt, payload };
      return recordDelivery(deps.db, { ...delivery, shopId: known!.id });
    };
    // shop/redact deletes everything: its shop's state is read afresh, never from the cache.
    // A cached shop that was deleted since (redacted, then installed again) is looked up afresh once.
    const destructive = topic === "shop/redact" || topic === "app/uninstalled";
    const outcome = await record(destructive).catch((error: unknown) => (error instanceof ShopGoneError ? record(true) : Promise.reject(error)));
    if (typeof outcome === "string") {
      log.warn({ reason: outcome }, "webhook dropped");
      return answer(200);
    }
    recorded = outcome;
  } catch (error) {
    if (error instanceof ShopGoneError) {
      log.warn({ reason: error.message }, "webhook dropped");
      return answer(200);
    }
    if (isPermanentDatabaseError(error)) {
      log.warn({ err: (error as Error).message.slice(0, 300) }, "webhook refused: the database cannot store it");
      return answer(400, "Payload cannot be stored");
    }
    log.error({ err: (error as Error).message }, "webhook not recorded; asking Shopify to retry");
    return answer(503, "Temporarily unavailable");
  }
  if (recorded.duplicate) {
    log.debug({ inboxId: recorded.inboxId.toString() }, "duplicate delivery ignored");
    return answer(200);
  }
  try {
    await deps.enqueue(recorded.inboxId);
  } catch (error) {
    log.warn({ inboxId: recorded.inboxId.toString(), err: (error as Error).message }, "queued for the sweeper: Redis unavailable");
  }
  return answer(200);
}
