export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

/** A clock tests move by hand, so a bucket's refill takes no real time. */
export function createManualClock(start = Date.parse("2026-07-01T00:00:00Z")): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export const isoAt = (clock: Clock): string => new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
