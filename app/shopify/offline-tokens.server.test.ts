import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeOfflineSession } from "../../test/support/admin-request";
import { startFake } from "../../test/support/app-harness";
import { routeShopifyToFake } from "../../test/fake-shopify/route-fetch";
import type { FakeShopify } from "../../test/fake-shopify/server";
import prisma from "../db.server";
import { recordInstall } from "../shops.server";
import { graphqlFor } from "../shopify.server";
import { offlineGraphql } from "./offline-admin.server";
import { createOfflineTokens, offlineSessionId, type OfflineTokenDeps, ShopNeedsReauthError, TokenRenewalBusyError } from "./offline-tokens.server";

// OfflineTokens against the real database and the fake Shopify's token endpoint, through
// the app's own shopifyApi (the refresh grant and the migration are the library's).

let fake: FakeShopify;
let restoreFetch: () => void;
let seq = 0;

async function newShop(options: { expiring?: boolean } = {}) {
  const domain = `tokens-${++seq}.myshopify.com`;
  fake.control.createShop({ domain });
  const issued = fake.control.issueToken(domain, { expiring: options.expiring ?? true });
  await storeOfflineSession(domain, issued);
  await recordInstall(prisma, { domain, scopes: issued.scope });
  return { domain, issued };
}

/** One process's OfflineTokens: the app's library calls, its own single-flight. */
function tokensProcess(extra: Partial<OfflineTokenDeps> = {}) {
  return createOfflineTokens({
    db: prisma,
    refresh: (shop, refreshToken) => refreshThroughLibrary(shop, refreshToken),
    migrate: (shop, token) => migrateThroughLibrary(shop, token),
    ...extra,
  });
}

let refreshThroughLibrary: OfflineTokenDeps["refresh"];
let migrateThroughLibrary: OfflineTokenDeps["migrate"];

async function stored(domain: string) {
  return prisma.session.findUniqueOrThrow({ where: { id: offlineSessionId(domain) } });
}

beforeAll(async () => {
  fake = await startFake("http://127.0.0.1:9", []);
  restoreFetch = routeShopifyToFake(fake.url);
  const { shopifyApi } = await import("@shopify/shopify-api");
  const api = shopifyApi({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecretKey: process.env.SHOPIFY_API_SECRET!,
    apiVersion: "2026-07" as never,
    hostName: "patron.test",
    isEmbeddedApp: true,
    logger: { level: 0 },
  });
  refreshThroughLibrary = async (shop, refreshToken) => (await api.auth.refreshToken({ shop, refreshToken })).session;
  migrateThroughLibrary = async (shop, nonExpiringOfflineAccessToken) => (await api.auth.migrateToExpiringToken({ shop, nonExpiringOfflineAccessToken })).session;
});

afterAll(async () => {
  await fake?.close();
  restoreFetch?.();
});

