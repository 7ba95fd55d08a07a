import { defineConfig } from "vitest/config";

// Browser tests: Debian's Chromium driven by playwright-core against `npm run demo`
// (the app, the worker and the fake Shopify on embedded defaults). `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 20 * 60_000,
  },
});
