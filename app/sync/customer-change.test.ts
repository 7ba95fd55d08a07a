import { describe, expect, it } from "vitest";
import { changeNeedsRescore, classifyCustomerChange, type HeldCustomer } from "./customer-change";
import type { CustomerRecord } from "./records";

const held: HeldCustomer = {
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  tags: ["wholesale", "patron:valued"],
  emailMarketing: "SUBSCRIBED",
  smsMarketing: "NOT_SUBSCRIBED",
  createdAt: new Date("2025-01-01T00:00:00Z"),
};

const incoming = (patch: Partial<CustomerRecord> = {}): CustomerRecord => ({
  id: 1n,
  ...held,
  tags: [...held.tags],
  updatedAt: new Date("2026-11-30T08:00:00Z"),
  ...patch,
});

const patronOwns = (tag: string) => tag.startsWith("patron:") || tag === "old-vip";

describe("what a customer delivery changes", () => {
  it("calls a customer Patron did not hold new, and rescored", () => {
    expect(classifyCustomerChange(null, incoming(), patronOwns)).toBe("new");
    expect(changeNeedsRescore("new")).toBe(true);
  });

  it("recognises Patron's own tags coming back, added or removed, whatever their case, as an echo that costs no rescore", () => {
    expect(classifyCustomerChange(held, incoming({ tags: ["wholesale", "patron:valued", "patron:vip"] }), patronOwns)).toBe("echo");
    expect(classifyCustomerChange(held, incoming({ tags: ["wholesale"] }), patronOwns)).toBe("echo");
    expect(classifyCustomerChange(held, incoming({ tags: ["Wholesale", "patron:at-risk", "old-vip"] }), patronOwns)).toBe("echo");
    expect(changeNeedsRescore("echo")).toBe(false);
  });

  it("calls a delivery with nothing new (a metafield write, a replay) unchanged", () => {
    expect(classifyCustomerChange(held, incoming({ tags: ["patron:valued", "WHOLESALE"] }), patronOwns)).toBe("unchanged");
    // A payload without its creation date keeps the held one.
    expect(classifyCustomerChange(held, incoming({ createdAt: null }), patronOwns)).toBe("unchanged");
    expect(changeNeedsRescore("unchanged")).toBe(false);
  });

  it("does not take the merchant's own tag change alongside Patron's for an echo", () => {
    expect(classifyCustomerChange(held, incoming({ tags: ["patron:vip"] }), patronOwns)).toBe("details");
    expect(classifyCustomerChange(held, incoming({ tags: [...held.tags, "newsletter"] }), patronOwns)).toBe("details");
  });

  it("stores name, email and SMS changes without a rescore", () => {
    for (const patch of [{ firstName: "Augusta" }, { email: "ada@lovelace.example" }, { smsMarketing: "SUBSCRIBED" as const }]) {
      expect(classifyCustomerChange(held, incoming(patch), patronOwns)).toBe("details");
    }
    expect(changeNeedsRescore("details")).toBe(false);
  });

  it("asks for a rescore when a field the scoring reads changed, even beside Patron's tags", () => {
    expect(classifyCustomerChange(held, incoming({ emailMarketing: "UNSUBSCRIBED", tags: ["wholesale", "patron:vip"] }), patronOwns)).toBe("scoring");
    expect(classifyCustomerChange(held, incoming({ createdAt: new Date("2024-06-01T00:00:00Z") }), patronOwns)).toBe("scoring");
    expect(changeNeedsRescore("scoring")).toBe(true);
  });
});
