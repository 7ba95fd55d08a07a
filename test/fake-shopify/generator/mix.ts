import type { Archetype } from "../store/model";
import type { Rng } from "./rng";

export const ARCHETYPES: readonly Archetype[] = ["valued", "volume", "rising", "at_risk", "new", "occasional"];

export const DEFAULT_MIX: Readonly<Record<Archetype, number>> = {
  valued: 0.15,
  volume: 0.2,
  rising: 0.1,
  at_risk: 0.1,
  new: 0.1,
  occasional: 0.35,
};

/** Exact counts per archetype (largest remainder), so small stores still match the mix. */
export function archetypeCounts(customers: number, mix: Partial<Record<Archetype, number>> = {}): Record<Archetype, number> {
  const weights = ARCHETYPES.map((a) => {
    const w = mix[a] ?? DEFAULT_MIX[a];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`archetypeMix.${a} must be a non-negative number`);
    return w;
  });
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) throw new RangeError("archetypeMix must give some archetype a positive weight");
  const exact = weights.map((w) => (customers * w) / total);
  const counts = exact.map(Math.floor);
  let left = customers - counts.reduce((s, c) => s + c, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((p, q) => q.r - p.r || p.i - q.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    counts[i] += 1;
  }
  return Object.fromEntries(ARCHETYPES.map((a, i) => [a, counts[i]])) as Record<Archetype, number>;
}

export function shuffledArchetypes(counts: Record<Archetype, number>, rng: Rng): Archetype[] {
  const list: Archetype[] = [];
  for (const a of ARCHETYPES) for (let i = 0; i < counts[a]; i++) list.push(a);
  return rng.shuffle(list);
}
