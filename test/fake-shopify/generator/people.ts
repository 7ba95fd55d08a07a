import type { Archetype, FakeCustomer } from "../store/model";
import { BEHAVIOUR, MARKETING_STATES } from "./behaviour";
import { DAY_MS, isoSeconds } from "./calendar";
import type { Rng } from "./rng";

const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah", "Sophia", "Mateo", "Isabella", "Lucas",
  "Mia", "Levi", "Harper", "Ezra", "Evelyn", "Asher", "Luna", "James", "Camila", "Leo", "Gianna", "Kai",
  "Aria", "Hudson", "Ella", "Ethan", "Nora", "Aiden", "Hazel", "Wyatt", "Zoe", "Sebastian", "Riley", "Jack",
  "Priya", "Arjun", "Mei", "Hiroshi", "Fatima", "Omar", "Chloe", "Santiago", "Ingrid", "Lars", "Amara", "Kwame",
];
const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Lewis", "Robinson", "Walker",
  "Patel", "Nguyen", "Kim", "Tanaka", "Okafor", "Larsen", "Rossi", "Dubois", "Novak", "Cohen",
];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example"];
// Merchant tags unrelated to Patron, so consumers see pre-existing tags to preserve.
const MERCHANT_TAGS = ["newsletter", "wholesale-inquiry", "instagram", "referral", "local-pickup"];

export interface Person {
  readonly customer: FakeCustomer;
  readonly taxRate: number;
}

export function taxRateFor(rng: Rng): number {
  return rng.pick([0, 0.04, 0.06, 0.0625, 0.07, 0.08, 0.0875, 0.1]);
}

/** Most accounts are made at first checkout; some sign up days or weeks before buying. */
export function accountCreatedMs(firstOrderMs: number, shopCreatedMs: number, rng: Rng): number {
  const early = rng.chance(0.2);
  const ms = early ? firstOrderMs - rng.float(1, 90) * DAY_MS : firstOrderMs - rng.int(5, 600) * 1000;
  return Math.floor(Math.max(shopCreatedMs, ms) / 1000) * 1000;
}

export function makePerson(
  id: string,
  archetype: Archetype,
  createdMs: number,
  lastOrderMs: number,
  asOfMs: number,
  rng: Rng,
): Person {
  const behaviour = BEHAVIOUR[archetype];
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const updatedMs = Math.min(asOfMs, Math.max(createdMs, lastOrderMs + rng.int(1, 120) * 1000));
  const phoneOnly = rng.chance(0.015);
  const hasPhone = phoneOnly || rng.chance(0.4);
  const email = phoneOnly
    ? null
    : `${firstName}.${lastName}.${id.slice(-6)}@${rng.pick(EMAIL_DOMAINS)}`.toLowerCase();
  const phone = hasPhone ? `+1555${String(rng.int(0, 9_999_999)).padStart(7, "0")}` : null;
  const emailState = email === null ? "NOT_SUBSCRIBED" : MARKETING_STATES[rng.weighted(behaviour.emailMarketing)];
  const smsState = hasPhone && rng.chance(behaviour.smsSubscribed) ? "SUBSCRIBED" : "NOT_SUBSCRIBED";
  const tags = rng.chance(0.08) ? [rng.pick(MERCHANT_TAGS)] : [];

  return {
    taxRate: taxRateFor(rng),
    customer: {
      id,
      firstName,
      lastName,
      email,
      phone,
      tags,
      note: rng.chance(0.03) ? "Prefers gift wrapping" : null,
      createdAt: isoSeconds(createdMs),
      updatedAt: isoSeconds(updatedMs),
      emailMarketingState: emailState,
      smsMarketingState: smsState,
      metafields: [],
      deletedAt: null,
    },
  };
}

export function guestEmail(ordinal: number, rng: Rng): string | null {
  return rng.chance(0.95) ? `guest.${ordinal}@${rng.pick(EMAIL_DOMAINS)}` : null;
}
