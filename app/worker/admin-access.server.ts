import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { unauthenticated } from "../shopify.server";

/** The worker's Admin API for a shop: its offline session, throttled. Null when uninstalled. */
export async function adminFor(shop: string) {
  try {
    const { admin, session } = await unauthenticated.admin(shop);
    return { admin: throttledAdmin(admin.graphql, { shop }), scopes: session.scope ?? null };
  } catch (error) {
    if (error instanceof SessionNotFoundError) return null;
    throw error;
  }
}
