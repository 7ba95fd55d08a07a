import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, SHOP, type Harness } from "./fixtures/harness";
import { createManualClock, type ManualClock } from "./util/clock";
import { LeakyBucket, PLAN_LIMITS } from "./throttle";
import { requestedQueryCost } from "./cost";
import { adminSchema } from "./admin/schema";
import { parse } from "graphql";
import { CUSTOMER_IDS } from "./fixtures/small-store";

const cost = (query: string, variables: Record<string, unknown> = {}) => requestedQueryCost(adminSchema(), parse(query), variables);

describe("calculated query cost", () => {
  it("charges 0 for scalars, 1 per object, 2 plus first times a node per connection, 10 per mutation", () => {
    expect(cost(`{ shop { id name } }`).cost).toBe(1);
    expect(cost(`{ shop { plan { displayName } } }`).cost).toBe(2);
    expect(cost(`{ customers(first: 10) { edges { node { id } } pageInfo { hasNextPage } } }`).cost).toBe(12);
    expect(cost(`query($n: Int) { customers(first: $n) { nodes { id amountSpent { amount } } } }`, { n: 5 }).cost).toBe(2 + 5 * 2);
    expect(cost(`{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { id } } } } }`).cost).toBe(2 + 10 * (1 + 2 + 5));
    expect(cost(`mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["a"]) { node { id } userErrors { message } } }`).cost).toBe(10);
  });

  it("charges an interface or union the dearest of its possible selections", () => {
    const q = `{ order(id: "gid://shopify/Order/1") { discountApplications(first: 2) { nodes { value { ... on MoneyV2 { amount } ... on PricingPercentageValue { percentage } } } } } }`;
    expect(cost(q).cost).toBe(1 + 2 + 2 * (1 + 1));
  });

  it("rejects a page above 250 and a connection without first or last", () => {
    expect(cost(`{ customers(first: 251) { nodes { id } } }`).errors[0].message).toMatch(/250/);
    expect(cost(`{ customers { nodes { id } } }`).errors[0].message).toBe("you must provide one of first or last");
  });
});

describe("leaky bucket", () => {
  it.each(Object.entries(PLAN_LIMITS))("%s: empties, then refills at the plan's restore rate", (plan, limits) => {
    const clock = createManualClock();
    const bucket = new LeakyBucket(clock, plan as keyof typeof PLAN_LIMITS);
    expect(bucket.tryTake(limits.maximumAvailable)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
    clock.advance(2_500);
    expect(bucket.status().currentlyAvailable).toBe(limits.restoreRate * 2.5);
    clock.advance(3_600_000);
    expect(bucket.status().currentlyAvailable).toBe(limits.maximumAvailable);
  });
});

describe("throttling over HTTP", () => {
  let h: Harness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = createManualClock(Date.parse("2026-07-01T00:00:00Z"));
    h = await startHarness({ clock });
  });
  afterAll(() => h.fake.close());

  const tag = `mutation { tagsAdd(id: "gid://shopify/Customer/${CUSTOMER_IDS.cyd}", tags: ["x"]) { userErrors { message } } }`;

  it("refunds the difference between requested and actual cost", async () => {
    const { body } = await h.gql(`{ customers(first: 250) { nodes { id } } }`);
    expect(body.extensions?.cost).toMatchObject({ requestedQueryCost: 252, actualQueryCost: 5, throttleStatus: { currentlyAvailable: 1995 } });
  });

  it("throttles when the bucket is empty and recovers at 100 points a second", async () => {
    h.fake.control.resetCounters();
    for (let i = 0; i < 199; i++) expect((await h.gql(tag)).body.errors).toBeUndefined();
    const throttled = await h.gql(tag);
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
    expect(throttled.body.extensions?.cost).toEqual({ requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 5, restoreRate: 100 } });
    clock.advance(1_000);
    for (let i = 0; i < 10; i++) expect((await h.gql(tag)).body.errors).toBeUndefined();
    expect((await h.gql(tag)).body.errors?.[0].extensions?.code).toBe("THROTTLED");
    expect(h.fake.control.counters(SHOP)).toMatchObject({ requests: 211, throttled: 2 });
  });

  it("answers MAX_COST_EXCEEDED for a single query above 1,000 points without touching the bucket", async () => {
    clock.advance(60_000);
    const { body } = await h.gql(`{ customers(first: 250) { nodes { id orders(first: 10) { nodes { id } } } } }`);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: "MAX_COST_EXCEEDED", cost: 3252, maxCost: 1000 } });
    expect(body.errors?.[0].message).toMatch(/^Query cost is 3252, which exceeds the single query max cost limit \(1000\)/);
    expect(body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });

  it("sizes the bucket by plan and follows a plan change", async () => {
    h.fake.control.setPlan(SHOP, "plus");
    clock.advance(60_000);
    const { body } = await h.gql(`{ shop { id } }`);
    expect(body.extensions?.cost.throttleStatus).toEqual({ maximumAvailable: 20000, currentlyAvailable: 19999, restoreRate: 1000 });
  });

  it("errors on a page size above 250", async () => {
    const { body } = await h.gql(`{ orders(first: 251) { nodes { id } } }`);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_REQUEST" }, path: ["orders"] });
  });
});
