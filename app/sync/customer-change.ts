import type { CustomerRecord, MarketingState } from "./records";

// What a customers/create or customers/update delivery changes, against what Patron
// holds. Patron's own write-back (tags, metafields) comes back as customers/update
// deliveries: those change nothing scoring reads, so they must cost no rescore.

/** The customer as Patron holds it, or what of it a delivery is compared with. */
export interface HeldCustomer {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: readonly string[];
  emailMarketing: MarketingState;
  smsMarketing: MarketingState;
  createdAt: Date | null;
}

/**
 * - `new`: Patron did not hold the customer.
 * - `scoring`: a field the scoring reads changed (email marketing consent, creation date).
 * - `details`: only other fields changed (names, email, SMS consent, the merchant's own tags).
 * - `echo`: only tags Patron owns changed: its own write-back coming back.
 * - `unchanged`: nothing Patron holds changed (a metafield write-back, a replay).
 */
export type CustomerChange = "new" | "scoring" | "details" | "echo" | "unchanged";

/** Whether the change can move a score, so it asks for a rescore. */
export const changeNeedsRescore = (change: CustomerChange): boolean => change === "new" || change === "scoring";

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const sameSet = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map((t) => t.toLowerCase()));
  const right = new Set(b.map((t) => t.toLowerCase()));
  return left.size === right.size && [...left].every((t) => right.has(t));
};

/**
 * Classifies a delivery's customer against the held one. `patronOwns(tag)` says whether
 * a tag is Patron's (its prefix, or a tag it wrote under an earlier prefix); Shopify
 * compares tags case-insensitively, and so does this. A creation date the delivery
 * omits (null) is not a change: the upsert keeps the held one.
 */
export function classifyCustomerChange(held: HeldCustomer | null, incoming: CustomerRecord, patronOwns: (tag: string) => boolean): CustomerChange {
  if (!held) return "new";
  if (
    held.emailMarketing !== incoming.emailMarketing ||
    (incoming.createdAt !== null && !sameTime(held.createdAt, incoming.createdAt))
  ) {
    return "scoring";
  }
  const merchantTags = (tags: readonly string[]) => tags.filter((t) => !patronOwns(t));
  if (
    held.email !== incoming.email ||
    held.firstName !== incoming.firstName ||
    held.lastName !== incoming.lastName ||
    held.smsMarketing !== incoming.smsMarketing ||
    !sameSet(merchantTags(held.tags), merchantTags(incoming.tags))
  ) {
    return "details";
  }
  return sameSet(held.tags, incoming.tags) ? "unchanged" : "echo";
}
