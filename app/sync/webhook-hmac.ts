import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Whether `hmacHeader` (X-Shopify-Hmac-Sha256: base64 of HMAC-SHA256 over the raw body
 * with the app's client secret, shopify.dev "Verify webhooks") signs `rawBody`. Compared
 * in constant time; a missing or malformed header is simply not a signature.
 */
export function verifyWebhookHmac(rawBody: Buffer | string, hmacHeader: string | null, secret: string): boolean {
  if (!hmacHeader) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(hmacHeader, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
