import { describe, expect, it } from "vitest";
import { AS_OF, line, order } from "../scoring/testFactories";
import { channelOf, computePersonas, median, type PersonaCustomer, topShares } from "./persona";

const person = (group: PersonaCustomer["group"], orders: PersonaCustomer["orders"], consent: Partial<PersonaCustomer> = {}): PersonaCustomer => ({
  group,
  emailSubscribed: false,
  smsSubscribed: false,
  orders,
  ...consent,
});

describe("persona figures", () => {
  it("computes each figure of a group from its customers' orders", () => {
    const customers = [
      person(
        "volume",
        [
          order(300, { lines: [line({ unitPrice: 20, quantity: 2, productType: "Basics", vendor: "Harbor" })], discountCodes: ["SALE20"], sourceName: "web" }),
          order(200, { lines: [line({ unitPrice: 30, compareAtPrice: 40, productType: "Basics", vendor: "Harbor" })], sourceName: "web" }),
          order(100, { lines: [line({ unitPrice: 50, discountAllocated: 10, productType: "Home", vendor: "Acme" })], totalDiscounts: 10, refunded: 40, sourceName: "pos" }),
          order(50, { cancelled: true, lines: [line({ unitPrice: 999 })] }),
        ],
        { emailSubscribed: true },
      ),
      person("volume", [order(500, { lines: [line({ unitPrice: 10, productType: "Basics" })], sourceName: "shopify_draft_order" })], { smsSubscribed: true }),
      person("valued", [order(10, { lines: [line({ unitPrice: 200 })] })]),
    ];
    const { groups, overall } = computePersonas(customers, AS_OF);
    const volume = groups.volume;
    expect(volume).toMatchObject({ customers: 2, repeatCustomers: 1, orders: 4 });
    // Order values 40, 30, 40, 10 (cancelled left out): median of the two middle values.
    expect(volume.medianOrderValue).toBe(35);
    // Three orders in the last 365 days (300, 200, 100 days ago), over two customers.
    expect(volume.ordersPerYear).toBe(1.5);
    expect(volume.medianDaysBetweenOrders).toBe(100);
    expect(volume.medianTenureDays).toBe(400);
    expect(volume.discountedOrderShare).toBe(0.75);
    // (10 markdown + 10 discount) / (40 + 40 + 50 + 10) list value.
    expect(volume.discountDepth).toBeCloseTo(20 / 140, 10);
    expect(volume.refundedOrderShare).toBe(0.25);
    expect(volume.channels).toEqual({ online_store: 0.5, pos: 0.25, other: 0.25 });
    expect(volume.productTypes).toEqual([
      { name: "Basics", share: 0.8 },
      { name: "Home", share: 0.2 },
    ]);
    expect(volume.vendors).toEqual([
      { name: "Harbor", share: 0.75 },
      { name: "Acme", share: 0.25 },
    ]);
    expect(volume.emailSubscribedShare).toBe(0.5);
    expect(volume.smsSubscribedShare).toBe(0.5);
    expect(overall).toMatchObject({ customers: 3, orders: 5, medianOrderValue: 40 });
    expect(groups.rising).toMatchObject({ customers: 0, orders: 0, medianOrderValue: null, discountedOrderShare: null, channels: null });
  });

  it("leaves consent unknown when the source does not say, and channels unknown without a source", () => {
    const { groups } = computePersonas([person("new", [order(5)], { emailSubscribed: true, smsSubscribed: null })], AS_OF);
    expect(groups.new.emailSubscribedShare).toBe(1);
    expect(groups.new.smsSubscribedShare).toBeNull();
    expect(groups.new.channels).toBeNull();
    expect(groups.new.medianDaysBetweenOrders).toBeNull();
  });

  it("maps Shopify's order sources to channels", () => {
    expect(["web", "pos", "iphone", "shopify_draft_order", "294517", "", null].map(channelOf)).toEqual([
      "online_store",
      "pos",
      "other",
      "other",
      "other",
      null,
      null,
    ]);
  });

  it("takes medians and the top three shares, ties by name", () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(topShares(new Map([["b", 1], ["a", 1], ["c", 2], ["d", 0.5], ["e", 0]]))).toEqual([
      { name: "c", share: 2 / 4.5 },
      { name: "a", share: 1 / 4.5 },
      { name: "b", share: 1 / 4.5 },
    ]);
  });
});
