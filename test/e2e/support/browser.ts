import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type FrameLocator, type Page } from "playwright-core";

export const ARTIFACTS = path.resolve(import.meta.dirname, "../../../test-results/e2e");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Headless Chrome's own user agent says "HeadlessChrome", which Shopify's library
// answers with 410 as a bot; a person's browser does not.
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function openAdmin(browser: Browser, url: string): Promise<{ page: Page; app: FrameLocator; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, userAgent: USER_AGENT });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Nothing here reaches Shopify's CDN (fonts, App Bridge): the demo admin serves App
  // Bridge's stand-in; anything else from the CDN is answered empty.
  await page.route("https://cdn.shopify.com/**", (route) => route.fulfill({ status: 200, body: "" }));
  await page.goto(url);
  return { page, app: page.frameLocator("iframe[title=Patron]"), errors };
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
