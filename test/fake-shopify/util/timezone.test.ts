import { describe, expect, it } from "vitest";
import { exportTimestamp, localDate, offsetAt, offsetMinutes, restTimestamp } from "./timezone";
import { shopWallToUtc } from "../generator/shapes";

describe("shop-local time", () => {
  it("follows a zone's offset through daylight saving", () => {
    expect(offsetMinutes(Date.parse("2024-03-05T23:40:12Z"), "America/New_York")).toBe(-300);
    expect(offsetMinutes(Date.parse("2024-06-30T12:00:00Z"), "America/New_York")).toBe(-240);
    expect(offsetMinutes(Date.parse("2026-07-01T00:00:00Z"), "America/Mexico_City")).toBe(-360);
    expect(offsetAt(Date.parse("2024-01-08T13:05:44Z"), "Europe/London")).toBe("+0000");
    expect(() => offsetMinutes(0, "Not/AZone")).toThrow(RangeError);
  });

  it("writes Shopify's REST and export timestamps, and the shop's calendar day", () => {
    expect(exportTimestamp("2024-03-05T23:40:12Z", "America/New_York")).toBe("2024-03-05 18:40:12 -0500");
    expect(restTimestamp("2024-07-01T01:30:00Z", "America/New_York")).toBe("2024-06-30T21:30:00-04:00");
    expect(restTimestamp("2024-07-01T01:30:00Z", "UTC")).toBe("2024-07-01T01:30:00+00:00");
    expect(localDate("2024-07-01T01:30:00Z", "America/New_York")).toBe("2024-06-30");
  });

  it("reads a wall-clock time as the shop's", () => {
    expect(new Date(shopWallToUtc(Date.parse("2026-05-01T20:15:00Z"), "America/Mexico_City")).toISOString()).toBe("2026-05-02T02:15:00.000Z");
    expect(new Date(shopWallToUtc(Date.parse("2024-07-04T19:00:00Z"), "America/New_York")).toISOString()).toBe("2024-07-04T23:00:00.000Z");
  });
});
