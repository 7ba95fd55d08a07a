import { createHash } from "node:crypto";
import type { Group } from "../scoring";

// What Patron wants Shopify to hold for a customer, and the smallest change that
// gets it there. Pure: tested without Shopify or a database.

export const METAFIELD_NAMESPACE = "patron";

export interface ScoreSnapshot {
  group: Group;
  vip: boolean;
  valueScore: number;
  volumeScore: number;
  predictedClv: string;
  pAlive: number | null;
  marginRate: number;
  discountShare: number;
}

export interface WriteSettings {
  tagPrefix: string;
  autoTagging: boolean;
  metafields: boolean;
}

const tagName = (group: Group) => group.replace(/_/g, "-");

export function desiredTags(score: ScoreSnapshot | null, settings: WriteSettings): string[] {
  if (!settings.autoTagging || !score) return [];
  const tags = [`${settings.tagPrefix}${tagName(score.group)}`];
  if (score.vip) tags.push(`${settings.tagPrefix}vip`);
  return tags;
}

export interface TagDiff {
  add: string[];
  remove: string[];
}

/**
 * The tags to add and remove. `written` is what Patron wrote last (its namespace,
 * whatever the prefix was then); the merchant's own tags are never in either list.
 */
export function diffTags(written: readonly string[], desired: readonly string[]): TagDiff {
  const want = new Set(desired);
  const have = new Set(written);
  return {
    add: desired.filter((t) => !have.has(t)),
    remove: written.filter((t) => !want.has(t)),
  };
}

/** Tags Patron owns among a customer's current tags, for a customer never written before. */
export function ownedTags(current: readonly string[], prefix: string): string[] {
  return current.filter((t) => t.startsWith(prefix));
}

export interface MetafieldValue {
  key: string;
  type: "single_line_text_field" | "number_decimal" | "boolean";
  value: string;
}

export const METAFIELD_DEFINITIONS: { key: string; name: string; type: MetafieldValue["type"]; description: string }[] = [
  { key: "group", name: "Patron group", type: "single_line_text_field", description: "valued, volume, rising, at-risk, new or occasional" },
  { key: "value_score", name: "Patron value score", type: "number_decimal", description: "0–100: loyalty, profit and low discount dependence" },
  { key: "volume_score", name: "Patron volume score", type: "number_decimal", description: "0–100: frequency, discount dependence, low margin" },
  { key: "predicted_clv", name: "Patron predicted CLV", type: "number_decimal", description: "Expected gross profit over the model horizon" },
  { key: "probability_active", name: "Patron probability active", type: "number_decimal", description: "Probability the customer is still active (0–1)" },
  { key: "margin_rate", name: "Patron margin rate", type: "number_decimal", description: "Gross margin of the customer's orders (0–1)" },
  { key: "discount_share", name: "Patron discount share", type: "number_decimal", description: "Share of orders that used any discount (0–1)" },
];

const decimal = (n: number, places: number) => (Number.isFinite(n) ? n.toFixed(places) : "0");

export function desiredMetafields(score: ScoreSnapshot): MetafieldValue[] {
  return [
    { key: "group", type: "single_line_text_field", value: tagName(score.group) },
    { key: "value_score", type: "number_decimal", value: decimal(score.valueScore, 1) },
    { key: "volume_score", type: "number_decimal", value: decimal(score.volumeScore, 1) },
    { key: "predicted_clv", type: "number_decimal", value: Number(score.predictedClv).toFixed(2) },
    { key: "probability_active", type: "number_decimal", value: decimal(score.pAlive ?? 0, 3) },
    { key: "margin_rate", type: "number_decimal", value: decimal(score.marginRate, 3) },
    { key: "discount_share", type: "number_decimal", value: decimal(score.discountShare, 3) },
  ];
}

export function metafieldsDigest(values: MetafieldValue[]): string {
  return createHash("sha256").update(JSON.stringify(values)).digest("base64url").slice(0, 22);
}

export interface CustomerWrite {
  customerId: bigint;
  tags: TagDiff;
  /** The tags Patron will have written once this succeeds. */
  tagsAfter: string[];
  metafields: MetafieldValue[] | null;
  digestAfter: string | null;
}

export interface CustomerState {
  customerId: bigint;
  score: ScoreSnapshot | null;
  /** Patron's last write, or null if it never wrote this customer. */
  written: { tags: string[]; metafieldsDigest: string | null } | null;
  currentTags: string[];
}

/** The write a customer needs, or null when Shopify already holds what Patron wants. */
export function planWrite(state: CustomerState, settings: WriteSettings): CustomerWrite | null {
  const desired = desiredTags(state.score, settings);
  const written = state.written?.tags ?? ownedTags(state.currentTags, settings.tagPrefix);
  const tags = diffTags(written, desired);
  const values = settings.metafields && state.score ? desiredMetafields(state.score) : null;
  const digest = values ? metafieldsDigest(values) : null;
  const metafieldsChanged = values !== null && digest !== (state.written?.metafieldsDigest ?? null);
  if (!tags.add.length && !tags.remove.length && !metafieldsChanged) return null;
  return {
    customerId: state.customerId,
    tags,
    tagsAfter: desired,
    metafields: metafieldsChanged ? values : null,
    digestAfter: metafieldsChanged ? digest : (state.written?.metafieldsDigest ?? null),
  };
}
