// Merchant-facing English for managing campaigns (edit, end, delete, duplicate), as keyed
// templates with named {{placeholders}} in i18next's syntax, so they move to a locale
// file as they are. `campaignMessage` fills them until the i18n library takes over.

export const CAMPAIGN_MESSAGES = {
  "campaign.actions.edit": "Edit",
  "campaign.actions.end": "End now",
  "campaign.actions.delete": "Delete",
  "campaign.actions.duplicate": "Duplicate",
  "campaign.end.confirmTitle": "End {{title}} now?",
  "campaign.end.confirmBody": "The code {{code}} stops working in Shopify at once. Results stop counting at this moment and stay as they are.",
  "campaign.delete.confirmTitle": "Delete {{title}}?",
  "campaign.delete.confirmBody": "The discount {{code}} is deleted in Shopify and the campaign and its results are removed from Patron. This cannot be undone.",
  "campaign.ended.toast": "Campaign ended",
  "campaign.saved.toast": "Campaign saved",
  "campaign.deleted.toast": "Campaign deleted",
  "campaign.endedEarly": "Ended early on {{date}}: results are frozen at that moment.",
  "campaign.pending.banner": "A change ({{action}}) started at {{since}} has not finished. Try it again; Patron checks Shopify before it repeats anything.",
  "campaign.edit.title": "Edit {{title}}",
  "campaign.edit.rules":
    "What you can change on a live code: its title, end date, usage limit, once-per-customer rule, what it combines with and its value. The code, the start, the discount type and the audience stay as they were: results count orders by code from the start, and the audience was split into a treated group and a control group when the campaign was created, so changing who may use the code would make the comparison meaningless. To aim the discount at other customers, duplicate the campaign.",
  "campaign.edit.ended": "This campaign has ended and can no longer be edited. Duplicate it to run it again.",
  "campaign.edit.valueFreeShipping": "Free shipping has no value to change.",
  "campaign.edit.noChange": "Nothing changed.",
  "campaign.error.notFound": "No such campaign in this shop.",
  "campaign.error.busy": "Another change to this campaign is in progress (since {{since}}). Wait a moment and try again.",
  "campaign.error.alreadyEnded": "This campaign has already ended.",
  "campaign.error.shopifyRejected": "Shopify refused the change; nothing was changed in Patron.",
  "campaign.error.unreachable": "Shopify could not be reached ({{error}}); nothing was changed in Patron. Try again.",
  "campaign.error.editNotSavedReverted": "Shopify accepted the change but Patron could not save it, so the discount was set back to its previous values. Try again.",
  "campaign.error.editNotSavedDiverged": "Shopify accepted the change but Patron could not save it, and the discount could not be set back. Check the discount in Shopify admin, then save again.",
  "campaign.error.endNotSaved": "Shopify ended the code, but Patron could not record it. Press End now again to finish.",
  "campaign.error.deleteNotSaved": "The discount was deleted in Shopify, but Patron could not remove the campaign. Press Delete again to finish.",
  "campaign.duplicate.banner": "A copy of {{title}} with a new code. Check the dates before you create it.",
  "campaign.duplicate.titlePrefix": "Copy of {{title}}",
  "campaign.list.total": "{{count}} campaigns",
  "campaign.list.totalOne": "1 campaign",
} as const;

export type CampaignMessageKey = keyof typeof CAMPAIGN_MESSAGES;

/** The English text of `key` with each `{{name}}` replaced by `values[name]`; a missing value throws, so a template never ships half-filled. */
export function campaignMessage(key: CampaignMessageKey, values: Record<string, string | number> = {}): string {
  return CAMPAIGN_MESSAGES[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`message ${key} needs a value for ${name}`);
    return String(values[name]);
  });
}

type Failure =
  | { outcome: "not_found" }
  | { outcome: "busy"; since: Date }
  | { outcome: "shopify_rejected"; errors: string[] }
  | { outcome: "unreachable"; error: string }
  | { outcome: "already_ended" }
  | { outcome: "not_saved"; action: "edit" | "end" | "delete"; reverted?: boolean };

/** The banner for a campaign change that did not go through: a title, and Shopify's own errors when it refused. */
export function failureMessage(f: Failure): { message: string; details: string[] } {
  switch (f.outcome) {
    case "not_found":
      return { message: campaignMessage("campaign.error.notFound"), details: [] };
    case "busy":
      return { message: campaignMessage("campaign.error.busy", { since: f.since.toISOString() }), details: [] };
    case "shopify_rejected":
      return { message: campaignMessage("campaign.error.shopifyRejected"), details: f.errors };
    case "unreachable":
      return { message: campaignMessage("campaign.error.unreachable", { error: f.error }), details: [] };
    case "already_ended":
      return { message: campaignMessage("campaign.error.alreadyEnded"), details: [] };
    case "not_saved":
      if (f.action === "edit") return { message: campaignMessage(f.reverted ? "campaign.error.editNotSavedReverted" : "campaign.error.editNotSavedDiverged"), details: [] };
      return { message: campaignMessage(f.action === "end" ? "campaign.error.endNotSaved" : "campaign.error.deleteNotSaved"), details: [] };
  }
}
