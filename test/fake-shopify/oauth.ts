import { createHmac, randomBytes } from "node:crypto";
import type { Clock } from "./util/clock";
import { isRefusal, type TokenRefusal, type TokenRegistry } from "./tokens";
import { SessionTokenError, verifySessionToken } from "./session-token";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface OAuthOptions {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: () => string[];
  clock: Clock;
  tokens: TokenRegistry;
  onInstalled: (shop: string) => void;
  /**
   * "expiring" (default): a public app created since 2026-04-01, whose offline tokens
   * always expire. "as-requested": an older app, which gets non-expiring offline tokens
   * unless it asks with `expiring=1` (how a Patron install from before the switch looks).
   */
  offlineTokens?: "expiring" | "as-requested";
}

export interface HttpResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** The grant was carried out but its answer is lost: the connection is cut instead. */
  lose?: boolean;
}

interface Grant {
  shop: string;
  scope: string[];
  online: boolean;
  expiresAt: number;
}

/** Shopify signs OAuth redirects like shopify-api verifies them: hex HMAC over the sorted query. */
export function signQuery(params: Record<string, string>, secret: string): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) query.append(key, params[key]);
  return createHmac("sha256", secret).update(query.toString().replace(/\+/g, "%20")).digest("hex");
}

const oauthError = (status: number, error: string, description: string): HttpResult => ({ status, body: { error, error_description: description } });
const refusal = (r: TokenRefusal): HttpResult => oauthError(400, r.error, r.description);

export class OAuthServer {
  private readonly grants = new Map<string, Grant>();
  private readonly lostAnswers = new Map<string, number>();

  constructor(private readonly options: OAuthOptions) {}

