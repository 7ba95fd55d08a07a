import type { PrismaClient } from "@prisma/client";
import { logger } from "../logger.server";
import { enqueue as enqueueJob } from "../queue/queues.server";
import { recordDelivery } from "./inbox.server";
import { parseLosslessJson } from "./lossless-json";

export interface WebhookContext {
  shop: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt?: string;
  eventId?: string;
}

export interface IngestDeps {
  db: PrismaClient;
  authenticateWebhook: (request: Request) => Promise<WebhookContext>;
  enqueue: (inboxId: bigint) => Promise<void>;
}

export const enqueueInboxEvent = (inboxId: bigint) =>
  enqueueJob("process-webhook", { inboxId: inboxId.toString() }, { jobId: `wh-${inboxId}` });

/**
 * Verify, record, enqueue, answer. Shopify's library answers 401 to a bad HMAC and
 * 400 to missing headers; a body that is not JSON is 400 too. The inbox write is
 * what makes the delivery safe: once it is in, the answer is 200 even if Redis is
 * down (the sweeper enqueues it later). If the database is down the answer is 503,
 * and Shopify retries.
 */
export async function ingestWebhook(request: Request, deps: IngestDeps): Promise<Response> {
  const rawBody = await request.clone().text();
  const topic = request.headers.get("x-shopify-topic") ?? "";
  let context: WebhookContext;
  try {
    context = await deps.authenticateWebhook(request);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    if (thrown instanceof SyntaxError) return new Response("Malformed JSON body", { status: 400 });
    // After the HMAC check the library loads the shop's offline session: with the
    // database down that throws. Answer 503 (Shopify retries) rather than a bare 500.
    logger.error({ topic, err: (thrown as Error).message }, "webhook not verified; asking Shopify to retry");
    return new Response("Temporarily unavailable", { status: 503 });
  }
  const log = logger.child({ shop: context.shop, webhookId: context.webhookId, topic });

  let recorded: { inboxId: bigint; duplicate: boolean };
  try {
    recorded = await recordDelivery(deps.db, {
      shop: context.shop,
      webhookId: context.webhookId,
      topic,
      apiVersion: context.apiVersion ?? null,
      eventId: context.eventId ?? null,
      triggeredAt: context.triggeredAt ? new Date(context.triggeredAt) : null,
      payload: parseLosslessJson(rawBody),
    });
  } catch (error) {
    log.error({ err: (error as Error).message }, "webhook not recorded; asking Shopify to retry");
    return new Response("Temporarily unavailable", { status: 503 });
  }
  if (recorded.duplicate) {
    log.debug({ inboxId: recorded.inboxId.toString() }, "duplicate delivery ignored");
    return new Response(null, { status: 200 });
  }
  try {
    await deps.enqueue(recorded.inboxId);
  } catch (error) {
    log.warn({ inboxId: recorded.inboxId.toString(), err: (error as Error).message }, "queued for the sweeper: Redis unavailable");
  }
  return new Response(null, { status: 200 });
}
