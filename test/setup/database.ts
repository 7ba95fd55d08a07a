import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { cloneTemplate, dropDatabase, randomDatabaseName } from "../support/postgres";

// Runs before every test file, before the file's own imports: each file gets its
// own database and queue prefix, and the app's environment points at them.
const database = randomDatabaseName();
process.env.DATABASE_URL = await cloneTemplate(database);
process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY ??= "patron-test-api-key";
process.env.SHOPIFY_API_SECRET ??= "patron-test-api-secret";
process.env.SHOPIFY_APP_URL ??= "https://patron.test";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.QUEUE_PREFIX = `test-${randomBytes(4).toString("hex")}`;
process.env.LOG_LEVEL ??= "silent";

afterAll(async () => {
  // The webhook ingest pool (app/sync/webhook-route.server.ts), when a test used it.
  await globalThis.patronIngest?.pool.end();
  globalThis.patronIngest = undefined;
  await globalThis.prismaGlobal?.$disconnect();
  globalThis.prismaGlobal = undefined;
  await dropDatabase(database);
});

// An unexpected console.error fails the test; a test that expects one calls
// expectConsoleError() first.
let errorSpy: ReturnType<typeof vi.spyOn> | undefined;
let consoleErrorExpected = false;

export function expectConsoleError() {
  consoleErrorExpected = true;
}

beforeEach(() => {
  consoleErrorExpected = false;
  errorSpy = vi.spyOn(console, "error");
});

afterEach(() => {
  const calls = errorSpy?.mock.calls ?? [];
  errorSpy?.mockRestore();
  if (calls.length > 0 && !consoleErrorExpected) {
    throw new Error(`Unexpected console.error: ${calls.map((c) => c.map(String).join(" ")).join("\n")}`);
  }
});
