import { describe, expect, it } from "vitest";
import { duplicateFields, type DuplicateSource } from "./duplicate.server";

const source = (startsAt: string, endsAt: string | null): DuplicateSource => ({
  title: "Spring",
  code: "SPRING",
  audience: "group",
  group: "volume",
  excludeVolume: false,
  discount: "percentage",
  value: 10,
  startsAt: new Date(startsAt),
  endsAt: endsAt === null ? null : new Date(endsAt),
  usageLimit: null,
  oncePerCustomer: true,
  combinesOrder: false,
  combinesProduct: false,
  combinesShipping: false,
  controlShare: 0.1,
});

describe("a duplicated campaign's dates", () => {
  it("runs as many calendar days as the original, whatever the hour it started", () => {
    const today = new Date("2026-11-30T15:40:00Z");
    expect(duplicateFields(source("2026-11-02T15:00:00Z", "2026-11-16T00:00:00Z"), [], "SPRING-2", today, "en")).toMatchObject({ startsAt: "2026-11-30", endsAt: "2026-12-14" });
    expect(duplicateFields(source("2026-11-02T09:00:00Z", "2026-11-16T00:00:00Z"), [], "SPRING-2", today, "en")).toMatchObject({ startsAt: "2026-11-30", endsAt: "2026-12-14" });
    expect(duplicateFields(source("2026-11-02T15:00:00Z", "2026-11-02T23:00:00Z"), [], "SPRING-2", today, "en")).toMatchObject({ endsAt: "2026-12-01" });
  });

  it("stays open-ended when the original was", () => {
    expect(duplicateFields(source("2026-11-02T15:00:00Z", null), [], "SPRING-2", new Date("2026-11-30T10:00:00Z"), "en").endsAt).toBe("");
  });
});
