import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../db.server";
import { recordInstall } from "../shops.server";
import { orderFromRest } from "../orders/rest";
import { copyCustomers, copyOrders, prepareStaging, stageCustomers, stageOrders } from "./copy-store.server";
import { isPermanentDatabaseError } from "./db-errors";
import { parseLosslessJson } from "./lossless-json";
import type { CustomerRecord, OrderRecord } from "./records";
import { upsertCustomers, upsertOrders, upsertRefunds } from "./store.server";

const base = orderFromRest(parseLosslessJson(readFileSync(new URL("./fixtures/orders-create.json", import.meta.url), "utf8")));
const awkward = `He said "hi", then\nleft;\r\ta \\N back\\slash, ünïcödé 🛒`;

const customer = (id: bigint, updatedAt: string, patch: Partial<CustomerRecord> = {}): CustomerRecord => ({
  id,
  email: `c${id}@example.com`,
  firstName: "Ada",
  lastName: null,
  tags: ["vip", 'with "quote"', "comma, inside"],
  emailMarketing: "SUBSCRIBED",
  smsMarketing: "UNKNOWN",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date(updatedAt),
  ...patch,
});

function version(order: OrderRecord, updatedAt: string, patch: Partial<OrderRecord> = {}): OrderRecord {
  return { ...order, updatedAt: new Date(updatedAt), ...patch };
}

let client: pg.Client;
let rowShop: number;
let copyShop: number;

async function inTransaction<T>(work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Everything stored for a shop, without the shop id and the local timestamps, to compare two shops. */
async function stored(shopId: number) {
  const strip = <T extends Record<string, unknown>>(rows: T[]) =>
    rows.map(({ shopId: _s, createdAt: _c, updatedAt: _u, ...rest }) => JSON.parse(JSON.stringify(rest, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))));
  return {
    customers: strip(await prisma.customer.findMany({ where: { shopId }, orderBy: { id: "asc" } })),
    orders: strip(await prisma.order.findMany({ where: { shopId }, orderBy: { id: "asc" } })),
    lines: strip(await prisma.orderLine.findMany({ where: { shopId }, orderBy: { id: "asc" } })),
    refunds: strip(await prisma.refund.findMany({ where: { shopId }, orderBy: { id: "asc" } })),
  };
}

/** Applies the same writes through both paths: the unnest upserts to one shop, COPY and merge to the other. */
async function both(write: { customers?: CustomerRecord[]; orders?: OrderRecord[] }) {
  if (write.customers) await upsertCustomers(prisma, rowShop, write.customers);
  if (write.orders) await upsertOrders(prisma, rowShop, write.orders);
  await inTransaction(async () => {
    if (write.customers) await copyCustomers(client, copyShop, stageCustomers(write.customers));
    if (write.orders) await copyOrders(client, copyShop, stageOrders(write.orders));
  });
}

