import { describe, expect, it } from "vitest";
import { generateStore } from "../../test/fake-shopify/generator";
import { historiesFromStore } from "../../test/support/seed-store";
import { GROUPS, scoreShop, type Group } from "./index";

// The seeded fake store plants customers of each archetype (test/fake-shopify/generator/README.md);
// the balanced preset should find them again. The rules were tuned looking at seeds 7 and 11 only;
// 4242 and 31337 are held out: they were first scored when this test was written. Each seed
// runs twice: the plain store, and the same store with issue 11's shapes mixed in (tax-inclusive
// prices, a far time zone, presentment currencies, gift cards, test orders, edits, restock-only
// refunds, phone-only buyers, 0.00 gift lines, same-evening top-ups), read in the shop's days.
const SEEDS = [
  { seed: 7, tunedOn: true },
  { seed: 4242, tunedOn: false },
  { seed: 31337, tunedOn: false },
];
const CUSTOMERS = 2000;
const MIN_PRECISION_RECALL = 0.97;

type Matrix = Record<Group, Record<Group, number>>;

function confusion(seed: number, shapes: boolean): { matrix: Matrix; chosen: string } {
  const store = generateStore({ seed, shopDomain: `archetypes-${seed}.myshopify.com`, customers: CUSTOMERS, shapes });
  if (shapes) expect(store.shop.ianaTimezone, "the shaped store has its far time zone").not.toBe("UTC");
  const scores = scoreShop(historiesFromStore(store), {
    asOf: new Date(store.truth.asOf),
    defaultMarginRate: 0.4,
    timeZone: store.shop.ianaTimezone ?? null,
  });
  const matrix = Object.fromEntries(GROUPS.map((g) => [g, Object.fromEntries(GROUPS.map((h) => [h, 0]))])) as Matrix;
  for (const c of scores.customers) {
    const truth = store.truth.archetypeByCustomerId.get(c.customerId);
    if (truth !== undefined) matrix[truth][c.group]++;
  }
  const choice = scores.backtest?.choice;
  return { matrix, chosen: `${choice?.kind ?? "none"} (${choice?.reason ?? "no backtest"}), model ${scores.model.kind}` };
}

const rowTotal = (m: Matrix, truth: Group) => GROUPS.reduce((s, h) => s + m[truth][h], 0);
const columnTotal = (m: Matrix, predicted: Group) => GROUPS.reduce((s, g) => s + m[g][predicted], 0);
const recall = (m: Matrix, g: Group) => m[g][g] / rowTotal(m, g);
const precision = (m: Matrix, g: Group) => m[g][g] / columnTotal(m, g);

function render(seed: number, tunedOn: boolean, shapes: boolean, m: Matrix): string {
  const cell = (v: string | number) => String(v).padStart(11);
  const lines = [
    `seed ${seed} (${tunedOn ? "tuned on" : "held out"}${shapes ? ", shapes mixed in" : ""}), ${CUSTOMERS} customers, balanced preset: rows = planted archetype, columns = group`,
    "".padEnd(12) + GROUPS.map(cell).join("") + cell("recall"),
    ...GROUPS.map((g) => g.padEnd(12) + GROUPS.map((h) => cell(m[g][h])).join("") + cell(recall(m, g).toFixed(3))),
    "precision".padEnd(12) + GROUPS.map((h) => cell(precision(m, h).toFixed(3))).join(""),
  ];
  return lines.join("\n");
}

describe("planted archetypes of the fake store", () => {
  for (const shapes of [false, true])
    for (const { seed, tunedOn } of SEEDS) {
    it(`are recovered per group with the required precision and recall (seed ${seed}, ${tunedOn ? "tuned on" : "held out"}${shapes ? ", shapes mixed in" : ""})`, () => {
      const { matrix: m, chosen } = confusion(seed, shapes);
      console.log(`${render(seed, tunedOn, shapes, m)}\nranking chosen by the backtest: ${chosen}`);
      for (const g of GROUPS) {
        expect(rowTotal(m, g), `planted ${g}`).toBeGreaterThan(0);
        expect(recall(m, g), `${g} recall`).toBeGreaterThanOrEqual(MIN_PRECISION_RECALL);
        expect(precision(m, g), `${g} precision`).toBeGreaterThanOrEqual(MIN_PRECISION_RECALL);
      }
    }, 120_000);
  }
});
