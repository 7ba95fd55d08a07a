// Test-only preload for a worker child process: `tsx --import ./test/support/route-to-fake.ts app/worker/main.server.ts`.
// The library sets its fetch when its modules are first evaluated (the server entry
// resets it too), so they are evaluated here first, then redirected.
import "@shopify/shopify-app-remix/adapters/node";
import "@shopify/shopify-app-remix/server";
import { routeShopifyToFake } from "../fake-shopify/route-fetch";

const url = process.env.FAKE_SHOPIFY_URL;
if (!url) throw new Error("FAKE_SHOPIFY_URL is required by test/support/route-to-fake.ts");
routeShopifyToFake(url);
