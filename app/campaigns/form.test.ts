import { translate } from "../i18n/i18n";
import type { Message } from "../i18n/message";
import { describe, expect, it } from "vitest";
import { parseCampaignForm, parseCustomerIds, visibleErrors } from "./form";

const now = new Date("2026-11-23T12:00:00Z");
const valid = { title: "Winter volume push", code: "volume10", audience: "group:volume", discountKind: "percentage", value: "10", startsAt: "2026-11-24", endsAt: "2026-12-08", controlPercent: "10", oncePerCustomer: "on" };

const en = (m: Message | undefined) => (m ? translate("en", m) : undefined);

const englishErrors = (errors: Record<string, Message | undefined>) => Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, en(m)]));

describe("new-campaign form", () => {
  it("parses a group campaign", () => {
    const parsed = parseCampaignForm(valid, now);
    expect(parsed.ok && parsed.request).toMatchObject({
      code: "VOLUME10",
      audience: { kind: "group", group: "volume" },
      discount: { kind: "percentage", value: 10 },
      startsAt: new Date("2026-11-24T00:00:00Z"),
      oncePerCustomer: true,
      controlShare: 0.1,
      excludeVolume: false,
    });
  });

  it("names each invalid field", () => {
    const parsed = parseCampaignForm({ ...valid, title: "", value: "120", endsAt: "2026-11-20", controlPercent: "80" }, now);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors)).toEqual(["title"]);
    const second = parseCampaignForm({ ...valid, value: "120", endsAt: "2026-11-23T18:00:00Z", controlPercent: "80", usageLimit: "0" }, now);
    expect(second.ok ? {} : englishErrors(second.errors)).toEqual({
      value: "A percentage cannot exceed 100",
      endsAt: "The end must be after the start",
      usageLimit: "The usage limit must be a whole number from 1 to 2,147,483,647",
      controlPercent: "The control group must be between 0 and 50%",
    });
  });

  it("takes the customer list's filter as an audience, read by the list's own schema", () => {
    const parsed = parseCampaignForm({ ...valid, audience: "filter", filter: "group=all&minOrders=2&lastFrom=2026-01-01&q=Ann", excludeVolume: "on" }, now);
    expect(parsed.ok && parsed.request).toMatchObject({
      audience: { kind: "filter", filters: { group: "all", minOrders: 2, lastFrom: "2026-01-01", q: "ann", sort: "value", dir: "desc", vip: false } },
      excludeVolume: true,
    });
    const bad = parseCampaignForm({ ...valid, audience: "filter", filter: "group=all&lastTo=2026-02-30" }, now);
    expect(bad.ok ? {} : englishErrors(bad.errors)).toEqual({ filter: expect.stringMatching(/^The customer list's filter could not be read \(lastTo: /) });
    const missing = parseCampaignForm({ ...valid, audience: "filter" }, now);
    expect(missing.ok ? {} : Object.keys(missing.errors)).toEqual(["filter"]);
    const long = parseCampaignForm({ ...valid, audience: "filter", filter: `q=${"a".repeat(1001)}` }, now);
    expect(long.ok ? {} : englishErrors(long.errors)).toEqual({ filter: "The customer list's filter is too long to read." });
  });

  it("takes selected customers as comma-separated ids and rejects anything else", () => {
    expect(parseCustomerIds("3, 1,3")).toEqual([3n, 1n]);
    expect(parseCustomerIds("1;DROP")).toBeNull();
    const parsed = parseCampaignForm({ ...valid, audience: "customers", customers: "" }, now);
    expect(parsed.ok ? null : en(parsed.errors.customers)).toBe("Select at least one customer");
  });

  it("reads numbers and dates strictly: no hex, no rolled-over days, no past end, no usage limit beyond 32 bits", () => {
    const errors = (fields: Record<string, string>) => {
      const parsed = parseCampaignForm({ ...valid, ...fields }, now);
      return parsed.ok ? {} : parsed.errors;
    };
    expect(en(errors({ value: "0x10" }).value)).toMatch(/plain number/);
    expect(en(errors({ value: "1e1" }).value)).toMatch(/plain number/);
    expect(en(errors({ controlPercent: "Infinity" }).controlPercent)).toMatch(/plain number/);
    expect(en(errors({ endsAt: "2026-02-30" }).endsAt)).toBe("The end is not a date");
    expect(en(errors({ endsAt: "2026-11-01" }).endsAt)).toBe("The end must be in the future");
    expect(en(errors({ usageLimit: "2147483648" }).usageLimit)).toMatch(/from 1 to 2,147,483,647/);
    expect(errors({ usageLimit: "2147483647" })).toEqual({});
    expect(en(errors({ endsAt: "+275760-09-13" }).endsAt)).toBe("The end is not a date");
    expect(parseCustomerIds("9223372036854775808")).toBeNull();
  });

  it("shows no field errors on a pristine form: a field's once touched, all once submitted", () => {
    const parsed = parseCampaignForm({ ...valid, title: "", code: "" }, now);
    const errors = parsed.ok ? {} : parsed.errors;
    expect(Object.keys(errors).sort()).toEqual(["code", "title"]);
    expect(visibleErrors(errors, new Set(), false)).toEqual({});
    expect(visibleErrors(errors, new Set(["title"]), false)).toEqual({ title: errors.title });
    expect(visibleErrors(errors, new Set(), true)).toEqual(errors);
    const blocked = { form: { key: "campaignForm.errors.blocked" } };
    expect(visibleErrors(blocked, new Set(), false)).toEqual(blocked);
  });
});
