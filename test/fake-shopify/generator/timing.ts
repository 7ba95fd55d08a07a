import type { Archetype } from "../store/model";
import { DAY_MS, SeasonalClock, type Seasonality, timeOfDay } from "./calendar";
import type { Rng } from "./rng";

export interface Timeline {
  readonly startMs: number;
  readonly asOfMs: number;
  readonly clocks: Readonly<Record<Seasonality, SeasonalClock>>;
  /** Multiplies purchase frequency of the repeat archetypes (valued, volume, at_risk). */
  readonly rateFactor: number;
}

const MIN_GAP_MS = 60_000;
const LATEST_MS_BEFORE_AS_OF = 60_000;

export function makeTimeline(startMs: number, asOfMs: number, rateFactor: number): Timeline {
  return {
    startMs,
    asOfMs,
    rateFactor,
    clocks: {
      base: new SeasonalClock(startMs - 30 * DAY_MS, asOfMs + DAY_MS, "base"),
      deals: new SeasonalClock(startMs - 30 * DAY_MS, asOfMs + DAY_MS, "deals"),
    },
  };
}

function historyDays(t: Timeline): number {
  return (t.asOfMs - t.startMs) / DAY_MS;
}

/** A purchase on the given day, at a realistic hour. */
function onDay(ms: number, rng: Rng): number {
  return Math.floor(ms / DAY_MS) * DAY_MS + timeOfDay(rng.next(), rng.next());
}

/** Gamma-distributed gaps in seasonal operational time, from `fromMs` until `untilMs`. */
function renewal(t: Timeline, kind: Seasonality, fromMs: number, untilMs: number, meanGapDays: number, shape: number, rng: Rng): number[] {
  const clock = t.clocks[kind];
  const times = [fromMs];
  let u = clock.toOperational(fromMs);
  const end = clock.toOperational(untilMs);
  for (;;) {
    u += rng.gamma(shape, meanGapDays);
    if (u >= end) return times;
    times.push(clock.fromOperational(u));
  }
}

/** Redraws a short history so every repeat customer really repeats; spaces evenly as a last resort. */
function renewalAtLeast(
  t: Timeline,
  kind: Seasonality,
  fromMs: number,
  untilMs: number,
  meanGapDays: number,
  shape: number,
  minimum: number,
  rng: Rng,
): number[] {
  for (let attempt = 0; attempt < 8; attempt++) {
    const times = renewal(t, kind, fromMs, untilMs, meanGapDays, shape, rng);
    if (times.length >= minimum) return times;
  }
  const step = (untilMs - fromMs) / minimum;
  return Array.from({ length: minimum }, (_, i) => fromMs + i * step);
}

function daysAgo(t: Timeline, days: number): number {
  return t.asOfMs - days * DAY_MS;
}

function valued(t: Timeline, rng: Rng): number[] {
  const gap = rng.float(30, 70) / t.rateFactor;
  const first = daysAgo(t, rng.float(Math.min(365, historyDays(t) - 30), historyDays(t) - 2));
  const times = renewalAtLeast(t, "base", first, t.asOfMs, gap, 4, 6, rng);
  // Still buying: the last order is no older than their usual rhythm.
  if (t.asOfMs - times[times.length - 1] > 1.2 * gap * DAY_MS) times.push(daysAgo(t, rng.float(0.2, Math.min(gap, 60))));
  return times;
}

function atRisk(t: Timeline, rng: Rng): number[] {
  let gap = rng.float(25, 55) / t.rateFactor;
  const silence = Math.max(rng.float(120, 330), 3.5 * gap);
  const maxFirst = historyDays(t) - 2;
  if (silence + 6 * gap > maxFirst) gap = Math.max(7, (maxFirst - silence) / 6);
  const first = daysAgo(t, rng.float(Math.min(silence + 6 * gap, maxFirst), maxFirst));
  return renewalAtLeast(t, "base", first, daysAgo(t, silence), gap, 4, 5, rng);
}

function volume(t: Timeline, rng: Rng): number[] {
  const gap = rng.float(12, 32) / t.rateFactor;
  const first = daysAgo(t, rng.float(120, historyDays(t) - 2));
  const times = renewalAtLeast(t, "deals", first, t.asOfMs, gap, 1.5, 4, rng);
  if (t.asOfMs - times[times.length - 1] > 25 * DAY_MS) times.push(daysAgo(t, rng.float(0.2, 25)));
  return times;
}

/** Gaps shrink geometrically: each order comes sooner than the last. */
function rising(t: Timeline, rng: Rng): number[] {
  const firstAge = rng.float(90, 270);
  const lastAge = rng.float(0.3, 21);
  const count = rng.int(4, 8);
  const ratio = rng.float(0.55, 0.8);
  const weights = Array.from({ length: count - 1 }, (_, j) => Math.pow(ratio, j) * rng.float(0.9, 1.1));
  const total = weights.reduce((s, w) => s + w, 0);
  const times = [daysAgo(t, firstAge)];
  let age = firstAge;
  for (const w of weights) {
    age -= ((firstAge - lastAge) * w) / total;
    times.push(daysAgo(t, age));
  }
  return times;
}

function fresh(t: Timeline, rng: Rng): number[] {
  const firstAge = rng.float(0.1, 44);
  if (firstAge < 3 || !rng.chance(0.22)) return [daysAgo(t, firstAge)];
  return [daysAgo(t, firstAge), daysAgo(t, rng.float(0.05, firstAge - 1))];
}

function occasional(t: Timeline, rng: Rng): number[] {
  const count = 1 + rng.weighted([0.5, 0.3, 0.2]);
  const clock = t.clocks.base;
  const lo = clock.toOperational(t.startMs);
  const hi = clock.toOperational(daysAgo(t, 75));
  for (let attempt = 0; attempt < 20; attempt++) {
    const times = Array.from({ length: count }, () => clock.fromOperational(rng.float(lo, hi))).sort((a, b) => a - b);
    if (times.every((x, i) => i === 0 || x - times[i - 1] > 60 * DAY_MS)) return times;
  }
  return [clock.fromOperational(rng.float(lo, hi))];
}

const PLANNERS: Readonly<Record<Archetype, (t: Timeline, rng: Rng) => number[]>> = {
  valued,
  at_risk: atRisk,
  volume,
  rising,
  new: fresh,
  occasional,
};

/** Sorted, distinct order times for one customer, all at least a minute before asOf. */
export function orderTimes(archetype: Archetype, t: Timeline, rng: Rng): number[] {
  const raw = PLANNERS[archetype](t, rng);
  const latest = t.asOfMs - LATEST_MS_BEFORE_AS_OF;
  const times = raw
    .map((ms) => onDay(ms, rng))
    .map((ms) => (ms > latest ? latest - rng.int(0, 6 * 3600) * 1000 : ms))
    .map((ms) => Math.max(ms, t.startMs))
    .sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) {
    if (times[i] - times[i - 1] < MIN_GAP_MS) times[i] = times[i - 1] + MIN_GAP_MS;
  }
  return times.map((ms) => Math.floor(ms / 1000) * 1000);
}

export function guestOrderTime(t: Timeline, rng: Rng): number {
  const clock = t.clocks.base;
  const u = rng.float(clock.toOperational(t.startMs), clock.toOperational(t.asOfMs - DAY_MS));
  return Math.floor(onDay(clock.fromOperational(u), rng) / 1000) * 1000;
}

export const REPEAT_ARCHETYPES: ReadonlySet<Archetype> = new Set(["valued", "volume", "at_risk"]);