describe("offline tokens", () => {
  it("hands out a token with time left as it is, and renews one about to expire, storing the new pair", async () => {
    const { domain, issued } = await newShop();
    const tokens = tokensProcess();
    expect((await tokens.session(domain))?.accessToken).toBe(issued.accessToken);
    expect(fake.control.tokenStats(domain).refreshes).toBe(0);

    // An hour later, as the app sees it
    const later = tokensProcess({ now: () => Date.now() + 3600_000 - 60_000 });
    const renewed = await later.session(domain);
    expect(renewed?.accessToken).not.toBe(issued.accessToken);
    const row = await stored(domain);
    expect(row.accessToken).toBe(renewed?.accessToken);
    expect(row.refreshToken).not.toBe(issued.refreshToken);
    expect(row.expires!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(fake.control.tokenStats(domain).refreshes).toBe(1);
    // and the new token opens the Admin API
    const access = await offlineGraphql(domain, { tokens: later, clientFor: graphqlFor });
    expect((await (await access!.graphql(`{ shop { myshopifyDomain } }`)).json()).data.shop.myshopifyDomain).toBe(domain);
  });

  it("renews once when four processes find the token expired at the same moment, and all of them use the new pair", async () => {
    const { domain } = await newShop();
    await prisma.session.update({ where: { id: offlineSessionId(domain) }, data: { expires: new Date(Date.now() - 1000) } });
    fake.control.expireAccessTokens(domain);
    const processes = [tokensProcess(), tokensProcess(), tokensProcess(), tokensProcess()];
    const sessions = await Promise.all(processes.map((p) => p.session(domain)));
    expect(fake.control.tokenStats(domain).refreshes).toBe(1);
    expect(new Set(sessions.map((s) => s?.accessToken)).size).toBe(1);
    expect(sessions[0]?.accessToken).toBe((await stored(domain)).accessToken);
  });

  it("after a 401 renews once, unless another process already replaced the rejected token", async () => {
    const { domain, issued } = await newShop();
    fake.control.expireAccessTokens(domain);
    const a = tokensProcess();
    const b = tokensProcess();
    const [first, second] = await Promise.all([a.afterUnauthorized(domain, issued.accessToken), b.afterUnauthorized(domain, issued.accessToken)]);
    expect(first?.accessToken).toBe(second?.accessToken);
    expect(first?.accessToken).not.toBe(issued.accessToken);
    expect(fake.control.tokenStats(domain).refreshes).toBe(1);
    // A late 401 for the old token changes nothing more
    expect((await a.afterUnauthorized(domain, issued.accessToken))?.accessToken).toBe(first?.accessToken);
    expect(fake.control.tokenStats(domain).refreshes).toBe(1);
  });

  it("recovers a refresh whose answer was lost by refreshing again with the refresh token it kept", async () => {
    const { domain, issued } = await newShop();
    fake.control.expireAccessTokens(domain);
    fake.control.loseTokenAnswers(domain, 1);
    const tokens = tokensProcess();
    await expect(tokens.afterUnauthorized(domain, issued.accessToken)).rejects.toThrow();
    // Shopify issued a pair nobody received; the stored one is untouched
    expect((await stored(domain)).refreshToken).toBe(issued.refreshToken);
    const recovered = await tokens.afterUnauthorized(domain, issued.accessToken);
    expect(recovered?.accessToken).not.toBe(issued.accessToken);
    expect(fake.control.tokenStats(domain)).toMatchObject({ refreshes: 2, refusedRefreshes: 0 });
    const access = await offlineGraphql(domain, { tokens, clientFor: graphqlFor });
    expect((await access!.graphql(`{ shop { id } }`)).status).toBe(200);
  });

  it("flags the shop when Shopify refuses the refresh token, and asks Shopify no more", async () => {
    const { domain, issued } = await newShop();
    fake.control.revokeRefreshTokens(domain);
    fake.control.expireAccessTokens(domain);
    const tokens = tokensProcess();
    const refused = await tokens.afterUnauthorized(domain, issued.accessToken).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShopNeedsReauthError);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
    expect(shop.reauthNeededAt).not.toBeNull();
    expect(shop.reauthReason).toContain("invalid_grant");
    // The stored token is marked expired, so the merchant's next visit exchanges a new one
    expect((await stored(domain)).expires!.getTime()).toBeLessThanOrEqual(Date.now());
    for (let i = 0; i < 3; i++) await expect(tokens.session(domain)).rejects.toBeInstanceOf(ShopNeedsReauthError);
    expect(fake.control.tokenStats(domain).refusedRefreshes).toBe(1);
  });

  it("refuses without asking Shopify when the stored refresh token has expired", async () => {
    const { domain } = await newShop();
    await prisma.session.update({ where: { id: offlineSessionId(domain) }, data: { expires: new Date(Date.now() - 1000), refreshTokenExpires: new Date(Date.now() - 1000) } });
    await expect(tokensProcess().session(domain)).rejects.toMatchObject({ reason: "the refresh token expired" });
    expect(fake.control.tokenStats(domain).refusedRefreshes).toBe(0);
  });

  it("migrates a non-expiring session to an expiring pair by token exchange", async () => {
    const { domain, issued } = await newShop({ expiring: false });
    expect((await stored(domain)).expires).toBeNull();
    const session = await tokensProcess().session(domain);
    expect(session?.accessToken).not.toBe(issued.accessToken);
    const row = await stored(domain);
    expect(row.refreshToken).toMatch(/^shprt_/);
    expect(row.expires).not.toBeNull();
    expect(fake.control.tokenStats(domain).migrations).toBe(1);
  });

  it("waits a bounded time for another process's renewal, then says what it waited for", async () => {
    const { domain } = await newShop();
    await prisma.session.update({ where: { id: offlineSessionId(domain) }, data: { expires: new Date(Date.now() - 1000) } });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const taken = new Promise<void>((resolve) => (locked = resolve));
    // Another process holding the shop's renewal lock and never finishing in time
    const holder = prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(724013::int, hashtext(${domain}))`;
        locked();
        await held;
      },
      { timeout: 20_000 },
    );
    await taken;
    const error = await tokensProcess({ waitMs: 600 }).session(domain).catch((e: unknown) => e);
    release();
    await holder;
    expect(error).toBeInstanceOf(TokenRenewalBusyError);
    expect((error as Error).message).toContain(domain);
    expect(fake.control.tokenStats(domain).refreshes).toBe(0);
  });

  it("hands shopify-app-remix offline sessions without their refresh token, so the library never refreshes on its own", async () => {
    const { domain, issued } = await newShop();
    const { sessionStorage } = await import("../shopify.server");
    const loaded = await sessionStorage.loadSession(offlineSessionId(domain));
    expect(loaded?.accessToken).toBe(issued.accessToken);
    expect(loaded?.refreshToken).toBeUndefined();
    // The library blanking the token after a 401 keeps the stored refresh pair
    loaded!.accessToken = undefined;
    await sessionStorage.storeSession(loaded!);
    const row = await stored(domain);
    expect(row.accessToken).toBe("");
    expect(row.refreshToken).toBe(issued.refreshToken);
    // and a session the library got from a token exchange is stored whole
    await sessionStorage.storeSession(new Session({ id: offlineSessionId(domain), shop: domain, state: "", isOnline: false, accessToken: "shpat_new", refreshToken: "shprt_new" }));
    expect((await stored(domain)).refreshToken).toBe("shprt_new");
  });
});
