import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://patron.example",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/patron",
};

describe("environment parsing", () => {
  it("accepts a complete environment and fills the defaults", () => {
    const env = parseEnv(valid);
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.QUEUE_PREFIX).toBe("patron");
    expect(env.SCOPES).toContain("read_all_orders");
    expect(env.NODE_ENV).toBe("development");
  });

  it("splits SCOPES on commas", () => {
    expect(parseEnv({ ...valid, SCOPES: "read_orders, write_customers" }).SCOPES).toEqual([
      "read_orders",
      "write_customers",
    ]);
  });

  it("names every missing variable", () => {
    const { SHOPIFY_API_SECRET: _secret, DATABASE_URL: _db, ...partial } = valid;
    expect(() => parseEnv(partial)).toThrow(EnvError);
    expect(() => parseEnv(partial)).toThrow(/SHOPIFY_API_SECRET: is missing[\s\S]*DATABASE_URL: is missing|DATABASE_URL: is missing[\s\S]*SHOPIFY_API_SECRET: is missing/);
  });

  it("treats an empty string as missing", () => {
    expect(() => parseEnv({ ...valid, SHOPIFY_API_KEY: "" })).toThrow(/SHOPIFY_API_KEY: is missing/);
  });

  it("rejects a malformed value and says what is wrong with it", () => {
    expect(() => parseEnv({ ...valid, DATABASE_URL: "mysql://localhost/db" })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => parseEnv({ ...valid, REDIS_URL: "not a url" })).toThrow(/REDIS_URL/);
    expect(() => parseEnv({ ...valid, LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ ...valid, QUEUE_PREFIX: "a:b" })).toThrow(/QUEUE_PREFIX: may hold only/);
  });

  it("never echoes a secret's value in its message", () => {
    try {
      parseEnv({ ...valid, SHOPIFY_API_SECRET: "super-secret-value", DATABASE_URL: "nope" });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain("super-secret-value");
    }
  });
});
