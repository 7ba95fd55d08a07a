// Every merchant-facing string of the personas, as keyed templates with named {{placeholders}}
// and i18next's plural suffixes (_one, _other), so they move to locale files as they are.

export const PERSONA_MESSAGES = {
  "persona.group.valued": "Valued",
  "persona.group.volume": "Volume",
  "persona.group.rising": "Rising",
  "persona.group.at_risk": "At risk",
  "persona.group.new": "New",
  "persona.group.occasional": "Occasional",

  "persona.card.title": "Who {{group}} customers are",
  "persona.card.customers_one": "{{count}} customer with orders",
  "persona.card.customers_other": "{{count}} customers with orders",
  "persona.card.empty": "No customers in this group yet.",
  "persona.card.plays": "What to do next",
  "persona.card.section": "Personas: who each group is in your store",
  "persona.column.figure": "Figure",
  "persona.column.group": "This group",
  "persona.column.store": "Whole store",

  "persona.figure.medianOrderValue": "Median order value",
  "persona.figure.ordersPerYear": "Orders per customer in the last year",
  "persona.figure.medianDaysBetweenOrders": "Median days between orders",
  "persona.figure.medianTenureDays": "Median days since first order",
  "persona.figure.productTypes": "Top product types (by units)",
  "persona.figure.vendors": "Top vendors (by units)",
  "persona.figure.discountedOrderShare": "Orders with a discount",
  "persona.figure.discountDepth": "Average discount depth",
  "persona.figure.channels": "Channels (online store / POS / other)",
  "persona.figure.emailSubscribedShare": "Accept email marketing",
  "persona.figure.smsSubscribedShare": "Accept SMS marketing",
  "persona.figure.refundedOrderShare": "Orders refunded",
  "persona.figure.none": "–",
  "persona.figure.share": "{{name}} {{percent}}",

  "persona.summary.cadence": "{{group}} customers here buy every {{interval}}, and {{fraction}} orders use a discount.",
  "persona.summary.single": "{{group}} customers here have mostly ordered once so far, and {{fraction}} orders use a discount.",
  "persona.summary.products_channel": "They buy mostly {{products}} and order mostly {{channel}}.",
  "persona.summary.products": "They buy mostly {{products}}.",
  "persona.summary.channel": "They order mostly {{channel}}.",
  "persona.interval.days_one": "day",
  "persona.interval.days_other": "{{count}} days",
  "persona.interval.weeks_one": "week",
  "persona.interval.weeks_other": "{{count}} weeks",
  "persona.interval.months_one": "month",
  "persona.interval.months_other": "{{count}} months",
  "persona.fraction.ratio": "{{numerator}} in {{denominator}}",
  "persona.fraction.almostAll": "almost all",
  "persona.fraction.hardlyAny": "hardly any",
  "persona.products.pair": "{{first}} and {{second}}",
  "persona.channel.online_store": "online",
  "persona.channel.pos": "in store",
  "persona.channel.other": "through other channels",
  "persona.channel.mixed": "both online and in store",

  "persona.play.vip_early_access.title": "Give them early access, not a discount",
  "persona.play.vip_early_access.body":
    "Open your valued customers, highest value first, select the ones to thank and choose Make VIP: Patron tags them as VIP in Shopify, where segments and early-access pages can use the tag.",
  "persona.play.thank_you_flow.title": "Thank them with a Flow workflow",
  "persona.play.thank_you_flow.body":
    "In Shopify Flow, start a workflow from Patron's \"{{trigger}}\" trigger, check that the new group is valued, and send a thank-you email or add a gift to their next order.",
  "persona.play.volume_offer.title": "Run a streamlined offer with guardrails",
  "persona.play.volume_offer.body":
    "A new campaign for volume customers, filled in: 10% once per customer for two weeks, not combined with other discounts, with a 10% control group to measure it.",
  "persona.play.volume_bundle.title": "Offer free shipping on bigger baskets",
  "persona.play.volume_bundle.body":
    "A free-shipping campaign for volume customers, filled in: once per customer for two weeks, so each trip carries more items instead of more discounts.",
  "persona.play.rising_nudge.title": "Nudge their next order",
  "persona.play.rising_nudge.body":
    "A new campaign for rising customers, filled in: a fixed amount off their next order, once per customer for 30 days, not combined with other discounts, with a 10% control group to measure it.",
  "persona.play.rising_flow.title": "Welcome them up with a Flow workflow",
  "persona.play.rising_flow.body":
    "In Shopify Flow, start a workflow from Patron's \"{{trigger}}\" trigger, check that the new group is rising, and send a personal note recommending what valued customers buy.",
  "persona.play.at_risk_outreach.title": "Reach out personally before any discount",
  "persona.play.at_risk_outreach.body":
    "Open your at-risk customers, highest value first: each page shows why they are slipping, and Export gives your team the list to call or write to.",
  "persona.play.open": "Open",
  "persona.campaign.volume_offer": "Volume offer",
  "persona.campaign.volume_bundle": "Free shipping for volume customers",
  "persona.campaign.rising_nudge": "Next-order nudge",
} as const;

export type PersonaMessageKey = keyof typeof PERSONA_MESSAGES;
/** A key as written at a call site: plural keys are named without their _one/_other suffix. */
export type PersonaMessageName = PersonaMessageKey extends infer K ? (K extends `${infer Base}_${"one" | "other"}` ? Base : K) : never;

export type MessageValues = Readonly<Record<string, string | number>>;

const PLURALS = new Intl.PluralRules("en");
const MESSAGES: Readonly<Record<string, string>> = PERSONA_MESSAGES;

export class MissingMessageError extends Error {
  override name = "MissingMessageError";
}

/**
 * The English text of a message: `{{name}}` replaced by `values[name]`; with a numeric
 * `count`, the key's `_one` / `_other` form chosen by Intl.PluralRules as i18next does.
 * Throws MissingMessageError for an unknown key or a placeholder without a value.
 */
export function message(name: PersonaMessageName, values: MessageValues = {}): string {
  const count = values.count;
  const plural = typeof count === "number" ? `${name}_${PLURALS.select(count)}` : null;
  const template = (plural !== null ? (MESSAGES[plural] ?? MESSAGES[`${name}_other`]) : undefined) ?? MESSAGES[name];
  if (template === undefined) throw new MissingMessageError(`no message ${name}`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new MissingMessageError(`message ${name} needs a value for {{${key}}}`);
    return String(value);
  });
}
