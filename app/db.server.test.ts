import { describe, expect, it } from "vitest";
import prisma, { createPrismaClient } from "./db.server";

function within<T>(ms: number, work: Promise<T>): Promise<T | "still waiting"> {
  return Promise.race([work, new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), ms).unref())]);
}

describe("the database client", () => {
  it("gets its connection back when PostgreSQL drops it mid-transaction, so the pool keeps its size and disconnect returns", async () => {
    const client = createPrismaClient(process.env.DATABASE_URL!, 2, 5_000);
    // Given a transaction whose connection PostgreSQL terminates (as on a restart)
    const transaction = client.$transaction(async (tx) => {
      const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await prisma.$queryRaw`select pg_terminate_backend(${pid}::int)`;
      await tx.$queryRaw`select 1`;
    });
    await expect(transaction).rejects.toThrow();

    // then both of the pool's connections still serve queries at once
    const both = Promise.all([client.$queryRaw`select 1 from pg_sleep(0.05)`, client.$queryRaw`select 1 from pg_sleep(0.05)`]);
    await expect(within(4_000, both.then(() => "served"))).resolves.toBe("served");
    // and disconnecting does not wait on the dropped connection
    await expect(within(4_000, client.$disconnect().then(() => "disconnected"))).resolves.toBe("disconnected");
  });

  it("fails a query that waits longer than its bound for a connection, naming the wait", async () => {
    const client = createPrismaClient(process.env.DATABASE_URL!, 1, 300);
    let started!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    const holder = client.$transaction(async (tx) => {
      started();
      await tx.$queryRaw`select 1 from pg_sleep(1)`;
    });
    await holding;
    await expect(client.$queryRaw`select 1`).rejects.toThrow(/timeout/i);
    await holder;
    await client.$disconnect();
  });
});
