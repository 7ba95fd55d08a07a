import { msg, type Message } from "../i18n/message";

// Why a campaign change did not go through, as a message the page renders in the merchant's
// language (keys under campaigns.manage.error in app/locales).

type Failure =
  | { outcome: "not_found" }
  | { outcome: "busy"; since: Date }
  | { outcome: "shopify_rejected"; errors: string[] }
  | { outcome: "unreachable"; error: string }
  | { outcome: "already_ended" }
  | { outcome: "not_saved"; action: "edit" | "end" | "delete"; reverted?: boolean };

/** The banner for a campaign change that did not go through: a title, and Shopify's own errors (its text, untranslated) when it refused. */
export function failureMessage(f: Failure): { message: Message; details: string[] } {
  const key = (name: string) => `campaigns.manage.error.${name}`;
  switch (f.outcome) {
    case "not_found":
      return { message: msg(key("notFound")), details: [] };
    case "busy":
      return { message: msg(key("busy"), { since: { dateTime: f.since.toISOString() } }), details: [] };
    case "shopify_rejected":
      return { message: msg(key("shopifyRejected")), details: f.errors };
    case "unreachable":
      return { message: msg(key("unreachable"), { error: f.error }), details: [] };
    case "already_ended":
      return { message: msg(key("alreadyEnded")), details: [] };
    case "not_saved":
      if (f.action === "edit") return { message: msg(key(f.reverted ? "editNotSavedReverted" : "editNotSavedDiverged")), details: [] };
      return { message: msg(key(f.action === "end" ? "endNotSaved" : "deleteNotSaved")), details: [] };
  }
}
