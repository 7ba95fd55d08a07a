import "@shopify/shopify-app-remix/adapters/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopifyApp, ApiVersion, Session } from "@shopify/shopify-app-remix/server";
import { shopifyApi, RequestedTokenType } from "@shopify/shopify-api";
import { routeShopifyToFake } from "./route-fetch";
import { mintSessionToken, verifySessionToken } from "./session-token";
import { API_KEY, API_SECRET, SHOP, startHarness, type Harness } from "./fixtures/harness";
import { smallStore } from "./fixtures/small-store";

const OTHER = "other-shop.myshopify.com";

class MemorySessions {
  readonly sessions = new Map<string, Session>();
  async storeSession(session: Session) {
    this.sessions.set(session.id, session);
    return true;
  }
  async loadSession(id: string) {
    return this.sessions.get(id);
  }
  async deleteSession(id: string) {
    return this.sessions.delete(id);
  }
  async deleteSessions(ids: string[]) {
    ids.forEach((id) => this.sessions.delete(id));
    return true;
  }
  async findSessionsByShop(shop: string) {
    return [...this.sessions.values()].filter((s) => s.shop === shop);
  }
}

describe("OAuth, session tokens and routing the Shopify libraries to the fake", () => {
  let h: Harness;
  let restore: () => void;
  const api = shopifyApi({ apiKey: API_KEY, apiSecretKey: API_SECRET, apiVersion: ApiVersion.July26, hostName: "app.example.com", isEmbeddedApp: true, scopes: ["read_customers"], logger: { level: 0 } });

  beforeAll(async () => {
    h = await startHarness({ appUrl: "https://app.example.com", shops: [smallStore(SHOP), smallStore(OTHER)] });
    restore = routeShopifyToFake(h.fake.url);
  });
  afterAll(async () => {
    restore();
    await h.fake.close();
  });

  it("mints session tokens that @shopify/shopify-api decodes", async () => {
    const token = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: "77" });
    const payload = await api.session.decodeSessionToken(token);
    expect(payload).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY, sub: "77" });
    expect(typeof payload.jti).toBe("string");
    expect(typeof payload.sid).toBe("string");
    await expect(api.session.decodeSessionToken(mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "wrong" }))).rejects.toThrow();
    const expired = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, now: Math.floor(Date.now() / 1000) - 120 });
    expect(() => verifySessionToken(expired, API_KEY, API_SECRET)).toThrow(/expired/);
  });

  it("exchanges a session token for an offline token the Admin API accepts for that shop only", async () => {
    const sessionToken = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    const { session } = await api.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.isOnline).toBe(false);
    const client = new api.clients.Graphql({ session });
    const response = await client.request(`{ shop { myshopifyDomain } }`);
    expect(response.data).toEqual({ shop: { myshopifyDomain: SHOP } });
    expect((response.extensions as { cost: { requestedQueryCost: number } }).cost.requestedQueryCost).toBe(1);
    const stolen = new Session({ id: "x", shop: OTHER, state: "", isOnline: false, accessToken: session.accessToken });
    await expect(new api.clients.Graphql({ session: stolen }).request(`{ shop { id } }`)).rejects.toThrow(/401|Invalid API key or access token/);
  });

  it("issues online tokens with the associated user", async () => {
    const sessionToken = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: "501" });
    const { session } = await api.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OnlineAccessToken });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(501);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now());
  });

  it("rejects a session token minted for another shop or signed with another secret", async () => {
    const forOther = mintSessionToken({ shop: OTHER, apiKey: API_KEY, apiSecret: API_SECRET });
    const response = await fetch(`${h.fake.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-fake-shop-domain": SHOP },
      body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: forOther, subject_token_type: "urn:ietf:params:oauth:token-type:id_token", requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_subject_token" });
  });

  it("runs the authorization-code grant with an HMAC-signed redirect", async () => {
    const authorize = await fetch(`${h.fake.url}/admin/oauth/authorize?client_id=${API_KEY}&scope=read_customers&redirect_uri=${encodeURIComponent("https://app.example.com/auth/callback")}&state=nonce-1`, {
      headers: { "x-fake-shop-domain": SHOP },
      redirect: "manual",
    });
    expect(authorize.status).toBe(302);
    const callback = new URL(authorize.headers.get("location")!);
    expect(callback.origin + callback.pathname).toBe("https://app.example.com/auth/callback");
    expect(callback.searchParams.get("state")).toBe("nonce-1");
    expect(callback.searchParams.get("shop")).toBe(SHOP);
    expect(await api.utils.validateHmac(Object.fromEntries(callback.searchParams) as never)).toBe(true);
    const exchange = await fetch(`${h.fake.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-fake-shop-domain": SHOP },
      body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, code: callback.searchParams.get("code") }),
    });
    const { access_token, scope } = (await exchange.json()) as { access_token: string; scope: string };
    expect(scope).toBe("read_customers");
    expect((await h.gql(`{ shop { id } }`, {}, { token: access_token })).status).toBe(200);
    const replay = await fetch(`${h.fake.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-fake-shop-domain": SHOP },
      body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, code: callback.searchParams.get("code") }),
    });
    expect(replay.status).toBe(400);
  });

  it("reaches the fake from shopify-app-remix's unauthenticated.admin, set up after its adapters are imported", async () => {
    const sessions = new MemorySessions();
    const app = shopifyApp({ apiKey: API_KEY, apiSecretKey: API_SECRET, appUrl: "https://app.example.com", scopes: ["read_customers"], apiVersion: ApiVersion.July26, sessionStorage: sessions, logger: { level: 0 } });
    const { accessToken } = h.fake.control.issueToken(SHOP);
    await sessions.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken }));
    const { admin } = await app.unauthenticated.admin(SHOP);
    const response = await admin.graphql(`{ customers(first: 1) { nodes { firstName } } }`);
    expect(await response.json()).toMatchObject({ data: { customers: { nodes: [{ firstName: "Ada" }] } } });
  });

  it("refreshes an expiring offline token and retires the old refresh token", async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${h.fake.url}/admin/oauth/access_token`, { method: "POST", headers: { "Content-Type": "application/json", "x-fake-shop-domain": SHOP }, body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, ...body }) });
    const sessionToken = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    const first = (await (await post({ grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: sessionToken, subject_token_type: "urn:ietf:params:oauth:token-type:id_token", requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token", expiring: "1" })).json()) as Record<string, string | number>;
    expect(first).toMatchObject({ expires_in: 3600, refresh_token_expires_in: 7776000 });
    const refreshed = (await (await post({ grant_type: "refresh_token", refresh_token: String(first.refresh_token) })).json()) as Record<string, string>;
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect((await h.gql(`{ shop { id } }`, {}, { token: refreshed.access_token })).status).toBe(200);
    expect((await h.gql(`{ shop { id } }`, {}, { token: String(first.access_token) })).status).toBe(200);
    // Once its replacement has been used, the first refresh token is retired.
    const next = await post({ grant_type: "refresh_token", refresh_token: refreshed.refresh_token });
    expect(next.status).toBe(200);
    const retired = await post({ grant_type: "refresh_token", refresh_token: String(first.refresh_token) });
    expect(retired.status).toBe(400);
    expect(await retired.json()).toMatchObject({ error: "invalid_grant", error_description: expect.any(String) });
  });

  it("keeps a refresh token usable until its replacement is first used, so a lost answer is recovered", async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${h.fake.url}/admin/oauth/access_token`, { method: "POST", headers: { "Content-Type": "application/json", "x-fake-shop-domain": SHOP }, body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, ...body }) });
    const issued = h.fake.control.issueToken(SHOP);
    h.fake.control.loseTokenAnswers(SHOP, 1);
    await expect(post({ grant_type: "refresh_token", refresh_token: issued.refreshToken! })).rejects.toThrow();
    const retry = (await (await post({ grant_type: "refresh_token", refresh_token: issued.refreshToken! })).json()) as Record<string, string>;
    expect(retry.access_token).toMatch(/^shpat_/);
    expect((await h.gql(`{ shop { id } }`, {}, { token: retry.access_token })).status).toBe(200);
    expect(h.fake.control.tokenStats(SHOP).refreshes).toBeGreaterThanOrEqual(2);
  });

  it("refuses revoked and expired refresh tokens with Shopify's OAuth error shape", async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${h.fake.url}/admin/oauth/access_token`, { method: "POST", headers: { "Content-Type": "application/json", "x-fake-shop-domain": SHOP }, body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, ...body }) });
    const issued = h.fake.control.issueToken(SHOP);
    h.fake.control.revokeRefreshTokens(SHOP);
    const revoked = await post({ grant_type: "refresh_token", refresh_token: issued.refreshToken! });
    expect(revoked.status).toBe(400);
    expect(await revoked.json()).toEqual({ error: "invalid_grant", error_description: "The refresh token has been revoked." });
    expect((await h.gql(`{ shop { id } }`, {}, { token: issued.accessToken })).status).toBe(200);
    h.fake.control.expireAccessTokens(SHOP);
    expect((await h.gql(`{ shop { id } }`, {}, { token: issued.accessToken })).status).toBe(401);
  });

  it("migrates a non-expiring offline token by token exchange, and answers a retry with the same pair", async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${h.fake.url}/admin/oauth/access_token`, { method: "POST", headers: { "Content-Type": "application/json", "x-fake-shop-domain": SHOP }, body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, ...body }) });
    const legacy = h.fake.control.issueToken(SHOP, { expiring: false });
    expect(legacy.expiresAt).toBeNull();
    const exchange = {
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: legacy.accessToken,
      subject_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    };
    const first = (await (await post(exchange)).json()) as Record<string, string | number>;
    expect(first).toMatchObject({ expires_in: 3600, refresh_token: expect.stringMatching(/^shprt_/) });
    expect((await h.gql(`{ shop { id } }`, {}, { token: legacy.accessToken })).status).toBe(401);
    const again = (await (await post(exchange)).json()) as Record<string, string | number>;
    expect(again.access_token).toBe(first.access_token);
    expect(again.refresh_token).toBe(first.refresh_token);
    // Once the pair is refreshed, the original token can no longer be exchanged.
    expect((await post({ grant_type: "refresh_token", refresh_token: String(first.refresh_token) })).status).toBe(200);
    expect((await post(exchange)).status).toBe(400);
  });
});
