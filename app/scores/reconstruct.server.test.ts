import { beforeAll, describe, expect, it } from "vitest";
import { generateStore } from "../../test/fake-shopify/generator";
import { seedStore } from "../../test/support/seed-store";
import prisma from "../db.server";
import { monthEndsBefore } from "./reconstruct.server";
import { rescoreShop } from "./rescore.server";

// Mid-month, so the real scoring has three weeks of its own after the last month-end.
const store = generateStore({ seed: 11, shopDomain: "reconstruct.myshopify.com", customers: 400, asOf: new Date("2026-11-22T00:00:00Z") });
let shopId: number;

describe("month-ends to reconstruct", () => {
  it("are the last instants of the 12 months before asOf's month, oldest first", () => {
    const ends = monthEndsBefore(new Date("2026-11-30T05:00:00Z"));
    expect(ends).toHaveLength(12);
    expect(ends[0].toISOString()).toBe("2025-11-30T23:59:59.999Z");
    expect(ends[1].toISOString()).toBe("2025-12-31T23:59:59.999Z");
    expect(ends[2].toISOString()).toBe("2026-01-31T23:59:59.999Z");
    expect(ends[11].toISOString()).toBe("2026-10-31T23:59:59.999Z");
  });
});

describe("history reconstructed at the first scoring", () => {
  beforeAll(async () => {
    shopId = await seedStore(prisma, store);
  }, 120_000);

  it("scores the shop as of each past month-end and records the moves between them, marked reconstructed", async () => {
    const asOf = new Date(store.truth.asOf);
    const result = await rescoreShop(prisma, shopId, "backfill", asOf, { reconstructHistory: true });
    const fits = await prisma.modelFit.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    const reconstructed = fits.filter((f) => f.reconstructed);
    expect(reconstructed).toHaveLength(12);
    expect(reconstructed.map((f) => f.asOf!.toISOString())).toEqual(monthEndsBefore(asOf).map((d) => d.toISOString()));
    expect(reconstructed.every((f) => f.trigger === "reconstruct" && f.backtest !== null)).toBe(true);
    // The real scoring run comes last and is the only one not reconstructed.
    expect(fits[fits.length - 1]).toMatchObject({ id: result.fitId, reconstructed: false });

    const changes = await prisma.groupChange.findMany({ where: { shopId, reconstructed: true } });
    const monthEnds = new Set(monthEndsBefore(asOf).map((d) => d.getTime()));
    expect(changes.every((c) => monthEnds.has(c.at.getTime()))).toBe(true);
    const moves = changes.filter((c) => c.from !== null);
    console.log(`reconstructed: ${changes.length} changes, ${moves.length} moves between groups, ${moves.filter((c) => c.from === "volume" && c.to === "valued").length} volume → valued`);
    expect(moves.length).toBeGreaterThan(0);

    // Today's changes start from the last month-end's groups, not from nothing.
    const fromSomewhere = result.changes.filter((c) => c.from !== null);
    expect(fromSomewhere.length).toBeGreaterThan(0);
    const lastMonth = new Map<string, string>();
    for (const c of [...changes].sort((a, b) => a.at.getTime() - b.at.getTime())) lastMonth.set(c.customerId.toString(), c.to);
    for (const c of result.changes) {
      expect(c.from).toBe(lastMonth.get(c.customerId.toString()) ?? null);
    }
    const live = await prisma.groupChange.findMany({ where: { shopId, reconstructed: false } });
    expect(live).toHaveLength(result.changes.length);
  }, 120_000);

  it("does not reconstruct again once the shop has scores", async () => {
    const before = await prisma.groupChange.count({ where: { shopId, reconstructed: true } });
    await rescoreShop(prisma, shopId, "backfill", new Date(store.truth.asOf), { reconstructHistory: true });
    expect(await prisma.groupChange.count({ where: { shopId, reconstructed: true } })).toBe(before);
    expect(await prisma.modelFit.count({ where: { shopId, reconstructed: true } })).toBe(12);
  }, 120_000);
});
