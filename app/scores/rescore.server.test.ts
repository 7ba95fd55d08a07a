import { beforeAll, describe, expect, it } from "vitest";
import { generateStore } from "../../test/fake-shopify/generator";
import { historiesFromStore, seedStore } from "../../test/support/seed-store";
import prisma from "../db.server";
import { translate } from "../i18n/i18n";
import type { Message } from "../i18n/message";
import { GROUPS, scoreShop } from "../scoring";
import { rescoreShop } from "./rescore.server";

const store = generateStore({ seed: 7, shopDomain: "rescore.myshopify.com", customers: 400 });
let shopId: number;

describe("rescoring a shop", () => {
  beforeAll(async () => {
    shopId = await seedStore(prisma, store);
  }, 120_000);

  it("scores every customer, saves the model, and records each first group as a change", async () => {
    const asOf = new Date(store.truth.asOf);
    const result = await rescoreShop(prisma, shopId, "backfill", asOf);
    const live = store.customers.filter((c) => !c.deletedAt).length;
    expect(result.customers).toBe(live);
    expect(await prisma.customerScore.count({ where: { shopId } })).toBe(live);
    expect(result.changes).toHaveLength(live);
    expect(result.changes.every((c) => c.from === null)).toBe(true);
    expect(await prisma.groupChange.count({ where: { shopId } })).toBe(live);
    const fit = await prisma.modelFit.findUniqueOrThrow({ where: { id: result.fitId } });
    expect(fit.kind).toMatch(/bgnbd|fallback/);
    expect(fit.customers).toBe(live);

    const sample = await prisma.customerScore.findFirstOrThrow({ where: { shopId, orders: { gt: 2 } } });
    expect(GROUPS).toContain(sample.group);
    expect(Array.isArray(sample.reasons)).toBe(true);
    expect(translate("en", (sample.reasons as unknown as { message: Message }[])[0].message)).toMatch(/\d/);
  });

  it("changes no group when rescored with no new data", async () => {
    const asOf = new Date(store.truth.asOf);
    const again = await rescoreShop(prisma, shopId, "schedule", asOf);
    expect(again.changes).toEqual([]);
    expect(again.vipChanges).toEqual([]);
    expect(await prisma.modelFit.count({ where: { shopId } })).toBe(2);
  });

  it("gives the same groups as scoring the same store without the database", async () => {
    const pure = scoreShop(historiesFromStore(store), { asOf: new Date(store.truth.asOf), defaultMarginRate: 0.4 });
    const expected = new Map(pure.customers.map((c) => [c.customerId, c.group]));
    const scores = await prisma.customerScore.findMany({ where: { shopId }, select: { customerId: true, group: true } });
    const differing = scores.filter((s) => expected.get(s.customerId.toString()) !== s.group);
    expect(scores.length).toBe(expected.size);
    expect(differing).toEqual([]);
  });
});
