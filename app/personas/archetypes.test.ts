import { describe, expect, it } from "vitest";
import { generateStore, summarize } from "../../test/fake-shopify/generator";
import { BEHAVIOUR, SOURCES } from "../../test/fake-shopify/generator/behaviour";
import { VALUE_PRODUCT_TYPE } from "../../test/fake-shopify/generator/catalogue";
import { historiesFromStore } from "../../test/support/seed-store";
import { scoreShop } from "../scoring";
import { GROUPS, type Group } from "../scoring/types";
import { computePersonas, type PersonaCustomer } from "./persona";

// The generator plants per archetype a discount habit, a cadence, channels (behaviour.ts
// `sources`), product types (volume customers lean on the value tier, the Basics line) and
// marketing consent. The personas must find those figures again: grouped by the planted
// archetype they equal the generator's own tally (summary.ts); grouped by the groups Patron
// scores they stay close to it.

const store = generateStore({ seed: 7, shopDomain: "personas-7.myshopify.com", customers: 2000 });
const asOf = new Date(store.truth.asOf);
const planted = summarize(store).byArchetype;
const histories = historiesFromStore(store);
const consent = new Map(store.customers.map((c) => [c.id, c]));
const PLANTED_GROUPS = GROUPS.filter((g): g is Group => g in planted);

function customersBy(groupOf: (customerId: string) => Group | undefined): PersonaCustomer[] {
  return histories.flatMap((h) => {
    const group = groupOf(h.customerId);
    const c = consent.get(h.customerId)!;
    return group === undefined ? [] : [{ group, orders: h.orders, emailSubscribed: c.emailMarketingState === "SUBSCRIBED", smsSubscribed: c.smsMarketingState === "SUBSCRIBED" }];
  });
}

const topType = (shares: Record<string, number>) => Object.entries(shares).sort((a, b) => b[1] - a[1])[0];

describe("personas of the fake store's planted archetypes", () => {
  const byArchetype = computePersonas(
    customersBy((id) => store.truth.archetypeByCustomerId.get(id)),
    asOf,
  ).groups;

  for (const group of PLANTED_GROUPS) {
    it(`equal what the generator planted for ${group} customers`, () => {
      const persona = byArchetype[group];
      const truth = planted[group];
      expect(persona.customers).toBeGreaterThan(30);
      expect(Math.abs(persona.discountedOrderShare! - truth.discountedOrderShare), "discount share").toBeLessThanOrEqual(0.02);
      expect(Math.abs(persona.ordersPerYear! - truth.ordersLastYearPerCustomer), "orders per year").toBeLessThanOrEqual(0.02 * Math.max(1, truth.ordersLastYearPerCustomer));
      expect(Math.abs(persona.emailSubscribedShare! - truth.emailSubscribedShare), "email consent").toBeLessThanOrEqual(0.02);
      expect(Math.abs(persona.smsSubscribedShare! - truth.smsSubscribedShare), "SMS consent").toBeLessThanOrEqual(0.02);
      for (const channel of ["online_store", "pos", "other"] as const) {
        expect(Math.abs(persona.channels![channel] - truth.channelShares[channel]), channel).toBeLessThanOrEqual(0.02);
      }
      const [type, share] = topType(truth.productTypeShares);
      expect(persona.productTypes[0].name).toBe(type);
      expect(Math.abs(persona.productTypes[0].share - share), "top product type share").toBeLessThanOrEqual(0.02);
    });
  }

  it("find the channels planted per archetype: loyal customers come in store, volume customers buy online", () => {
    for (const group of ["valued", "volume"] as const) {
      const weights = BEHAVIOUR[group].sources;
      const total = weights.reduce((s, w) => s + w, 0);
      expect(Math.abs(byArchetype[group].channels!.online_store - weights[SOURCES.indexOf("web")] / total)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(byArchetype[group].channels!.pos - weights[SOURCES.indexOf("pos")] / total)).toBeLessThanOrEqual(0.03);
    }
    expect(byArchetype.volume.productTypes[0].name).toBe(VALUE_PRODUCT_TYPE);
    expect(byArchetype.valued.productTypes[0].name).not.toBe(VALUE_PRODUCT_TYPE);
  });

  it("stay close to the plant when grouped by the groups Patron scores", () => {
    const scores = scoreShop(histories, { asOf, defaultMarginRate: 0.4 });
    const groupOf = new Map(scores.customers.map((c) => [c.customerId, c.group]));
    const byScore = computePersonas(customersBy((id) => groupOf.get(id)), asOf).groups;
    for (const group of ["valued", "volume", "rising", "at_risk"] as const) {
      const persona = byScore[group];
      const truth = planted[group];
      expect(Math.abs(persona.discountedOrderShare! - truth.discountedOrderShare), `${group} discount share`).toBeLessThanOrEqual(0.02);
      expect(Math.abs(persona.channels!.pos - truth.channelShares.pos), `${group} POS share`).toBeLessThanOrEqual(0.02);
      expect(persona.productTypes[0].name, `${group} top product type`).toBe(topType(truth.productTypeShares)[0]);
    }
  }, 120_000);
});
