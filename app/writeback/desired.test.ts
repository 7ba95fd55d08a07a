import { describe, expect, it } from "vitest";
import { desiredTags, diffTags, planWrite, type ScoreSnapshot } from "./desired";

const settings = { tagPrefix: "patron:", autoTagging: true, metafields: true };
const score: ScoreSnapshot = {
  group: "at_risk",
  vip: true,
  valueScore: 71.24,
  volumeScore: 12,
  predictedClv: "412.30",
  pAlive: 0.31,
  marginRate: 0.42,
  discountShare: 0.1,
};

describe("what Patron writes back", () => {
  it("names groups with hyphens under the prefix and adds the VIP tag", () => {
    expect(desiredTags(score, settings)).toEqual(["patron:at-risk", "patron:vip"]);
    expect(desiredTags(score, { ...settings, tagPrefix: "pt-" as string })).toEqual(["pt-at-risk", "pt-vip"]);
  });

  it("diffs only within what Patron wrote, never the merchant's own tags", () => {
    expect(diffTags(["patron:volume"], ["patron:valued", "patron:vip"])).toEqual({
      add: ["patron:valued", "patron:vip"],
      remove: ["patron:volume"],
    });
  });

  it("takes ownership of prefixed tags on a customer it never wrote, leaving the rest", () => {
    const plan = planWrite(
      { customerId: 1n, score, written: null, currentTags: ["wholesale", "patron:volume", "patron:at-risk"] },
      settings,
    );
    expect(plan?.tags).toEqual({ add: ["patron:vip"], remove: ["patron:volume"] });
  });

  it("writes nothing when Shopify already holds the same tags and metafields", () => {
    const first = planWrite({ customerId: 1n, score, written: null, currentTags: [] }, settings)!;
    const again = planWrite(
      { customerId: 1n, score, written: { tags: first.tagsAfter, metafieldsDigest: first.digestAfter }, currentTags: [] },
      settings,
    );
    expect(again).toBeNull();
  });

  it("rewrites metafields alone when only a score moved", () => {
    const first = planWrite({ customerId: 1n, score, written: null, currentTags: [] }, settings)!;
    const plan = planWrite(
      { customerId: 1n, score: { ...score, valueScore: 80 }, written: { tags: first.tagsAfter, metafieldsDigest: first.digestAfter }, currentTags: [] },
      settings,
    )!;
    expect(plan.tags).toEqual({ add: [], remove: [] });
    expect(plan.metafields?.find((m) => m.key === "value_score")?.value).toBe("80.0");
  });

  it("removes all of Patron's tags when auto-tagging is switched off, including an old prefix's", () => {
    const plan = planWrite(
      { customerId: 1n, score, written: { tags: ["old:valued", "old:vip"], metafieldsDigest: null }, currentTags: [] },
      { ...settings, autoTagging: false, metafields: false },
    )!;
    expect(plan.tags).toEqual({ add: [], remove: ["old:valued", "old:vip"] });
    expect(plan.tagsAfter).toEqual([]);
  });
});
