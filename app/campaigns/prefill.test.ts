import { describe, expect, it } from "vitest";
import { campaignLink, parseCampaignPrefill } from "./prefill";

const TODAY = new Date("2026-03-01T10:00:00Z");

describe("campaign links that fill the form", () => {
  it("round-trips a play's fields, with the end date counted from today", () => {
    const link = campaignLink({ title: "Volume offer", audience: "group:volume", discountKind: "percentage", value: "10", days: 14, oncePerCustomer: "on", combinesOrder: "off" });
    const parsed = parseCampaignPrefill(new URL(link, "https://patron.test").searchParams, TODAY);
    expect(parsed).toEqual({
      ok: true,
      fields: { title: "Volume offer", audience: "group:volume", discountKind: "percentage", value: "10", endsAt: "2026-03-15", oncePerCustomer: "on", combinesOrder: "" },
    });
  });

  it("ignores parameters it does not know, such as App Bridge's own", () => {
    expect(parseCampaignPrefill(new URLSearchParams("host=abc&embedded=1&customers=1,2"), TODAY)).toEqual({ ok: true, fields: {} });
  });

  it("names the parameter when a value is bad", () => {
    const parsed = parseCampaignPrefill(new URLSearchParams("audience=group:vip"), TODAY);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^campaign link: audience /);
    expect(parseCampaignPrefill(new URLSearchParams("days=0"), TODAY).ok).toBe(false);
    expect(parseCampaignPrefill(new URLSearchParams("value=1e3"), TODAY).ok).toBe(false);
  });
});
