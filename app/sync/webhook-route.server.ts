import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { enqueueInboxEvent, ingestWebhook } from "./ingest.server";

/** What every webhook route does: the production wiring of ingestWebhook. */
export function webhookIngestion(request: Request): Promise<Response> {
  return ingestWebhook(request, {
    db: prisma,
    authenticateWebhook: authenticate.webhook,
    enqueue: enqueueInboxEvent,
  });
}
