import type { Archetype, MarketingState } from "../store/model";
import type { Seasonality } from "./calendar";

export type Buyer = Archetype | "guest";
export type DealKind = "code" | "automatic" | "markdown";

export interface Behaviour {
  readonly spendMedianCents: number;
  readonly spendSigma: number;
  /** Weights over premium, core and value products. */
  readonly tierWeights: readonly [number, number, number];
  /** Chance of passing over a marked-down item when not hunting for a deal. */
  readonly avoidMarkdown: number;
  readonly welcomeCode: number;
  /** Per-customer chance of a deal on any later order, drawn in this range. */
  readonly dealProb: readonly [number, number];
  readonly dealKinds: readonly [code: number, automatic: number, markdown: number];
  readonly extraQuantity: number;
  readonly maxLines: number;
  /** Basket grows by this fraction per earlier order (rising customers). */
  readonly growthPerOrder: number;
  readonly refundProb: number;
  readonly cancelProb: number;
  /** Weights over SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING. */
  readonly emailMarketing: readonly [number, number, number, number];
  readonly smsSubscribed: number;
  readonly seasonality: Seasonality;
  /** Weights over the order sources SOURCES (web, iphone, android, pos, shopify_draft_order). */
  readonly sources: readonly [web: number, iphone: number, android: number, pos: number, draft: number];
}

/** Shopify's order `sourceName`s the store sees: the online store, the mobile admin on two platforms, POS, draft orders. */
export const SOURCES = ["web", "iphone", "android", "pos", "shopify_draft_order"] as const;
const STORE_SOURCES = [0.8, 0.06, 0.05, 0.05, 0.04] as const;

export const MARKETING_STATES: readonly MarketingState[] = ["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"];

const LOYAL: Behaviour = {
  spendMedianCents: 13_000,
  spendSigma: 0.5,
  tierWeights: [0.62, 0.36, 0.02],
  avoidMarkdown: 0.97,
  welcomeCode: 0.25,
  dealProb: [0.01, 0.07],
  dealKinds: [0.8, 0.2, 0],
  extraQuantity: 0.12,
  maxLines: 5,
  growthPerOrder: 0,
  refundProb: 0.03,
  cancelProb: 0.008,
  emailMarketing: [0.86, 0.1, 0.02, 0.02],
  smsSubscribed: 0.45,
  seasonality: "base",
  // Loyal customers also come to the shop in person and get orders drafted for them.
  sources: [0.6, 0.05, 0.03, 0.25, 0.07],
};

export const BEHAVIOUR: Readonly<Record<Buyer, Behaviour>> = {
  valued: LOYAL,
  at_risk: { ...LOYAL, spendMedianCents: 12_000, emailMarketing: [0.62, 0.14, 0.22, 0.02], smsSubscribed: 0.3 },
  rising: {
    ...LOYAL,
    spendMedianCents: 7_500,
    tierWeights: [0.45, 0.5, 0.05],
    welcomeCode: 0.4,
    dealProb: [0.02, 0.08],
    growthPerOrder: 0.16,
    refundProb: 0.03,
    emailMarketing: [0.72, 0.22, 0.02, 0.04],
    smsSubscribed: 0.35,
  },
  volume: {
    spendMedianCents: 4_400,
    spendSigma: 0.45,
    tierWeights: [0.03, 0.25, 0.72],
    avoidMarkdown: 0,
    welcomeCode: 0.6,
    dealProb: [0.55, 0.92],
    dealKinds: [0.5, 0.2, 0.3],
    extraQuantity: 0.35,
    maxLines: 6,
    growthPerOrder: 0,
    refundProb: 0.12,
    cancelProb: 0.03,
    emailMarketing: [0.35, 0.5, 0.12, 0.03],
    smsSubscribed: 0.15,
    seasonality: "deals",
    // Deal hunters buy online, where the codes are.
    sources: [0.86, 0.06, 0.06, 0.01, 0.01],
  },
  new: {
    spendMedianCents: 7_500,
    spendSigma: 0.6,
    tierWeights: [0.3, 0.45, 0.25],
    avoidMarkdown: 0.5,
    welcomeCode: 0.45,
    dealProb: [0.1, 0.3],
    dealKinds: [0.6, 0.2, 0.2],
    extraQuantity: 0.2,
    maxLines: 4,
    growthPerOrder: 0,
    refundProb: 0.05,
    cancelProb: 0.015,
    emailMarketing: [0.55, 0.35, 0.02, 0.08],
    smsSubscribed: 0.2,
    seasonality: "base",
    sources: STORE_SOURCES,
  },
  occasional: {
    spendMedianCents: 6_500,
    spendSigma: 0.6,
    tierWeights: [0.25, 0.45, 0.3],
    avoidMarkdown: 0.4,
    welcomeCode: 0.3,
    dealProb: [0.15, 0.45],
    dealKinds: [0.55, 0.2, 0.25],
    extraQuantity: 0.2,
    maxLines: 4,
    growthPerOrder: 0,
    refundProb: 0.07,
    cancelProb: 0.015,
    emailMarketing: [0.38, 0.45, 0.14, 0.03],
    smsSubscribed: 0.12,
    seasonality: "base",
    sources: STORE_SOURCES,
  },
  guest: {
    spendMedianCents: 6_000,
    spendSigma: 0.6,
    tierWeights: [0.25, 0.45, 0.3],
    avoidMarkdown: 0.4,
    welcomeCode: 0,
    dealProb: [0.3, 0.3],
    dealKinds: [0.5, 0.2, 0.3],
    extraQuantity: 0.2,
    maxLines: 4,
    growthPerOrder: 0,
    refundProb: 0.06,
    cancelProb: 0.02,
    emailMarketing: [0, 1, 0, 0],
    smsSubscribed: 0,
    seasonality: "base",
    sources: STORE_SOURCES,
  },
};

/** Individual taste: the archetype's product mix blended part-way toward an even one. */
export function personalTierWeights(behaviour: Behaviour, blend: number): [number, number, number] {
  const [premium, core, value] = behaviour.tierWeights;
  const even = 1 / 3;
  return [premium + (even - premium) * blend, core + (even - core) * blend, value + (even - value) * blend];
}
