import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { writeReadableStreamToWritable } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { generateStore } from "../../test/fake-shopify/generator";
import { adminRequest, installTestShop } from "../../test/support/admin-request";
import { seedStore } from "../../test/support/seed-store";
import { customersCsv } from "../customers/export.server";
import { listFiltersSchema } from "../customers/list.server";
import prisma, { createPrismaClient } from "../db.server";
import { rescoreShop } from "../scores/rescore.server";
import { loader } from "./app.customers.export";

const SHOP = "export-a.myshopify.com";

/**
 * Serves one Response over real HTTP the way @remix-run/express's sendRemixResponse
 * does (writeReadableStreamToWritable), and reads it as a browser would.
 */
async function download(response: Response): Promise<{ status: number; text: string; aborted: boolean }> {
  const server = createServer((_req, res) => {
    res.writeHead(response.status, Object.fromEntries(response.headers));
    writeReadableStreamToWritable(response.body!, res).catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const decoder = new TextDecoder();
    let text = "";
    try {
      const reader = answer.body!.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
      return { status: answer.status, text, aborted: false };
    } catch {
      return { status: answer.status, text, aborted: true };
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const exportRequest = () => adminRequest(SHOP, "/app/customers/export?group=all", { headers: { Accept: "text/csv" } });

describe("customer CSV export", () => {
  beforeAll(async () => {
    const shopId = await installTestShop(SHOP);
    const store = generateStore({ seed: 5, shopDomain: SHOP, customers: 60 });
    await seedStore(prisma, store);
    await rescoreShop(prisma, shopId, "manual", new Date(store.truth.asOf));
  });

  it("streams every scored customer after the header row", async () => {
    const { status, text, aborted } = await download(await loader({ request: await exportRequest(), params: {}, context: {} }));
    expect(status).toBe(200);
    expect(aborted).toBe(false);
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toMatch(/^customer_id,first_name/);
    expect(lines.length - 1).toBe(await prisma.customerScore.count());
  });

  it("aborts the connection when the database fails after the header row, never a truncated 200", async () => {
    // Given the export has answered 200 with its header row, and then the database fails
    const response = await loader({ request: await exportRequest(), params: {}, context: {} });
    await prisma.$executeRawUnsafe(`ALTER TABLE "CustomerScore" RENAME TO "CustomerScoreAway"`);
    try {
      const { status, text, aborted } = await download(response);
      // then the browser sees a failed download, not a complete-looking file
      expect(status).toBe(200);
      expect(aborted).toBe(true);
      expect(text.trim().split("\r\n")).toHaveLength(1);
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE "CustomerScoreAway" RENAME TO "CustomerScore"`);
    }
  });

  it("aborts the connection when a page waits on the database past its timeout, rather than hanging", async () => {
    // Given another session holds the scores table locked, so the export's query waits
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
    const locker = createPrismaClient(process.env.DATABASE_URL!, 1);
    let release!: () => void;
    let locked!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const held = locker.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE "CustomerScore" IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    }, { timeout: 60_000 });
    try {
      await lockTaken;
      const { aborted } = await download(new Response(customersCsv(prisma, shopId, listFiltersSchema.parse({ group: "all" }), { pageTimeoutMs: 500 })));
      expect(aborted).toBe(true);
    } finally {
      release();
      await held;
      await locker.$disconnect();
    }
  });
});
