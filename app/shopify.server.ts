import "@shopify/shopify-app-remix/adapters/node";
import { InvalidShopError, LogSeverity } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { env } from "./env.server";
import { logger } from "./logger.server";
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

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  logger: {
    level: LogSeverity.Info,
    timestamps: false,
    log: (severity, message) => libraryLog[severity](message),
  },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await onInstalled(prisma, session.shop, session.scope ?? null);
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
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
