import { describe, expect, it } from "vitest";
import prisma from "../db.server";
import { isPermanentDatabaseError } from "./db-errors";

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe("database error classification", () => {
  it("calls data PostgreSQL refuses permanent: out-of-range numbers, impossible dates, NUL bytes, invalid values", async () => {
    expect(isPermanentDatabaseError(await failure(prisma.$queryRawUnsafe(`SELECT '9223372036854775808'::bigint`)))).toBe(true);
    expect(isPermanentDatabaseError(await failure(prisma.$queryRawUnsafe(`SELECT '2026-02-30'::date`)))).toBe(true);
    expect(isPermanentDatabaseError(await failure(prisma.$queryRawUnsafe(`SELECT $1::jsonb`, '{"a":"\\u0000"}')))).toBe(true);
    expect(isPermanentDatabaseError(await failure(prisma.shop.create({ data: { domain: "x.myshopify.com", currency: "USD", installedAt: new Date(Number.NaN) } })))).toBe(true);
  });

  it("calls outages and races retryable", async () => {
    const { createPrismaClient } = await import("../db.server");
    const down = createPrismaClient("postgresql://postgres@127.0.0.1:9/patron");
    try {
      expect(isPermanentDatabaseError(await failure(down.$queryRawUnsafe("SELECT 1")))).toBe(false);
    } finally {
      await down.$disconnect();
    }
    expect(isPermanentDatabaseError(new Error("Connection terminated unexpectedly"))).toBe(false);
    expect(isPermanentDatabaseError({ code: "40001", message: "could not serialize access" })).toBe(false);
  });
});
