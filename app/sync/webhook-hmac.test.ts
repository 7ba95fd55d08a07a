import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhookHmac } from "./webhook-hmac";

const secret = "shpss_test_secret";
const body = '{"id":820982911946154508,"note":"café"}';
const sign = (text: string, key = secret) => createHmac("sha256", key).update(text, "utf8").digest("base64");

describe("webhook HMAC", () => {
  it("accepts the signature Shopify computes over the raw body, as text or bytes", () => {
    expect(verifyWebhookHmac(body, sign(body), secret)).toBe(true);
    expect(verifyWebhookHmac(Buffer.from(body, "utf8"), sign(body), secret)).toBe(true);
  });

  it("refuses another secret, a changed body, and a missing, empty, truncated or non-base64 header", () => {
    expect(verifyWebhookHmac(body, sign(body, "other"), secret)).toBe(false);
    expect(verifyWebhookHmac(body.replace("café", "cafe"), sign(body), secret)).toBe(false);
    for (const header of [null, "", sign(body).slice(0, 20), "not base64 at all!"]) expect(verifyWebhookHmac(body, header, secret)).toBe(false);
  });
});
