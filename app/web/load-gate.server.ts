import { monitorEventLoopDelay } from "node:perf_hooks";

// A web process whose CPU is saturated answers everything late: requests wait in the
// kernel and in socket buffers before any handler runs, where a per-request deadline
// cannot see them. The event loop's own delay is that wait, so it is what decides
// whether a process takes more work.

export interface LoadGate {
  /** True while this process's event loop is lagging past the gate's bound. */
  busy(): boolean;
  /** Milliseconds of the worst event-loop delay in the last window. */
  delayMs(): number;
  close(): void;
}

export interface LoadGateOptions {
  /** Event-loop delay, in ms, past which the process counts as busy. */
  maxDelayMs?: number;
  /** How often, in ms, the delay is read and its histogram started over. */
  windowMs?: number;
}

/** Event-loop delay past which webhook deliveries get a fast 503 (Shopify waits 5 s in all). */
export const MAX_EVENT_LOOP_DELAY_MS = 500;

/**
 * Watches this process's event-loop delay (node:perf_hooks monitorEventLoopDelay, 10 ms
 * resolution). Busy when the worst delay of the last `windowMs` exceeded `maxDelayMs`, or
 * when the window's own timer is already that late (the loop is stuck right now).
 */
export function eventLoopGate(options: LoadGateOptions = {}): LoadGate {
  const maxDelayMs = options.maxDelayMs ?? MAX_EVENT_LOOP_DELAY_MS;
  const windowMs = options.windowMs ?? 250;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let worst = 0;
  let lastTick = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(histogram.max / 1e6, now - lastTick - windowMs);
    histogram.reset();
    lastTick = now;
  }, windowMs);
  timer.unref();
  const stuckFor = () => performance.now() - lastTick - windowMs;
  return {
    busy: () => worst > maxDelayMs || stuckFor() > maxDelayMs,
    delayMs: () => Math.max(worst, stuckFor(), 0),
    close() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
