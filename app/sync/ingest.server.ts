import { logger } from "../logger.server";
import { payloadTooLarge } from "../http/limits";
import { isPermanentDatabaseError } from "./db-errors";
import { forgetShop, forgetShopId, knownShop } from "./inbox.server";
import { InboxDeadlineError, InboxOverloadedError, type InboxWriter, ShopGoneError, type Sql, type WriteOutcome } from "./inbox-writer.server";
import { parseLosslessJson } from "./lossless-json";
import { verifyWebhookHmac } from "./webhook-hmac";
import {
  admitDelivery,
  BodyTooLargeError,
  MAX_WEBHOOK_BYTES,
  nestsDeeperThan,
  parseTriggeredAt,
  readBodyBytesLimited,
  type WebhookRoute,
} from "./webhook-guard";

/** Shopify waits 5 s for an answer; past this a delivery is answered 503 rather than late. */
export const INGEST_DEADLINE_MS = 4000;

/**
 * Deliveries a process works on at once (body read to answer). Past it a delivery is
 * answered 503 before its body is read: when the process's CPU is the bottleneck,
 * answering the surplus costs next to nothing, so the rest are still answered in time.
 */
export const MAX_IN_FLIGHT = 256;
let inFlight = 0;

export interface IngestDeps {
  /** The app's client secret, which signs every delivery. */
  secret: string;
  /** Shop lookups (plain SQL; cached in inbox.server). */
  sql: Sql;
  inbox: Pick<InboxWriter, "write" | "overloaded">;
  /** SHOP_CUSTOM_DOMAIN, when shops are served from one. */
  customDomain?: string;
  /** Milliseconds from arrival within which a delivery is committed or answered 503. */
  deadlineMs?: number;
  /** Deliveries this process takes at once (MAX_IN_FLIGHT). */
  maxInFlight?: number;
}

/** Headers Shopify sends with every delivery; @shopify/shopify-api answers 400 without them, and so does this. */
const REQUIRED_HEADERS = ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"];

const answer = (status: number, body: string | null = null) => new Response(body, { status });
const retryLater = () => answer(503, "Temporarily unavailable");

class DeadlineError extends Error {
  override name = "DeadlineError";
}

function beforeDeadline<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} took past the delivery's deadline`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Verify, bind, record, answer; the inbox writer enqueues what it recorded. A body over
 * the size limit is 413 before it is read whole. Missing Shopify headers are 400, a bad
 * HMAC (checked in constant time over the raw bytes) 401; a body that is not JSON, nests
 * absurdly deep or carries a bad X-Shopify-Triggered-At is 400, as is a payload
 * PostgreSQL refuses for good. A signed delivery Patron must not believe (another route's
 * topic, a shop that is not a Shopify domain, a payload naming another shop, a shop with
 * no installation, a shop/redact for an installed shop) is answered 200 so it is not
 * retried, stored nowhere, and logged. Once the inbox holds a delivery the answer is 200,
 * even if Redis is down (the sweeper enqueues it). While the database is down, while the
 * process already works on `maxInFlight` deliveries, while the inbox's writes are backed
 * up past their bound, or when the row is not committed within the deadline, the answer
 * is 503 and Shopify retries.
 */
export async function ingestWebhook(request: Request, deps: IngestDeps, route: WebhookRoute): Promise<Response> {
  if (inFlight >= (deps.maxInFlight ?? MAX_IN_FLIGHT)) return retryLater();
  inFlight++;
  try {
    return await ingest(request, deps, route);
  } finally {
    inFlight--;
  }
}

async function ingest(request: Request, deps: IngestDeps, route: WebhookRoute): Promise<Response> {
  const deadline = Date.now() + (deps.deadlineMs ?? INGEST_DEADLINE_MS);
  const topic = request.headers.get("x-shopify-topic") ?? "";
  let raw: Buffer;
  try {
    raw = await readBodyBytesLimited(request, MAX_WEBHOOK_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      logger.warn({ topic, route }, "webhook refused: body too large");
      return payloadTooLarge(MAX_WEBHOOK_BYTES);
    }
    throw error;
  }
  if (REQUIRED_HEADERS.some((name) => !request.headers.get(name))) return answer(400, "Missing Shopify webhook headers");
  if (!verifyWebhookHmac(raw, request.headers.get("x-shopify-hmac-sha256"), deps.secret)) return answer(401, "Unauthorized");
  // Backed up: answer before parsing anything, so overload costs as little as possible.
  if (deps.inbox.overloaded()) return retryLater();

  const shop = request.headers.get("x-shopify-shop-domain")!;
  const webhookId = request.headers.get("x-shopify-webhook-id")!;
  const log = logger.child({ shop: shop.slice(0, 100), webhookId: webhookId.slice(0, 100), topic, route });
  const triggeredAt = parseTriggeredAt(request.headers.get("x-shopify-triggered-at"));
  if (triggeredAt === "invalid") return answer(400, "X-Shopify-Triggered-At is not an ISO 8601 time");
  const text = raw.toString("utf8");
  if (nestsDeeperThan(text)) return answer(400, "JSON body nested too deep");
  let payload: unknown;
  try {
    payload = parseLosslessJson(text);
  } catch {
    return answer(400, "Malformed JSON body");
  }

  const record = async (fresh: boolean): Promise<WriteOutcome | string> => {
    const known = await beforeDeadline(knownShop(deps.sql, shop, { fresh }), deadline, "the shop lookup");
    const verdict = admitDelivery({ route, topic, shop, payload, known, customDomain: deps.customDomain });
    if (!verdict.accept) return verdict.reason;
    const row = {
      shopId: known!.id,
      webhookId,
      topic,
      apiVersion: request.headers.get("x-shopify-api-version"),
      eventId: request.headers.get("x-shopify-event-id") || null,
      triggeredAt,
      // Stored as parsed: ids beyond 2^53 are strings, so every later reader gets them exact.
      payload: JSON.stringify(payload),
    };
    try {
      return await deps.inbox.write(row, deadline);
    } catch (error) {
      if (!(error instanceof ShopGoneError)) throw error;
      forgetShopId(known!.id);
      // A cached shop deleted since (redacted, then installed again) is looked up afresh, once.
      if (fresh) return error.message;
      return record(true);
    }
  };
  let outcome: WriteOutcome | string;
  try {
    // shop/redact deletes everything: its shop's state is read afresh, never from the cache.
    outcome = await record(topic === "shop/redact" || topic === "app/uninstalled");
  } catch (error) {
    if (error instanceof InboxOverloadedError || error instanceof InboxDeadlineError || error instanceof DeadlineError) {
      log.warn({ err: error.message }, "webhook not recorded in time; asking Shopify to retry");
      return retryLater();
    }
    if (isPermanentDatabaseError(error)) {
      log.warn({ err: (error as Error).message.slice(0, 300) }, "webhook refused: the database cannot store it");
      return answer(400, "Payload cannot be stored");
    }
    log.error({ err: (error as Error).message }, "webhook not recorded; asking Shopify to retry");
    return retryLater();
  }
  if (typeof outcome === "string") {
    log.warn({ reason: outcome }, "webhook dropped");
    return answer(200);
  }
  // The worker confirms the uninstall; until then this process reads the shop afresh.
  if (topic === "app/uninstalled") forgetShop(shop);
  if (outcome.duplicate) log.debug("duplicate delivery ignored");
  return answer(200);
}
