import { describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import type { Message } from "../i18n/message";
import { describePersona as describeIn, discountWords, intervalWords } from "./describe";
import type { PersonaFigures } from "./persona";

const english = (message: Message) => translate("en", message);
const chinese = (message: Message) => translate("zh-CN", message);
const describePersona = (group: Parameters<typeof describeIn>[0], figures: Parameters<typeof describeIn>[1]) => describeIn(group, figures, english);

const figures = (overrides: Partial<PersonaFigures> = {}): PersonaFigures => ({
  customers: 100,
  repeatCustomers: 80,
  orders: 900,
  medianOrderValue: 42,
  ordersPerYear: 9,
  medianDaysBetweenOrders: 21,
  medianTenureDays: 400,
  productTypes: [{ name: "Basics", share: 0.72 }],
  vendors: [{ name: "Harbor Supply", share: 0.7 }],
  discountedOrderShare: 0.8,
  discountDepth: 0.18,
  channels: { online_store: 0.9, pos: 0.05, other: 0.05 },
  emailSubscribedShare: 0.35,
  smsSubscribedShare: 0.1,
  refundedOrderShare: 0.12,
  ...overrides,
});

describe("persona in plain words", () => {
  it("says how often a group buys, how often it uses a discount, what and where", () => {
    expect(describePersona("volume", figures())).toEqual([
      "Volume customers here buy every 3 weeks, and 4 in 5 orders use a discount.",
      "They buy mostly Basics and order mostly online.",
    ]);
  });

  it("says a group has mostly ordered once when fewer than half its customers came back", () => {
    const [first, second] = describePersona(
      "new",
      figures({ repeatCustomers: 10, discountedOrderShare: 0.02, productTypes: [{ name: "Home", share: 0.4 }, { name: "Beauty", share: 0.3 }], channels: null }),
    );
    expect(first).toBe("New customers here have mostly ordered once so far, and hardly any orders use a discount.");
    expect(second).toBe("They buy mostly Home and Beauty.");
  });

  it("falls back to vendors without product types, and to the channel alone", () => {
    expect(describePersona("valued", figures({ productTypes: [], channels: { online_store: 0.5, pos: 0.45, other: 0.05 } }))[1]).toBe(
      "They buy mostly Harbor Supply and order mostly both online and in store.",
    );
    expect(describePersona("at_risk", figures({ productTypes: [], vendors: [], channels: { online_store: 0.1, pos: 0.8, other: 0.1 } }))[1]).toBe(
      "They order mostly in store.",
    );
  });

  it("says nothing of a group without customers", () => {
    expect(describePersona("rising", figures({ customers: 0, discountedOrderShare: null }))).toEqual([]);
  });

  it("turns shares into the simplest close fraction and days into days, weeks or months", () => {
    expect([0.5, 0.78, 0.33, 0.12].map((share) => discountWords(share, english))).toEqual([
      "1 in 2 orders use a discount",
      "4 in 5 orders use a discount",
      "1 in 3 orders use a discount",
      "1 in 8 orders use a discount",
    ]);
    expect([0.97, 0.01].map((share) => discountWords(share, english))).toEqual(["almost all orders use a discount", "hardly any orders use a discount"]);
    expect([1, 9.6, 21, 45, 95].map((days) => intervalWords(days, english))).toEqual(["every day", "every 10 days", "every 3 weeks", "every 6 weeks", "every 3 months"]);
  });

  it("speaks the merchant's language from the same figures", () => {
    expect(describeIn("volume", figures(), chinese)).toEqual(["本店的走量客户每 3 周购买一次，每 5 个订单中有 4 个使用折扣。", "他们主要购买Basics，大多通过在线商店下单。"]);
    expect(describeIn("new", figures({ repeatCustomers: 10, discountedOrderShare: 0.02, productTypes: [], vendors: [], channels: null }), chinese)).toEqual([
      "本店的新客户目前大多只下过一单，几乎不使用折扣。",
    ]);
    expect([1, 9.6, 21, 95].map((days) => intervalWords(days, chinese))).toEqual(["每天", "每 10 天", "每 3 周", "每 3 个月"]);
    expect([0.97, 0.5].map((share) => discountWords(share, chinese))).toEqual(["几乎每个订单都使用折扣", "每 2 个订单中有 1 个使用折扣"]);
  });
});
