import { campaignLink } from "../campaigns/prefill";
import type { Group } from "../scoring/types";
import { msg, type Message, type RenderMessage } from "../i18n/message";

/** The Flow trigger Patron ships (extensions/, handle customer-group-changed), as merchants see it in Flow. */
export const FLOW_TRIGGER_NAME = "Customer group changed";
/** Shopify Flow in the merchant's admin; App Bridge resolves shopify://admin links for embedded apps. */
const FLOW_APP = "shopify://admin/apps/flow";

export type PlayId =
  | "vip_early_access"
  | "thank_you_flow"
  | "volume_offer"
  | "volume_bundle"
  | "rising_nudge"
  | "rising_flow"
  | "at_risk_outreach";

export interface Play {
  id: PlayId;
  title: Message;
  body: Message;
  /** A Patron route (with the query it understands) or a shopify://admin link. */
  href: string;
  /** True when the link leaves Patron for another part of Shopify admin. */
  shopify: boolean;
}

const play = (id: PlayId, href: string, values?: Record<string, string>): Play => ({
  id,
  title: msg(`personas.play.${id}.title`),
  body: msg(`personas.play.${id}.body`, values),
  href,
  shopify: href.startsWith("shopify:"),
});

const noStacking = { combinesOrder: "off", combinesProduct: "off", combinesShipping: "off" } as const;

/**
 * The plays the brief names for a group (DESIGN.md): valued → perks that are not discounts;
 * volume → streamlined offers with guardrails; rising → the nudge that converts; at risk →
 * personal outreach before any discount. New and occasional customers have none. Campaign
 * links carry a title in `render`'s language, as the form shows it for the merchant to edit.
 */
export function playsFor(group: Group, render: RenderMessage): Play[] {
  switch (group) {
    case "valued":
      return [
        play("vip_early_access", "/app/customers?group=valued&sort=value&dir=desc"),
        play("thank_you_flow", FLOW_APP, { trigger: FLOW_TRIGGER_NAME }),
      ];
    case "volume":
      return [
        play(
          "volume_offer",
          campaignLink({ title: render(msg("personas.campaign.volume_offer")), audience: "group:volume", discountKind: "percentage", value: "10", days: 14, oncePerCustomer: "on", ...noStacking, controlPercent: "10" }),
        ),
        play(
          "volume_bundle",
          campaignLink({ title: render(msg("personas.campaign.volume_bundle")), audience: "group:volume", discountKind: "free_shipping", days: 14, oncePerCustomer: "on", ...noStacking, controlPercent: "10" }),
        ),
      ];
    case "rising":
      return [
        play(
          "rising_nudge",
          campaignLink({ title: render(msg("personas.campaign.rising_nudge")), audience: "group:rising", discountKind: "fixed_amount", value: "10", days: 30, oncePerCustomer: "on", ...noStacking, controlPercent: "10" }),
        ),
        play("rising_flow", FLOW_APP, { trigger: FLOW_TRIGGER_NAME }),
      ];
    case "at_risk":
      return [play("at_risk_outreach", "/app/customers?group=at_risk&sort=value&dir=desc")];
    case "new":
    case "occasional":
      return [];
  }
}
