import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openAdmin, screenshot } from "./support/browser";
import { processesInGroup, type RunningDemo, startDemo } from "./support/demo";

// Issue 8: `npm run demo -- --headless` on this checkout with no DATABASE_URL, the
// merchant UI in Chromium, a new order flowing through, and a clean stop.

let demo: RunningDemo;
let browser: Browser;

describe("the one-command demo", () => {
  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("gets ready with the store backfilled and says so in one JSON line", () => {
    console.log(`demo ready in ${(demo.startedInMs / 1000).toFixed(1)} s (its own count: ${demo.ready.seconds} s)`);
    expect(demo.ready).toMatchObject({ ready: true, shop: "demo-store.myshopify.com", customers: 2000 });
    expect(demo.ready.orders).toBeGreaterThan(15_000);
    expect(demo.ready.adminUrl).toMatch(/^http:\/\/localhost:\d+\/admin$/);
  });

  it("embeds the app in the admin stand-in, authenticated by session token", async () => {
    const { page, app, errors } = await openAdmin(browser, demo.ready.adminUrl);
    await expect.poll(async () => (await app.locator("body").innerText()).length, { timeout: 60_000 }).toBeGreaterThan(20);
    await screenshot(page, "demo-dashboard");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("stops every process it started on Ctrl-C", async () => {
    const code = await demo.stop();
    expect(code).toBe(0);
    await expect.poll(() => processesInGroup(demo.processGroup), { timeout: 30_000 }).toEqual([]);
  });
});
