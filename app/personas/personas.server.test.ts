import { beforeAll, describe, expect, it } from "vitest";
import { generateStore } from "../../test/fake-shopify/generator";
import { historiesFromStore, seedStore } from "../../test/support/seed-store";
import prisma from "../db.server";
import { rescoreShop } from "../scores/rescore.server";
import { GROUPS, type Group } from "../scoring/types";
import { computePersonas, type GroupPersonas, type PersonaFigures } from "./persona";
import { loadPersonas } from "./personas.server";

// The SQL aggregation must say what persona.ts says about the same records: the store is
// synced through the sync store's own writer, scored by the real rescore, then read both ways.

const store = generateStore({ seed: 11, shopDomain: "personas.myshopify.com", customers: 400, shapes: true });
const other = generateStore({ seed: 12, shopDomain: "personas-other.myshopify.com", customers: 60 });
const asOf = new Date(store.truth.asOf);
let shopId: number;

function expectSameFigures(sql: PersonaFigures, pure: PersonaFigures, what: string) {
  const { productTypes, vendors, channels, ...numbers } = sql;
  const { productTypes: pureTypes, vendors: pureVendors, channels: pureChannels, ...pureNumbers } = pure;
  for (const [key, value] of Object.entries(numbers)) {
    const expected = pureNumbers[key as keyof typeof pureNumbers];
    if (expected === null) expect(value, `${what} ${key}`).toBeNull();
    else expect(value, `${what} ${key}`).toBeCloseTo(expected, 6);
  }
  expect(productTypes.map((s) => s.name), `${what} product types`).toEqual(pureTypes.map((s) => s.name));
  productTypes.forEach((s, i) => expect(s.share).toBeCloseTo(pureTypes[i].share, 9));
  expect(vendors.map((s) => s.name), `${what} vendors`).toEqual(pureVendors.map((s) => s.name));
  if (pureChannels === null) expect(channels).toBeNull();
  else for (const [k, v] of Object.entries(pureChannels)) expect(channels![k as keyof typeof channels], `${what} ${k}`).toBeCloseTo(v, 9);
}

describe("personas from synced orders", () => {
  let sql: GroupPersonas;
  let pure: GroupPersonas;

  beforeAll(async () => {
    shopId = await seedStore(prisma, store);
    await rescoreShop(prisma, shopId, "backfill", asOf);
    const otherId = await seedStore(prisma, other);
    await rescoreShop(prisma, otherId, "backfill", new Date(other.truth.asOf));

    const scores = await prisma.customerScore.findMany({ where: { shopId }, select: { customerId: true, group: true } });
    const groupOf = new Map(scores.map((s) => [s.customerId.toString(), s.group as Group]));
    const customers = new Map(store.customers.map((c) => [c.id, c]));
    pure = computePersonas(
      historiesFromStore(store).flatMap((h) => {
        const group = groupOf.get(h.customerId);
        const c = customers.get(h.customerId)!;
        return group ? [{ group, orders: h.orders, emailSubscribed: c.emailMarketingState === "SUBSCRIBED", smsSubscribed: c.smsMarketingState === "SUBSCRIBED" }] : [];
      }),
      asOf,
    );
    sql = await loadPersonas(prisma, shopId, asOf);
  }, 240_000);

  it("aggregates in SQL to the figures persona.ts computes from the same records, group by group and store-wide", () => {
    for (const group of GROUPS) expectSameFigures(sql.groups[group], pure.groups[group], group);
    expectSameFigures(sql.overall, pure.overall, "overall");
    expect(sql.overall.customers).toBeGreaterThan(300);
    expect(sql.overall.productTypes.length).toBeGreaterThan(0);
    expect(sql.overall.channels).not.toBeNull();
  });

  it("reads only the shop's own customers and orders", async () => {
    const empty = await loadPersonas(prisma, 999_999, asOf);
    expect(empty.overall).toMatchObject({ customers: 0, orders: 0, medianOrderValue: null, productTypes: [] });
  });
});
