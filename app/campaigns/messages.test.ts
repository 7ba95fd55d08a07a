import { describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import { failureMessage } from "./messages";

describe("campaign change failures", () => {
  it("read in English as before, with Shopify's own errors kept as details", () => {
    const rejected = failureMessage({ outcome: "shopify_rejected", errors: ["Code must be unique"] });
    expect(translate("en", rejected.message)).toBe("Shopify refused the change; nothing was changed in Patron.");
    expect(rejected.details).toEqual(["Code must be unique"]);
    expect(translate("en", failureMessage({ outcome: "unreachable", error: "timeout" }).message)).toBe(
      "Shopify could not be reached (timeout); nothing was changed in Patron. Try again.",
    );
  });

  it("show when a change in progress started, in the reader's language", () => {
    const busy = failureMessage({ outcome: "busy", since: new Date("2026-03-05T14:07:00Z") }).message;
    expect(translate("en", busy)).toMatch(/^Another change to this campaign is in progress \(since .*2026.*UTC\)\. Wait a moment and try again\.$/);
    expect(translate("zh-CN", busy)).toMatch(/^此营销活动的另一项更改正在进行中（开始于 .*2026.*UTC）。/);
  });

  it("name the step to repeat when Patron could not record what Shopify did", () => {
    expect(translate("en", failureMessage({ outcome: "not_saved", action: "end" }).message)).toBe("Shopify ended the code, but Patron could not record it. Press End now again to finish.");
    expect(translate("en", failureMessage({ outcome: "not_saved", action: "edit", reverted: true }).message)).toMatch(/set back to its previous values/);
  });
});
