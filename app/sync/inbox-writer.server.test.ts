import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../db.server";
import { recordInstall } from "../shops.server";
import { InboxDeadlineError, InboxOverloadedError, type InboxRow, InboxWriter, ShopGoneError, type Sql } from "./inbox-writer.server";

// The inbox's group-commit writer against the real PostgreSQL.

let pool: pg.Pool;
let shopId: number;
let n = 0;

const row = (patch: Partial<InboxRow> = {}): InboxRow => ({
  shopId,
  webhookId: `wh-writer-${++n}`,
  topic: "orders/create",
  apiVersion: "2026-07",
  eventId: null,
  triggeredAt: new Date("2026-11-30T08:00:00.123Z"),
  payload: `{"id": ${9007199254740993n + BigInt(n)}, "note": "café"}`,
  ...patch,
});

/** Counts statements, and can hold them until released. */
function gatedSql() {
  let open: () => void = () => undefined;
  let gate = Promise.resolve();
  const sql = {
    statements: 0,
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => open(),
    query<R>(text: string, values?: unknown[]) {
      sql.statements++;
      return gate.then(() => pool.query(text, values)) as Promise<{ rows: R[] }>;
    },
  };
  return sql satisfies Sql;
}

const far = () => Date.now() + 10_000;
const stored = (webhookIds: string[]) => prisma.webhookEvent.findMany({ where: { webhookId: { in: webhookIds } }, orderBy: { id: "asc" } });

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  shopId = (await recordInstall(prisma, { domain: "writer.myshopify.com", scopes: null })).id;
});

afterAll(async () => {
  await pool.end();
});

describe("the inbox writer", () => {
  it("writes a delivery once, its payload's numbers exact and its times in UTC, and says so the second time", async () => {
    const writer = new InboxWriter({ sql: pool });
    const delivery = row();
    const first = await writer.write(delivery, far());
    expect(first.duplicate).toBe(false);
    expect(await writer.write({ ...delivery, payload: "{}" }, far())).toEqual({ duplicate: true });
    const [held] = await stored([delivery.webhookId]);
    expect(held.id).toBe(first.duplicate ? undefined : first.inboxId);
    expect(held.triggeredAt?.toISOString()).toBe("2026-11-30T08:00:00.123Z");
    expect(Math.abs(held.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const [{ id }] = (await pool.query(`SELECT payload->>'id' AS id FROM "WebhookEvent" WHERE "webhookId" = $1`, [delivery.webhookId])).rows;
    expect(id).toBe(String(9007199254740993n + BigInt(n)));
  });

  it("groups deliveries that arrive while a statement is in flight into one statement, and enqueues each statement's new rows", async () => {
    const sql = gatedSql();
    const enqueued: bigint[][] = [];
    const writer = new InboxWriter({ sql, concurrency: 1, onInserted: async (ids) => void enqueued.push(ids) });
    sql.hold();
    const first = row();
    const rest = Array.from({ length: 40 }, () => row());
    const writes = [first, ...rest, rest[0]].map((r) => writer.write(r, far()));
    sql.release();
    const outcomes = await Promise.all(writes);
    // One statement for the first, one for the 41 that waited behind it (the repeat among them a duplicate).
    expect(sql.statements).toBe(2);
    expect(outcomes.filter((o) => o.duplicate)).toHaveLength(1);
    expect(outcomes.at(-1)).toEqual({ duplicate: true });
    expect(await stored([first, ...rest].map((r) => r.webhookId))).toHaveLength(41);
    expect(enqueued.map((ids) => ids.length)).toEqual([1, 40]);
  });

  it("refuses only the row PostgreSQL refuses, and only the row of a deleted shop, when they share a statement", async () => {
    const gone = await recordInstall(prisma, { domain: "gone.myshopify.com", scopes: null });
    await prisma.shop.delete({ where: { id: gone.id } });
    const sql = gatedSql();
    const writer = new InboxWriter({ sql, concurrency: 1 });
    sql.hold();
    const head = writer.write(row(), far());
    const good = [row(), row()];
    const writes = [row({ payload: '{"note": "a\\u0000b"}' }), row({ shopId: gone.id }), ...good].map((r) => writer.write(r, far()).then(
      (outcome) => outcome,
      (error: Error) => error,
    ));
    sql.release();
    await head;
    const [nul, deleted, ...fine] = await Promise.all(writes);
    expect((nul as { code?: string }).code).toBe("22P05");
    expect(deleted).toBeInstanceOf(ShopGoneError);
    expect(fine.every((o) => !(o instanceof Error) && !o.duplicate)).toBe(true);
    expect(await stored(good.map((r) => r.webhookId))).toHaveLength(2);
  });

  it("refuses at once past its bound, and takes deliveries again once the backlog is written", async () => {
    const sql = gatedSql();
    const writer = new InboxWriter({ sql, concurrency: 1, maxPending: 3 });
    sql.hold();
    const accepted = [row(), row(), row()].map((r) => writer.write(r, far()));
    expect(writer.overloaded()).toBe(true);
    const started = Date.now();
    await expect(writer.write(row(), far())).rejects.toBeInstanceOf(InboxOverloadedError);
    expect(Date.now() - started).toBeLessThan(1000);
    sql.release();
    await Promise.all(accepted);
    expect(writer.overloaded()).toBe(false);
    expect((await writer.write(row(), far())).duplicate).toBe(false);
  });

  it("answers a write not committed by its deadline with InboxDeadlineError; a row already sent may still commit, and its retry is a duplicate", async () => {
    const sql = gatedSql();
    const writer = new InboxWriter({ sql, concurrency: 1 });
    sql.hold();
    const sent = row();
    const queued = row();
    const late = [writer.write(sent, Date.now() + 100), writer.write(queued, Date.now() + 100)];
    for (const write of late) await expect(write).rejects.toBeInstanceOf(InboxDeadlineError);
    sql.release();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The statement in flight committed after the answer; the delivery still waiting was never written.
    expect((await stored([sent.webhookId, queued.webhookId])).map((r) => r.webhookId)).toEqual([sent.webhookId]);
    expect(writer.load()).toEqual({ pending: 0, bytes: 0 });
    expect(await writer.write(sent, far())).toEqual({ duplicate: true });
    expect((await writer.write(queued, far())).duplicate).toBe(false);
  });
});