describe("COPY backfill writer", () => {
  beforeAll(async () => {
    rowShop = (await recordInstall(prisma, { domain: "copy-rows.myshopify.com", scopes: null })).id;
    copyShop = (await recordInstall(prisma, { domain: "copy-staged.myshopify.com", scopes: null })).id;
    client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await prepareStaging(client);
  });

  afterAll(async () => {
    await client.end();
  });

  it("stores what the row-by-row upserts store, ids exact and awkward text intact", async () => {
    // Given an order with a refund, an id past 2^53 and text full of CSV and COPY specials
    const order = version(base, "2026-10-01T00:00:00Z", {
      name: awkward,
      discountCodes: [awkward, ""],
      lines: base.lines.map((l, i) => ({ ...l, title: i === 0 ? awkward : "", sku: i === 0 ? "" : null })),
    });
    // when both paths write it and a customer
    await both({ customers: [customer(9007199254740993n, "2026-10-01T00:00:00Z", { lastName: awkward, email: "" })], orders: [order] });
    // then the two shops hold the same rows
    const staged = await stored(copyShop);
    expect(staged).toEqual(await stored(rowShop));
    expect(staged.orders[0]).toMatchObject({ id: "9007199254741993n", name: awkward, discountCodes: [awkward, ""], totalRefunded: "81" });
    expect(staged.lines.map((l: { title: string; sku: string | null }) => [l.title, l.sku])).toEqual([
      [awkward, ""],
      ["", null],
    ]);
    expect(staged.customers[0]).toMatchObject({ id: "9007199254740993n", lastName: awkward, email: "", tags: ["vip", 'with "quote"', "comma, inside"] });
  });

  it("keeps the newest version: a stale order or customer changes nothing, a newer one replaces lines and refunds", async () => {
    // Given the stored versions from the first test, when an older version arrives
    await both({
      customers: [customer(9007199254740993n, "2026-09-01T00:00:00Z", { firstName: "Stale" })],
      orders: [version(base, "2026-09-01T00:00:00Z", { financialStatus: "voided" })],
    });
    // and then a newer one whose edit removed a line, with no refund and a cost now known
    const [kept, removed] = base.lines;
    await both({
      customers: [customer(9007199254740993n, "2026-11-01T00:00:00Z", { firstName: "Newer", tags: [] })],
      orders: [version(base, "2026-11-01T00:00:00Z", { financialStatus: "paid", lines: [{ ...kept, unitCost: "1.2345", compareAtPrice: "999.00" }], refunds: [] })],
    });
    // then both paths agree, and hold the newest version
    const staged = await stored(copyShop);
    expect(staged).toEqual(await stored(rowShop));
    expect(staged.customers[0]).toMatchObject({ firstName: "Newer", tags: [] });
    expect(staged.orders[0]).toMatchObject({ financialStatus: "paid" });
    expect(staged.lines.map((l: { id: string }) => l.id)).toEqual([`${kept.id}n`]);
    expect(staged.lines.map((l: { id: string }) => l.id)).not.toContain(`${removed.id}n`);
    // a refund once stored stays (refunds are never deleted by an order update), and totalRefunded follows the stored refunds
    expect(staged.orders[0].totalRefunded).toBe("81");
  });

  it("in one batch, inserts new orders and merges re-imported ones: edits drop lines, added refunds and early refunds count", async () => {
    const [first, second] = base.lines;
    const [refund] = base.refunds;
    const at = (id: bigint, updatedAt: string, patch: Partial<OrderRecord> = {}) => version(base, updatedAt, { id, lines: [], refunds: [], ...patch });
    const lines = (orderSeed: bigint) => [
      { ...first, id: orderSeed * 10n + 1n },
      { ...second, id: orderSeed * 10n + 2n },
    ];
    // Given two orders held with two lines each and no refund, and a refund stored (as refunds/create can) before its order
    await both({ orders: [at(7001n, "2026-10-01T00:00:00Z", { lines: lines(7001n) }), at(7002n, "2026-10-01T00:00:00Z", { lines: lines(7002n) })] });
    for (const shopId of [rowShop, copyShop]) await upsertRefunds(prisma, shopId, [{ ...refund, id: 70031n, orderId: 7003n }]);
    // when one batch brings an edit of the first (a line removed), a refund on the second, that refunded order, and a new order
    await both({
      orders: [
        at(7001n, "2026-10-02T00:00:00Z", { lines: lines(7001n).slice(0, 1) }),
        at(7002n, "2026-10-02T00:00:00Z", { lines: lines(7002n), refunds: [{ ...refund, id: 70021n, amount: "12.50" }] }),
        at(7003n, "2026-10-02T00:00:00Z", { lines: lines(7003n) }),
        at(7004n, "2026-10-02T00:00:00Z", { lines: lines(7004n) }),
      ],
    });
    // then both paths agree
    const staged = await stored(copyShop);
    expect(staged).toEqual(await stored(rowShop));
    const order = (id: string) => staged.orders.find((o: { id: string }) => o.id === id);
    const linesOf = (id: string) => staged.lines.filter((l: { orderId: string }) => l.orderId === id).map((l: { id: string }) => l.id);
    expect(linesOf("7001n")).toEqual(["70011n"]);
    expect(linesOf("7002n")).toEqual(["70021n", "70022n"]);
    expect(linesOf("7004n")).toEqual(["70041n", "70042n"]);
    expect([order("7001n").totalRefunded, order("7002n").totalRefunded, order("7003n").totalRefunded, order("7004n").totalRefunded]).toEqual([
      "0",
      "12.5",
      "81",
      "0",
    ]);
    // and an older version of the edited order, re-imported later, restores neither its line nor its status
    await both({ orders: [at(7001n, "2026-10-01T12:00:00Z", { lines: lines(7001n), financialStatus: "voided" })] });
    expect(await stored(copyShop)).toEqual(staged);
  });

  it("never stores a test order and deletes one already held", async () => {
    const other = version(base, "2026-10-01T00:00:00Z", { id: 4242n, lines: [], refunds: [] });
    await both({ orders: [other] });
    await both({ orders: [{ ...other, updatedAt: new Date("2026-10-02T00:00:00Z"), test: true }, { ...other, id: 4243n, test: true }] });
    const staged = await stored(copyShop);
    expect(staged).toEqual(await stored(rowShop));
    expect(staged.orders.map((o: { id: string }) => o.id)).not.toContain("4242n");
    expect(staged.orders.map((o: { id: string }) => o.id)).not.toContain("4243n");
  });

  it("refuses a NUL character for good and writes nothing of the batch", async () => {
    const before = await stored(copyShop);
    const good = version(base, "2026-12-01T00:00:00Z", { id: 5151n, lines: [], refunds: [] });
    for (const bad of [{ name: "a\u0000b" }, { discountCodes: ["a\u0000b"] }]) {
      const failure = await inTransaction(() => copyOrders(client, copyShop, stageOrders([good, version(base, "2026-12-01T00:00:00Z", { id: 5152n, ...bad })]))).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).not.toBeNull();
      expect(isPermanentDatabaseError(failure)).toBe(true);
    }
    expect(await stored(copyShop)).toEqual(before);
    // and the session's staging tables are still usable after the rollback
    await inTransaction(() => copyOrders(client, copyShop, stageOrders([good])));
    expect((await stored(copyShop)).orders.map((o: { id: string }) => o.id)).toContain("5151n");
  });

  it("writes only to its own shop", async () => {
    const third = (await recordInstall(prisma, { domain: "copy-third.myshopify.com", scopes: null })).id;
    await inTransaction(() => copyOrders(client, third, stageOrders([version(base, "2027-01-01T00:00:00Z", { financialStatus: "refunded" })])));
    expect((await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId: copyShop, id: base.id } } })).financialStatus).toBe("paid");
    expect(await prisma.orderLine.count({ where: { shopId: third } })).toBe(base.lines.length);
  });
});
