import { Session } from "@shopify/shopify-api";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import prisma from "../../app/db.server";
import { env } from "../../app/env.server";
import { sessionStorage } from "../../app/shopify.server";
import { recordInstall } from "../../app/shops.server";
import type { FakeShopify } from "../fake-shopify/server";

// Embedded admin requests as App Bridge makes them, for route loader and action
// tests: a session token signed with the app's secret, and an offline session
// stored for the shop so no token exchange is needed.

/** Stores an offline session (an expiring token with an hour left) and the shop row; returns the shop's id. */
export async function installTestShop(domain: string): Promise<number> {
  const scopes = env().SCOPES.join(",");
  await storeOfflineSession(domain, {
    accessToken: `token-for-${domain}`,
    scope: scopes,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    refreshToken: `refresh-for-${domain}`,
    refreshTokenExpiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
  });
  return (await recordInstall(prisma, { domain, scopes })).id;
}

/** Stores the shop's offline session from a token pair (the fake's control.issueToken answer). */
export async function storeOfflineSession(
  domain: string,
  token: { accessToken: string; scope: string; expiresAt: string | null; refreshToken: string | null; refreshTokenExpiresAt: string | null },
): Promise<void> {
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${domain}`,
      shop: domain,
      state: "installed",
      isOnline: false,
      scope: token.scope,
      accessToken: token.accessToken,
      expires: token.expiresAt ? new Date(token.expiresAt) : undefined,
      refreshToken: token.refreshToken ?? undefined,
      refreshTokenExpires: token.refreshTokenExpiresAt ? new Date(token.refreshTokenExpiresAt) : undefined,
    }),
  );
}

export async function sessionToken(domain: string, secret = env().SHOPIFY_API_SECRET): Promise<string> {
  const { token } = await getJwt(domain.replace(/\.myshopify\.com$/, ""), env().SHOPIFY_API_KEY, secret);
  return token;
}

/** A fetch-style request from the embedded app (Authorization: Bearer <session token>). */
export async function adminRequest(domain: string, path: string, init: RequestInit = {}): Promise<Request> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${await sessionToken(domain)}`);
  if (!headers.has("Accept")) headers.set("Accept", "application/json");
  return new Request(new URL(path, env().SHOPIFY_APP_URL), { ...init, headers });
}

/** A form POST to a route action, as a Remix <Form> submits it. */
export async function adminFormPost(domain: string, path: string, fields: Record<string, string | string[]>): Promise<Request> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return adminRequest(domain, path, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

/** The Response a loader or action threw, or a failure if it returned. */
export async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected the route to throw a Response, but it returned");
}

/**
 * A shop installed as the admin route tests need it: its row, an offline session holding
 * the fake's token, the fake store's customers and orders stored, and scored as of the
 * store's own asOf. Returns the shop's id.
 */
export async function installScoredShop(fake: FakeShopify, domain: string): Promise<number> {
  // Imported here: a test file may set process.env before the app's modules first read it.
  const [{ seedStore }, { rescoreShop }] = await Promise.all([import("./seed-store"), import("../../app/scores/rescore.server")]);
  const id = await installTestShop(domain);
  await storeOfflineSession(domain, fake.control.issueToken(domain));
  const store = fake.control.shop(domain).data;
  await seedStore(prisma, store);
  await rescoreShop(prisma, id, "backfill", new Date(store.truth.asOf));
  return id;
}
