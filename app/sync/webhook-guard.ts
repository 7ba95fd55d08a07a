// What a webhook delivery must satisfy before Patron believes it. Shopify's HMAC covers
// only the body: the shop, topic and webhook id are unsigned headers, so anything that
// can be bound to the signed body or to what Patron already knows is checked here.
// Pure functions, so a faster ingest path can reuse them as they are.

/** Shopify's largest real payloads (an order with hundreds of lines) are a few hundred KB. */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;
export { BodyTooLargeError, declaredTooLarge, readBodyBytesLimited, readBodyLimited } from "../http/limits";

/** Shopify's REST payloads nest about six levels deep; PostgreSQL's jsonb and the stack have limits far above. */
export const MAX_JSON_DEPTH = 64;

/** The topics each webhook route takes, as subscribed in shopify.app.toml (a test holds them equal). */
export const ROUTE_TOPICS = {
  orders: ["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/edited"],
  refunds: ["refunds/create"],
  customers: ["customers/create", "customers/update", "customers/delete"],
  uninstalled: ["app/uninstalled"],
  bulkOperations: ["bulk_operations/finish"],
  compliance: ["customers/data_request", "customers/redact", "shop/redact"],
} as const satisfies Record<string, readonly string[]>;

export type WebhookRoute = keyof typeof ROUTE_TOPICS;

/** Topics Shopify still sends after an uninstall; every other topic is for installed shops only. */
export const AFTER_UNINSTALL_TOPICS: ReadonlySet<string> = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

const MYSHOPIFY = /^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$/;

/**
 * A shop's permanent domain as Shopify issues it (`name.myshopify.com`, lower case, at
 * most 60 characters before the suffix), or a subdomain of the configured custom domain
 * (SHOP_CUSTOM_DOMAIN, as @shopify/shopify-api's customShopDomains treats it).
 */
export function isShopDomain(domain: string, customDomain?: string): boolean {
  if (MYSHOPIFY.test(domain)) return true;
  if (!customDomain) return false;
  const suffix = `.${customDomain.toLowerCase()}`;
  return domain.length <= 255 && domain.endsWith(suffix) && /^[a-z0-9][a-z0-9-]{0,59}$/.test(domain.slice(0, -suffix.length));
}

/** Whether a JSON text nests objects and arrays deeper than `max`. One pass, strings skipped. */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** X-Shopify-Triggered-At: absent is null; present it must be an ISO 8601 instant. */
export function parseTriggeredAt(header: string | null | undefined): Date | null | "invalid" {
  if (header === null || header === undefined || header === "") return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(header)) return "invalid";
  const at = new Date(header);
  return Number.isNaN(at.getTime()) ? "invalid" : at;
}

export interface KnownShop {
  id: number;
  shopifyId: bigint | null;
  uninstalledAt: Date | null;
}

export type Verdict = { accept: true } | { accept: false; reason: string };

const text = (value: unknown) => (typeof value === "string" || typeof value === "number" || typeof value === "bigint" ? String(value) : undefined);

/**
 * Whether a verified delivery may be recorded, given the route it came to, the shop
 * named in its header and what Patron holds for that shop (null: never installed).
 * Rejections are answered 200 and dropped: Shopify would not have sent them, so a
 * retry would not help. `payload` is the parsed body.
 */
export function admitDelivery(input: { route: WebhookRoute; topic: string; shop: string; payload: unknown; known: KnownShop | null; customDomain?: string }): Verdict {
  const { route, topic, shop, known } = input;
  if (!(ROUTE_TOPICS[route] as readonly string[]).includes(topic)) return { accept: false, reason: `topic ${topic} is not taken by the ${route} route` };
  if (!isShopDomain(shop, input.customDomain)) return { accept: false, reason: "the shop header is not a Shopify shop domain" };
  const payload = (input.payload ?? {}) as Record<string, unknown>;
  if (typeof payload !== "object" || Array.isArray(payload)) return { accept: false, reason: "the payload is not a JSON object" };
  // The body is what Shopify signed: where it names the shop, it must be the header's shop.
  const namedDomain = text(payload.shop_domain) ?? (topic === "app/uninstalled" ? text(payload.myshopify_domain) : undefined);
  if (namedDomain !== undefined && namedDomain !== shop) return { accept: false, reason: "the payload names another shop than the header" };
  const namedId = text(payload.shop_id) ?? (topic === "app/uninstalled" ? text(payload.id) : undefined);
  if (namedId !== undefined && known?.shopifyId != null && namedId !== known.shopifyId.toString()) {
    return { accept: false, reason: "the payload's shop id is not this shop's" };
  }
  if (!known) return { accept: false, reason: "no installation for this shop" };
  if (topic === "shop/redact") {
    return known.uninstalledAt ? { accept: true } : { accept: false, reason: "shop/redact for a shop that still has the app installed" };
  }
  if (known.uninstalledAt && !AFTER_UNINSTALL_TOPICS.has(topic)) return { accept: false, reason: "the shop has uninstalled the app" };
  return { accept: true };
}
