import "@shopify/shopify-app-remix/adapters/node";
import { InvalidShopError, LogSeverity, type Session, shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { env } from "./env.server";
import { logger } from "./logger.server";
import type { GraphqlFn } from "./shopify/admin-graphql.server";
import { createOfflineTokens } from "./shopify/offline-tokens.server";
import { RenewingSessionStorage } from "./shopify/session-storage.server";
import { onInstalled } from "./sync/install.server";

const config = env();

const libraryLogger = logger.child({ component: "shopify-app" });
const libraryLog: Record<LogSeverity, (message: string) => void> = {
  [LogSeverity.Error]: (m) => libraryLogger.error(m),
  [LogSeverity.Warning]: (m) => libraryLogger.warn(m),
  [LogSeverity.Info]: (m) => libraryLogger.debug(m),
  [LogSeverity.Debug]: (m) => libraryLogger.trace(m),
};

export const API_VERSION = ApiVersion.July26;

const customShopDomains = config.SHOP_CUSTOM_DOMAIN ? [config.SHOP_CUSTOM_DOMAIN] : undefined;
const libraryLogging = {
  level: LogSeverity.Info,
  timestamps: false,
  log: (severity: LogSeverity, message: string) => libraryLog[severity](message),
};

// shopify-app-remix keeps its shopifyApi instance to itself; this one, with the same
// credentials, serves the refresh grant and the migration of non-expiring tokens.
const authApi = shopifyApi({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES,
  hostName: new URL(config.SHOPIFY_APP_URL).host,
  hostScheme: new URL(config.SHOPIFY_APP_URL).protocol === "http:" ? "http" : "https",
  isEmbeddedApp: true,
  logger: libraryLogging,
  ...(customShopDomains ? { customShopDomains } : {}),
});

/** Valid offline tokens for background work: one renewal per shop across every process. */
export const offlineTokens = createOfflineTokens({
  db: prisma,
  refresh: async (shop, refreshToken) => (await authApi.auth.refreshToken({ shop, refreshToken })).session,
  migrate: async (shop, nonExpiringOfflineAccessToken) => (await authApi.auth.migrateToExpiringToken({ shop, nonExpiringOfflineAccessToken })).session,
});

/** Admin GraphQL over one session, answering a Response as shopify-app-remix's admin.graphql does. */
export function graphqlFor(session: Session): GraphqlFn {
  const client = new authApi.clients.Graphql({ session, apiVersion: API_VERSION });
  return async (query, options) => new Response(JSON.stringify(await client.request(query, { variables: options?.variables })));
}

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new RenewingSessionStorage(new PrismaSessionStorage(prisma), prisma, () => offlineTokens),
  distribution: AppDistribution.AppStore,
  logger: libraryLogging,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await onInstalled(prisma, session.shop, session.scope ?? null);
    },
  },
  ...(customShopDomains ? { customShopDomains } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
// A session token signed with the app's secret but naming no Shopify shop (its `dest`)
// makes the library throw InvalidShopError, or a TypeError when `dest` is no URL at all:
// a bad request, not a server error.
const authenticateAdmin: typeof shopify.authenticate.admin = async (request) => {
  try {
    return await shopify.authenticate.admin(request);
  } catch (error) {
    const badUrl = error instanceof TypeError && (error as { code?: string }).code === "ERR_INVALID_URL";
    if (error instanceof InvalidShopError || badUrl) throw new Response("The session token does not name a Shopify shop", { status: 400 });
    throw error;
  }
};
export const authenticate = { ...shopify.authenticate, admin: authenticateAdmin };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
