import { afterEach, describe, expect, it } from "vitest";
import { eventLoopGate, type LoadGate } from "./load-gate.server";

const blockFor = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the event-loop gate", () => {
  let gate: LoadGate | undefined;
  afterEach(() => gate?.close());

  it("is open while the loop keeps up", async () => {
    gate = eventLoopGate({ maxDelayMs: 200, windowMs: 50 });
    await idle(200);
    expect(gate.busy()).toBe(false);
    expect(gate.delayMs()).toBeLessThan(200);
  });

  it("closes while the loop is stuck and for the turn after, when what queued meanwhile is read, then opens again", async () => {
    gate = eventLoopGate({ maxDelayMs: 200, windowMs: 50 });
    await idle(100);
    blockFor(400);
    // Still inside the blocking turn: the window's timer is late by the block itself.
    expect(gate.busy()).toBe(true);
    // The window's timer runs before the sockets that filled up during the block are read.
    await idle(0);
    expect(gate.busy()).toBe(true);
    expect(gate.delayMs()).toBeGreaterThan(200);
    await idle(300);
    expect(gate.busy()).toBe(false);
  });
});