  authorize(shop: string, query: URLSearchParams): HttpResult {
    if (query.get("client_id") !== this.options.apiKey) return { status: 400, body: { error: "invalid_request", error_description: "Invalid client_id" } };
    const redirect = query.get("redirect_uri");
    let redirectUrl: URL;
    try {
      redirectUrl = new URL(redirect ?? "");
    } catch {
      return oauthError(400, "invalid_request", "The redirect_uri is missing or invalid");
    }
    if (redirectUrl.host !== new URL(this.options.appUrl).host) return oauthError(400, "invalid_request", "The redirect_uri is not whitelisted");
    const code = randomBytes(16).toString("hex");
    const requested = (query.get("scope") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    this.grants.set(code, {
      shop,
      scope: requested.length > 0 ? requested : this.options.scopes(),
      online: query.getAll("grant_options[]").includes("per-user"),
      expiresAt: this.options.clock.now() + 10 * 60_000,
    });
    const params: Record<string, string> = {
      code,
      host: Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url"),
      shop,
      state: query.get("state") ?? "",
      timestamp: String(Math.floor(this.options.clock.now() / 1000)),
    };
    const hmac = signQuery(params, this.options.apiSecret);
    for (const [key, value] of Object.entries({ ...params, hmac })) redirectUrl.searchParams.set(key, value);
    return { status: 302, headers: { Location: redirectUrl.toString() } };
  }

  /** The next `count` refresh or migration answers for `shop` are lost after Shopify has issued the pair. */
  loseAnswers(shop: string, count: number): void {
    this.lostAnswers.set(shop, count);
  }

  private maybeLose(shop: string, result: HttpResult): HttpResult {
    const left = this.lostAnswers.get(shop) ?? 0;
    if (left <= 0 || result.status !== 200) return result;
    this.lostAnswers.set(shop, left - 1);
    return { ...result, lose: true };
  }

  accessToken(shop: string, body: Record<string, string>): HttpResult {
    if (body.client_id !== this.options.apiKey || body.client_secret !== this.options.apiSecret) {
      return oauthError(401, "invalid_client", "Client authentication failed");
    }
    if (body.grant_type === TOKEN_EXCHANGE_GRANT && body.subject_token_type === OFFLINE_TOKEN_TYPE) return this.maybeLose(shop, this.migrate(shop, body));
    if (body.grant_type === TOKEN_EXCHANGE_GRANT) return this.tokenExchange(shop, body);
    if (body.grant_type === "refresh_token") {
      if (!body.refresh_token) return oauthError(400, "invalid_request", "refresh_token is required");
      const record = this.options.tokens.refresh(body.refresh_token, shop);
      return this.maybeLose(shop, isRefusal(record) ? refusal(record) : { status: 200, body: this.offlineBody(record) });
    }
    const grant = this.grants.get(body.code ?? "");
    this.grants.delete(body.code ?? "");
    if (!grant || grant.shop !== shop || grant.expiresAt < this.options.clock.now()) {
      return oauthError(400, "invalid_request", "The authorization code was not found or was already used");
    }
    return this.issue(shop, grant.scope, grant.online, "42", this.expiring(body));
  }

  private expiring(body: Record<string, string>): boolean {
    return (this.options.offlineTokens ?? "expiring") === "expiring" || body.expiring === "1";
  }

  private migrate(shop: string, body: Record<string, string>): HttpResult {
    if (body.requested_token_type !== OFFLINE_TOKEN_TYPE || body.expiring !== "1") {
      return oauthError(400, "invalid_request", "Migrating an offline token needs requested_token_type offline-access-token and expiring=1");
    }
    const record = this.options.tokens.migrate(body.subject_token ?? "", shop);
    return isRefusal(record) ? refusal(record) : { status: 200, body: this.offlineBody(record) };
  }

  private tokenExchange(shop: string, body: Record<string, string>): HttpResult {
    if (body.subject_token_type !== ID_TOKEN_TYPE) return oauthError(400, "invalid_request", "subject_token_type must be an id_token");
    let claims;
    try {
      claims = verifySessionToken(body.subject_token ?? "", this.options.apiKey, this.options.apiSecret, Math.floor(this.options.clock.now() / 1000));
    } catch (error) {
      return oauthError(400, "invalid_subject_token", error instanceof SessionTokenError ? error.message : "Invalid subject token");
    }
    if (claims.dest !== `https://${shop}`) return oauthError(400, "invalid_subject_token", "The subject token was issued for another shop");
    const online = body.requested_token_type === ONLINE_TOKEN_TYPE;
    if (!online && body.requested_token_type !== OFFLINE_TOKEN_TYPE) return oauthError(400, "invalid_request", "Unsupported requested_token_type");
    return this.issue(shop, this.options.scopes(), online, claims.sub, this.expiring(body));
  }

  private issue(shop: string, scope: string[], online: boolean, userId: string, expiring: boolean): HttpResult {
    const record = this.options.tokens.issue({ shop, scope, online, userId, expiring });
    this.options.onInstalled(shop);
    if (!online) return { status: 200, body: this.offlineBody(record) };
    return {
      status: 200,
      body: {
        access_token: record.token,
        scope: scope.join(","),
        expires_in: Math.round(((record.expiresAt ?? 0) - this.options.clock.now()) / 1000),
        associated_user_scope: scope.join(","),
        session: randomBytes(16).toString("hex"),
        account_number: 0,
        associated_user: {
          id: Number(userId),
          first_name: "Fake",
          last_name: "Staff",
          email: `staff-${userId}@${shop}`,
          account_owner: userId === "42",
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      },
    };
  }

  private offlineBody(record: { token: string; scope: string[]; expiresAt: number | null; refreshToken: string | null; refreshExpiresAt: number | null }): Record<string, unknown> {
    const now = this.options.clock.now();
    return {
      access_token: record.token,
      scope: record.scope.join(","),
      ...(record.expiresAt !== null && { expires_in: Math.round((record.expiresAt - now) / 1000) }),
      ...(record.refreshToken && { refresh_token: record.refreshToken, refresh_token_expires_in: Math.round(((record.refreshExpiresAt ?? now) - now) / 1000) }),
    };
  }
}
