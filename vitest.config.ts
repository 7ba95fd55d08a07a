import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    exclude: ["test/e2e/**", "test/bench/**", "node_modules/**"],
    environment: "node",
    globalSetup: ["test/setup/global.ts"],
    setupFiles: ["test/setup/database.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
