import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { FakeShopifyControl } from "./server";
import { ControlError } from "./control";
import { readBody, sendJson, sendText } from "./http-util";

/** A route's answer that is a CSV file rather than JSON. */
class CsvFile {
  constructor(readonly text: string) {}
}

const planSchema = z.enum(["standard", "advanced", "plus", "enterprise"]);
const marketing = z.enum(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"]);
const customerPatch = z
  .object({
    firstName: z.string(),
    lastName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    note: z.string().nullable(),
    tags: z.array(z.string()),
    emailMarketingState: marketing,
    smsMarketingState: marketing,
  })
  .partial();

const schemas = {
  createShop: z.object({
    domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
    plan: planSchema.optional(),
    customers: z.number().int().nonnegative().optional(),
    seed: z.number().int().optional(),
    shapes: z
      .union([
        z.boolean(),
        z
          .object({
            ianaTimezone: z.string(),
            taxesIncludedFrom: z.string().nullable(),
            includedTax: z.object({ title: z.string(), rate: z.number().min(0).max(1) }),
            presentmentShare: z.number().min(0).max(1),
            presentmentCurrencies: z.array(z.object({ currency: z.string().length(3), rate: z.number().positive() })),
            giftCardPurchaseShare: z.number().min(0).max(1),
            giftCardOnlyShare: z.number().min(0).max(1),
            giftCardRedemptionShare: z.number().min(0).max(1),
            testOrders: z.number().int().nonnegative().nullable(),
            editShare: z.number().min(0).max(1),
            restockOnlyShare: z.number().min(0).max(1),
            freeGiftShare: z.number().min(0).max(1),
            topUpShare: z.number().min(0).max(1),
            guestPhoneShare: z.number().min(0).max(1),
          })
          .partial()
          .strict(),
      ])
      .optional(),
  }),
  placeOrder: z.object({
    customerId: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    lineItems: z.array(z.object({ variantId: z.string(), quantity: z.number().int() })).min(1),
    discountCode: z.string().nullable().optional(),
    discountPercentage: z.number().nullable().optional(),
    financialStatus: z.enum(["PAID", "PENDING"]).optional(),
    shippingPrice: z.string().optional(),
    tags: z.array(z.string()).optional(),
    test: z.boolean().optional(),
    phone: z.string().nullable().optional(),
    paymentGatewayNames: z.array(z.string()).min(1).optional(),
  }),
  refund: z.object({
    lineItems: z.array(z.object({ lineItemId: z.string(), quantity: z.number().int(), restockType: z.enum(["RETURN", "CANCEL", "NO_RESTOCK"]).optional() })).min(1),
    note: z.string().nullable().optional(),
  }),
  editOrder: z.object({
    removeLineItems: z.array(z.object({ lineItemId: z.string(), quantity: z.number().int() })).optional(),
    addLineItems: z.array(z.object({ variantId: z.string(), quantity: z.number().int() })).optional(),
  }),
  cancel: z.object({ reason: z.enum(["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"]).optional() }),
  plan: z.object({ plan: planSchema }),
  token: z.object({ scope: z.array(z.string()).optional(), expiring: z.boolean().optional() }),
  lose: z.object({ count: z.number().int().positive().optional() }),
  sessionToken: z.object({ userId: z.string().optional(), ttlSeconds: z.number().int().positive().optional() }),
  faults: z.object({ duplicates: z.number().int().nonnegative().optional(), delayMs: z.number().int().nonnegative().optional(), hold: z.boolean().optional() }),
  forged: z.object({ topic: z.string() }),
  release: z.object({ order: z.enum(["fifo", "reverse", "shuffle"]).optional(), seed: z.number().int().optional() }),
};

type Route = { method: string; pattern: RegExp; handle: (control: FakeShopifyControl, params: string[], body: unknown, query: URLSearchParams) => unknown | Promise<unknown> };

const shopRoute = (method: string, suffix: string, handle: Route["handle"]): Route => ({
  method,
  pattern: new RegExp(`^/_control/shops/([^/]+)${suffix}$`),
  handle,
});

const routes: Route[] = [
  { method: "GET", pattern: /^\/_control\/shops$/, handle: (c) => c.listShops() },
  { method: "POST", pattern: /^\/_control\/shops$/, handle: (c, _p, body) => c.createShop(schemas.createShop.parse(body)) },
  shopRoute("GET", "", (c, [shop]) => c.shopSummary(shop)),
  shopRoute("POST", "/tokens", (c, [shop], body) => c.issueToken(shop, schemas.token.parse(body ?? {}))),
  shopRoute("POST", "/tokens/revoke-refresh", (c, [shop]) => c.revokeRefreshTokens(shop)),
  shopRoute("POST", "/tokens/expire-access", (c, [shop]) => c.expireAccessTokens(shop)),
  shopRoute("POST", "/tokens/lose-answers", (c, [shop], body) => c.loseTokenAnswers(shop, schemas.lose.parse(body ?? {}).count)),
  shopRoute("GET", "/tokens/stats", (c, [shop]) => c.tokenStats(shop)),
  shopRoute("POST", "/session-token", (c, [shop], body) => ({ token: c.sessionToken(shop, schemas.sessionToken.parse(body ?? {})) })),
  shopRoute("POST", "/orders", (c, [shop], body) => c.placeOrder(shop, schemas.placeOrder.parse(body))),
  shopRoute("POST", "/orders/(\\d+)/refunds", (c, [shop, id], body) => c.refund(shop, id, schemas.refund.parse(body))),
  shopRoute("POST", "/orders/(\\d+)/edit", (c, [shop, id], body) => c.editOrder(shop, id, schemas.editOrder.parse(body))),
  shopRoute("POST", "/orders/(\\d+)/cancel", (c, [shop, id], body) => c.cancel(shop, id, schemas.cancel.parse(body ?? {}).reason)),
  shopRoute("POST", "/customers", (c, [shop], body) => c.createCustomer(shop, customerPatch.parse(body))),
  shopRoute("PATCH", "/customers/(\\d+)", (c, [shop, id], body) => c.updateCustomer(shop, id, customerPatch.parse(body))),
  shopRoute("DELETE", "/customers/(\\d+)", (c, [shop, id]) => c.deleteCustomer(shop, id)),
  shopRoute("POST", "/customers/(\\d+)/data-request", (c, [shop, id]) => c.dataRequest(shop, id)),
  shopRoute("POST", "/customers/(\\d+)/redact", (c, [shop, id]) => c.redactCustomer(shop, id)),
  shopRoute("POST", "/redact", (c, [shop]) => c.redactShop(shop)),
  shopRoute("POST", "/uninstall", (c, [shop]) => c.uninstall(shop)),
  shopRoute("PUT", "/plan", (c, [shop], body) => c.setPlan(shop, schemas.plan.parse(body).plan)),
  shopRoute("GET", "/deliveries", (c, [shop], _b, q) => c.deliveries({ shop, topic: q.get("topic") ?? undefined })),
  shopRoute("GET", "/flow-triggers", (c, [shop]) => c.flowTriggers(shop)),
  shopRoute("GET", "/segments", (c, [shop]) => c.segments(shop)),
  shopRoute("GET", "/discounts", (c, [shop]) => c.discounts(shop)),
  shopRoute("GET", "/customer-tags", (c, [shop]) => c.customerTags(shop)),
  shopRoute("GET", "/metafields", (c, [shop]) => c.customerMetafields(shop)),
  shopRoute("GET", "/truth", (c, [shop]) => c.truth(shop)),
  shopRoute("GET", "/truth/customers", (c, [shop]) => c.customerTruth(shop)),
  shopRoute("GET", "/exports/orders.csv", (c, [shop]) => new CsvFile(c.ordersExport(shop))),
  shopRoute("GET", "/exports/products.csv", (c, [shop]) => new CsvFile(c.productsExport(shop))),
  shopRoute("POST", "/webhooks/replay", (c, [shop]) => c.replayHistory(shop)),
  shopRoute("GET", "/counters", (c, [shop]) => c.counters(shop)),
  shopRoute("POST", "/bucket/drain", (c, [shop]) => c.drainBucket(shop)),
  shopRoute("POST", "/webhooks/forged", (c, [shop], body) => c.forgeWebhook(shop, schemas.forged.parse(body).topic)),
  { method: "GET", pattern: /^\/_control\/deliveries$/, handle: (c, _p, _b, q) => c.deliveries({ topic: q.get("topic") ?? undefined }) },
  { method: "POST", pattern: /^\/_control\/counters\/reset$/, handle: (c) => c.resetCounters() },
  { method: "PUT", pattern: /^\/_control\/webhooks\/faults$/, handle: (c, _p, body) => c.setFaults(schemas.faults.parse(body)) },
  { method: "POST", pattern: /^\/_control\/webhooks\/release$/, handle: (c, _p, body) => ({ released: c.releaseWebhooks(schemas.release.parse(body ?? {})) }) },
  { method: "POST", pattern: /^\/_control\/settle$/, handle: async (c) => (await c.settle(), { settled: true }) },
];

export async function handleControl(control: FakeShopifyControl, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
  if (!route) return sendJson(res, 404, { error: `No control route ${req.method} ${url.pathname}` });
  try {
    const raw = await readBody(req);
    const body: unknown = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
    const params = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    const result = await route.handle(control, params, body, url.searchParams);
    if (result instanceof CsvFile) return sendText(res, 200, result.text, "text/csv; charset=utf-8");
    sendJson(res, 200, result ?? { ok: true });
  } catch (error) {
    if (error instanceof ControlError) return sendJson(res, error.status, { error: error.message });
    if (error instanceof z.ZodError) return sendJson(res, 400, { error: "Invalid body", issues: error.issues });
    if (error instanceof SyntaxError) return sendJson(res, 400, { error: `Invalid JSON: ${error.message}` });
    throw error;
  }
}
