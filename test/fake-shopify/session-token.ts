import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
}

export interface MintOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  ttlSeconds?: number;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  sessionId?: string;
}

const b64url = (value: Buffer | string): string => Buffer.from(value).toString("base64url");

/** An App Bridge session token: HS256 over the API secret, one minute of life. */
export function mintSessionToken(options: MintOptions): string {
  const iat = options.now ?? Math.floor(Date.now() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "42",
    exp: iat + (options.ttlSeconds ?? 60),
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: options.sessionId ?? randomUUID(),
  };
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", options.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

export class SessionTokenError extends Error {}

const CLOCK_TOLERANCE_SECONDS = 10;

/** Verifies as Shopify does: signature, alg, audience, time window with 10 s of tolerance. */
export function verifySessionToken(token: string, apiKey: string, apiSecret: string, nowSeconds = Math.floor(Date.now() / 1000)): SessionTokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new SessionTokenError("Malformed token");
  const [header, payload, signature] = parts;
  let head: { alg?: string };
  let claims: SessionTokenClaims;
  try {
    head = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string };
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionTokenClaims;
  } catch {
    throw new SessionTokenError("Malformed token");
  }
  if (head.alg !== "HS256") throw new SessionTokenError("Unsupported algorithm");
  const expected = createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SessionTokenError("Signature verification failed");
  if (claims.aud !== apiKey) throw new SessionTokenError("Token audience does not match the API key");
  if (claims.exp + CLOCK_TOLERANCE_SECONDS < nowSeconds) throw new SessionTokenError("Token expired");
  if (claims.nbf - CLOCK_TOLERANCE_SECONDS > nowSeconds) throw new SessionTokenError("Token not yet valid");
  if (claims.dest !== claims.iss.replace(/\/admin$/, "")) throw new SessionTokenError("Token issuer and destination disagree");
  return claims;
}
