import prisma from "../db.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";
import { enqueueInboxEvent, ingestWebhook } from "./ingest.server";
import type { WebhookRoute } from "./webhook-guard";

/** What every webhook route does: the production wiring of ingestWebhook, for the route's own topics. */
export function webhookIngestion(request: Request, route: WebhookRoute): Promise<Response> {
  return ingestWebhook(
    request,
    { db: prisma, authenticateWebhook: authenticate.webhook, enqueue: enqueueInboxEvent, customDomain: env().SHOP_CUSTOM_DOMAIN },
    route,
  );
}
