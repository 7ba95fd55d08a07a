import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openAdmin, screenshot } from "./support/browser";
import { alive, descendants, type RunningDemo, startDemo } from "./support/demo";

// `npm run demo -- --headless` on this checkout with no DATABASE_URL, then the
// merchant's admin in Debian's Chromium: the dashboard, the valued list sorted and
// filtered, a customer's reasons, a VIP action and a campaign, each checked against
// the fake Shopify; a new order moving a customer's score; and a clean stop.

let demo: RunningDemo;
let browser: Browser;
let page: Page;
let app: FrameLocator;
const pageErrors: string[] = [];
/** The code of the campaign the create step made, for the steps that manage it. */
let campaignCode = "";

async function control<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${demo.ready.shopifyUrl}/_control/shops/${demo.ready.shop}${path}`, {
    ...init,
    headers: { "content-type": "application/json" },
  });
  if (!response.ok) throw new Error(`fake Shopify ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function frameUrl(): URL {
  const frame = page.frames().find((f) => f.url().includes("/app"));
  return new URL(frame!.url());
}

const portal = () => app.locator("#PolarisPortalsContainer");

async function rows(): Promise<string[][]> {
  return app.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
  );
}

describe("Patron in the browser, on the one-command demo", () => {
  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchBrowser();
    const opened = await openAdmin(browser, demo.ready.adminUrl);
    page = opened.page;
    app = opened.app;
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it("gets ready with the store backfilled and says so in one JSON line", () => {
    console.log(`demo ready in ${(demo.startedInMs / 1000).toFixed(1)} s (its own count: ${demo.ready.seconds} s)`);
    expect(demo.ready).toMatchObject({ ready: true, shop: "demo-store.myshopify.com", customers: 2000 });
    expect(demo.ready.orders).toBeGreaterThan(15_000);
    expect(demo.ready.adminUrl).toMatch(/^http:\/\/localhost:\d+\/admin$/);
  });

  it("serves the app's icon from public/", async () => {
    for (const [file, type] of [["/favicon.ico", "image/"], ["/icon.svg", "image/svg+xml"], ["/icon-192.png", "image/png"]]) {
      const response = await fetch(`${demo.ready.appUrl}${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get("content-type"), file).toContain(type);
      expect((await response.arrayBuffer()).byteLength, file).toBeGreaterThan(100);
    }
  });

  it("opens the dashboard inside the admin, authenticated by session token", async () => {
    await app.getByText("What each group is worth").waitFor({ timeout: 60_000 });
    await app.getByText("Valued", { exact: true }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, "1-dashboard");
  });

  it("opens the valued list, sorts it by predicted CLV and filters it to VIPs", async () => {
    await app.getByRole("link", { name: "Customers", exact: true }).first().click();
    await expect.poll(() => app.getByRole("tab", { name: /Valued/ }).first().getAttribute("aria-selected"), { timeout: 90_000 }).toBe("true");
    const valued = await rows();
    expect(valued.length).toBeGreaterThan(5);
    // A Polaris badge's text carries its tone for screen readers ("SuccessValued").
    expect(valued.every((r) => r.some((cell) => cell.endsWith("Valued")))).toBe(true);
    await screenshot(page, "2-valued-list");

    await app.getByRole("button", { name: "Sort the results" }).click();
    await portal().getByText("Predicted CLV", { exact: true }).click();
    await expect.poll(() => frameUrl().searchParams.get("sort"), { timeout: 20_000 }).toBe("clv");
    await page.keyboard.press("Escape");
    const clvColumn = (await app.locator("thead th").allInnerTexts()).findIndex((h) => h.trim() === "Predicted CLV");
    await expect
      .poll(async () => {
        const clv = (await rows()).map((r) => Number(r[clvColumn].replace(/[^0-9.]/g, "")));
        return clv.length > 1 && clv.every((v, i) => i === 0 || clv[i - 1] >= v);
      }, { timeout: 20_000 })
      .toBe(true);

    await app.getByRole("button", { name: "Search and filter results" }).click();
    await app.getByRole("button", { name: "Add filter" }).click();
    await portal().getByText("VIP", { exact: true }).click();
    await portal().getByText("VIP only", { exact: true }).click();
    await expect.poll(() => frameUrl().searchParams.get("vip"), { timeout: 20_000 }).toBe("1");
    await page.keyboard.press("Escape");
    await expect.poll(async () => (await rows()).every((r) => r.some((c) => c.startsWith("VIP"))), { timeout: 20_000 }).toBe(true);
    await screenshot(page, "3-valued-by-clv-vip-only");
  });

  it("opens a volume customer, reads their reasons, and makes them VIP: the fake shows the tag", async () => {
    // A fresh list: the filter bar of the previous step hides the group tabs.
    await page.goto(`${demo.ready.adminUrl}/customers`);
    app = page.frameLocator("iframe[title=Patron]");
    await app.getByRole("tab", { name: /Volume/ }).first().click({ timeout: 60_000 });
    await expect.poll(() => app.getByRole("tab", { name: /Volume/ }).first().getAttribute("aria-selected"), { timeout: 20_000 }).toBe("true");
    await expect.poll(async () => (await rows()).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const firstVolume = app.locator("tbody tr").filter({ hasNot: app.getByText(/^VIP/) }).first();
    await firstVolume.getByRole("link").first().click();
    await app.getByRole("columnheader", { name: "Reason" }).waitFor({ timeout: 30_000 });
    const reasons = await app.locator("table").filter({ has: app.getByRole("columnheader", { name: "Reason" }) }).locator("tbody tr").allInnerTexts();
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.join("\n")).toMatch(/\d/);
    const customerId = frameUrl().pathname.split("/").pop()!;
    await screenshot(page, "4-customer-reasons");

    await app.getByRole("button", { name: /^Make .* a VIP$/ }).click();
    await app.getByRole("button", { name: /^Remove VIP from / }).waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await control<Record<string, string[]>>("/customer-tags"))[customerId] ?? [], { timeout: 30_000 })
      .toContain("patron:vip");
    await screenshot(page, "5-customer-vip");
  });

  it("creates a campaign for the volume group: the fake holds the segment and the discount", async () => {
    await page.goto(`${demo.ready.adminUrl}/campaigns/new`);
    app = page.frameLocator("iframe[title=Patron]");
    await app.getByLabel("Title").fill("Volume weekend");
    const code = `VOLUME${Date.now() % 1_000_000}`;
    campaignCode = code;
    await app.getByLabel("Discount code").fill(code);
    await app.getByLabel("Audience").selectOption("group:volume");
    await app.getByLabel("Value").fill("10");
    // No hold-out group: the audience is then the Shopify segment built from Patron's tag.
    await app.getByLabel("Control group").fill("0");
    await app.getByRole("button", { name: "Review campaign" }).click();
    await screenshot(page, "6-campaign-review");
    await app.getByRole("button", { name: "Create campaign" }).click();
    await expect.poll(() => frameUrl().pathname, { timeout: 60_000 }).toMatch(/^\/app\/campaigns\/(?!new$)[\w-]+$/);
    const discounts = await control<{ codes: { code: string }[] }[]>("/discounts");
    expect(discounts.flatMap((d) => d.codes.map((c) => c.code))).toContain(code);
    const segments = await control<{ query: string }[]>("/segments");
    expect(segments.map((s) => s.query).join("\n")).toMatch(/patron:volume/);
    await screenshot(page, "7-campaign");
  });

  it("edits, ends, duplicates and deletes a campaign: the fake's discount follows each step", async () => {
    const id = frameUrl().pathname.split("/").pop()!;
    const code = campaignCode;
    const discount = async (c: string) =>
      (await control<{ title: string; status: string; value: { percentage?: number } | null; codes: { code: string }[] }[]>("/discounts")).find((d) => d.codes.some((x) => x.code === c));
    // Page actions may fold into "More actions" on a narrow frame.
    const pageAction = async (name: string) => {
      const direct = app.getByRole("button", { name, exact: true }).or(app.getByRole("link", { name, exact: true })).first();
      if (await direct.isVisible()) return direct.click();
      await app.getByRole("button", { name: "More actions" }).click();
      await portal().getByText(name, { exact: true }).click();
    };

    await pageAction("Edit");
    await expect.poll(() => frameUrl().pathname, { timeout: 30_000 }).toBe(`/app/campaigns/${id}/edit`);
    await app.getByText("What can change").waitFor({ timeout: 30_000 });
    await app.getByLabel("Title").fill("Volume weekend, extended");
    await app.getByLabel("Percentage off").fill("12");
    await screenshot(page, "7a-campaign-edit");
    await app.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => frameUrl().pathname, { timeout: 30_000 }).toBe(`/app/campaigns/${id}`);
    expect(await discount(code)).toMatchObject({ title: "Volume weekend, extended", status: "ACTIVE", value: { percentage: 0.12 } });

    await pageAction("End now");
    await app.locator("form").getByRole("button", { name: "End now" }).click();
    await expect.poll(async () => (await discount(code))?.status, { timeout: 30_000 }).toBe("EXPIRED");
    await app.getByText(/Ended early on/).waitFor({ timeout: 30_000 });
    await screenshot(page, "7b-campaign-ended");

    await pageAction("Duplicate");
    await expect.poll(() => frameUrl().pathname, { timeout: 30_000 }).toBe("/app/campaigns/new");
    await expect.poll(() => app.getByLabel("Discount code").inputValue(), { timeout: 30_000 }).toBe(`${code}-2`);
    await expect.poll(() => app.getByLabel("Title").inputValue()).toBe("Copy of Volume weekend, extended");
    await app.getByRole("button", { name: "Review campaign" }).click();
    await app.getByRole("button", { name: "Create campaign" }).click();
    await expect.poll(() => frameUrl().pathname, { timeout: 60_000 }).toMatch(/^\/app\/campaigns\/(?!new$)[\w-]+$/);
    expect(frameUrl().pathname).not.toBe(`/app/campaigns/${id}`);
    expect(await discount(`${code}-2`)).toMatchObject({ status: "ACTIVE", value: { percentage: 0.12 } });

    await pageAction("Delete");
    await app.locator("form").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => frameUrl().pathname, { timeout: 30_000 }).toBe("/app/campaigns");
    expect(await discount(`${code}-2`)).toBeUndefined();
    expect(await discount(code)).toMatchObject({ status: "EXPIRED" });
    await screenshot(page, "7c-campaigns-after-delete");
  });

  it("adds every customer of a filtered list, across pages, to a campaign: the fake's discount lists every one of them", async () => {
    await page.goto(`${demo.ready.adminUrl}/customers`);
    app = page.frameLocator("iframe[title=Patron]");
    await expect.poll(() => app.getByRole("tab", { name: /Valued/ }).first().getAttribute("aria-selected"), { timeout: 60_000 }).toBe("true");
    const total = Number((await app.getByText(/customers? match(es)? this filter/).innerText()).replace(/\D/g, ""));
    expect(total).toBeGreaterThan((await rows()).length);
    await app.locator("thead").getByRole("checkbox").first().check({ force: true });
    await app.getByRole("button", { name: `Add all ${total.toLocaleString("en")} to a campaign` }).click();
    await expect.poll(() => frameUrl().pathname, { timeout: 30_000 }).toBe("/app/campaigns/new");
    await app.getByText("Filter from the customer list: Valued customers").waitFor({ timeout: 30_000 });
    expect(await app.getByLabel("Audience").inputValue()).toBe("filter");
    await app.getByLabel("Title").fill("Valued thank-you");
    const code = `VALUEDALL${Date.now() % 1_000_000}`;
    await app.getByLabel("Discount code").fill(code);
    await app.getByLabel("Control group").fill("0");
    await app.getByRole("button", { name: "Review campaign" }).click();
    await screenshot(page, "7d-campaign-from-filter");
    await app.getByRole("button", { name: "Create campaign" }).click();
    await expect.poll(() => frameUrl().pathname, { timeout: 60_000 }).toMatch(/^\/app\/campaigns\/(?!new$)[\w-]+$/);
    // Past 250 customers the worker lists the rest; the discount ends up with every one.
    const listed = async () => {
      const found = (await control<{ codes: { code: string }[]; context: { kind: string; customerIds?: string[] } }[]>("/discounts")).find((d) => d.codes.some((c) => c.code === code));
      return found?.context.customerIds?.length ?? 0;
    };
    await expect.poll(listed, { timeout: 60_000 }).toBe(total);
    await screenshot(page, "7e-campaign-from-filter-created");
  });

  it("moves a customer's score after an order placed through the fake Shopify", async () => {
    const truth = await control<{ archetypeByCustomerId: Record<string, string> }>("/truth");
    const customerId = Object.keys(truth.archetypeByCustomerId).findLast((id) => truth.archetypeByCustomerId[id] === "occasional")!;
    await page.goto(`${demo.ready.adminUrl}/customers/${customerId}`);
    app = page.frameLocator("iframe[title=Patron]");
    const scoredOrders = () => app.locator("h3:text-is('Orders') + p");
    await scoredOrders().waitFor({ timeout: 30_000 });
    const before = Number(await scoredOrders().innerText());

    // A variant to buy, read from the fake's Admin API as the app would.
    const { accessToken } = await control<{ accessToken: string }>("/tokens", { method: "POST", body: "{}" });
    const products = await fetch(`${demo.ready.shopifyUrl}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": accessToken, "x-fake-shop-domain": demo.ready.shop },
      body: JSON.stringify({ query: "{ products(first: 1) { nodes { variants(first: 1) { nodes { id } } } } }" }),
    }).then((r) => r.json() as Promise<{ data: { products: { nodes: { variants: { nodes: { id: string }[] } }[] } } }>);
    const variantId = products.data.products.nodes[0].variants.nodes[0].id.split("/").pop()!;
    await control("/orders", { method: "POST", body: JSON.stringify({ customerId, lineItems: [{ variantId, quantity: 2 }] }) });

    // The webhook is synced at once; the rescore it asks for is debounced (30 s windows).
    await expect
      .poll(
        async () => {
          await page.reload();
          app = page.frameLocator("iframe[title=Patron]");
          return Number(await scoredOrders().innerText({ timeout: 30_000 }));
        },
        { timeout: 150_000, interval: 5_000 },
      )
      .toBeGreaterThan(before);
    await screenshot(page, "8-customer-after-order");
  });

  it("answers 200 reloads of the admin's pages while orders stream in and the worker rescores, with no server error", async () => {
    const truth = await control<{ archetypeByCustomerId: Record<string, string> }>("/truth");
    const buyers = Object.keys(truth.archetypeByCustomerId).slice(0, 50);
    const { accessToken } = await control<{ accessToken: string }>("/tokens", { method: "POST", body: "{}" });
    const products = await fetch(`${demo.ready.shopifyUrl}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": accessToken, "x-fake-shop-domain": demo.ready.shop },
      body: JSON.stringify({ query: "{ products(first: 5) { nodes { variants(first: 1) { nodes { id } } } } }" }),
    }).then((r) => r.json() as Promise<{ data: { products: { nodes: { variants: { nodes: { id: string }[] } }[] } } }>);
    const variants = products.data.products.nodes.map((p) => p.variants.nodes[0].id.split("/").pop()!);
    const metafieldsOf = async (id: string) => JSON.stringify((await control<Record<string, unknown>>("/metafields"))[id] ?? null);
    const watched = buyers[0];
    const before = await metafieldsOf(watched);

    const serverErrors: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });
    // An order every second, the first one for the watched customer: webhooks, then rescoring every 30 s window.
    let placed = 0;
    const stream = setInterval(() => {
      const customerId = buyers[placed % buyers.length];
      const variantId = variants[placed % variants.length];
      placed++;
      void control("/orders", { method: "POST", body: JSON.stringify({ customerId, lineItems: [{ variantId, quantity: 1 }] }) }).catch(() => undefined);
    }, 1000);
    const paths = ["", "/customers", `/customers/${watched}`, "/campaigns", "/settings"];
    const started = Date.now();
    let slowest = 0;
    try {
      for (let i = 0; i < 200; i++) {
        const path = paths[i % paths.length];
        const t0 = Date.now();
        try {
          await page.goto(`${demo.ready.adminUrl}${path}`, { waitUntil: "domcontentloaded", timeout: 120_000 });
          app = page.frameLocator("iframe[title=Patron]");
          await app.locator(".Polaris-Page").first().waitFor({ timeout: 120_000 });
        } catch (error) {
          throw new Error(`reload ${i + 1} (${path || "/"}) did not render after ${Date.now() - t0} ms: ${(error as Error).message}`);
        }
        slowest = Math.max(slowest, Date.now() - t0);
      }
    } finally {
      clearInterval(stream);
    }
    console.log(`200 reloads in ${Math.round((Date.now() - started) / 1000)} s (slowest ${slowest} ms) while ${placed} orders streamed in`);
    expect(serverErrors).toEqual([]);
    // The worker did rescore meanwhile: the watched customer's metafields were written anew.
    await expect.poll(() => metafieldsOf(watched), { timeout: 90_000, interval: 5_000 }).not.toBe(before);
  }, 1_500_000);

  it("shows the dashboard, a customer list, a customer page and the settings in Simplified Chinese when admin's locale is zh-CN", async () => {
    const rawKey = /\b(nav|common|groups|units|reasons|dashboard|accuracy|customers?|export|list|personas|settings|errors)\.[a-zA-Z_]+/;
    const frameText = () => app.locator("body").innerText();

    await page.goto(`${demo.ready.adminUrl}?locale=zh-CN`);
    app = page.frameLocator("iframe[title=Patron]");
    await app.getByText("各分组的价值").waitFor({ timeout: 90_000 });
    await app.getByText("高价值客户", { exact: true }).first().waitFor({ timeout: 10_000 });
    expect(await app.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await frameText()).not.toMatch(rawKey);
    expect(await frameText()).not.toContain("What each group is worth");
    await screenshot(page, "zh-1-dashboard");

    await page.goto(`${demo.ready.adminUrl}/customers?locale=zh-CN`);
    app = page.frameLocator("iframe[title=Patron]");
    await expect.poll(() => app.getByRole("tab", { name: /高价值/ }).first().getAttribute("aria-selected"), { timeout: 90_000 }).toBe("true");
    await expect.poll(async () => (await rows()).length, { timeout: 30_000 }).toBeGreaterThan(0);
    // Polaris renders the index table's headings twice (one copy hidden for the sticky header).
    await app.getByText("预测客户终身价值").filter({ visible: true }).first().waitFor({ timeout: 10_000 });
    // Polaris's own strings are in Chinese too: its search toggle opens the translated search field.
    await app.getByRole("button", { name: "搜索和筛选结果" }).click();
    expect(await app.getByPlaceholder("按姓名或邮箱搜索").count()).toBe(1);
    expect(await frameText()).not.toMatch(rawKey);
    await screenshot(page, "zh-2-customers");

    // Remix's own navigation: the URL no longer carries the locale, the page stays in Chinese.
    await app.locator("tbody tr").first().getByRole("link").first().click();
    await app.getByRole("columnheader", { name: "原因" }).waitFor({ timeout: 30_000 });
    const reasons = await app.locator("table").filter({ has: app.getByRole("columnheader", { name: "原因" }) }).locator("tbody tr").allInnerTexts();
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toMatch(/\p{Script=Han}/u);
    expect(await frameText()).toContain("分组历史");
    expect(await frameText()).not.toMatch(rawKey);
    await screenshot(page, "zh-3-customer");

    await page.goto(`${demo.ready.adminUrl}/settings?locale=zh-CN`);
    app = page.frameLocator("iframe[title=Patron]");
    await app.getByText("经营模式").first().waitFor({ timeout: 90_000 });
    expect(await frameText()).toContain("价值分权重");
    expect(await frameText()).not.toMatch(rawKey);
    expect(await frameText()).not.toMatch(/Business model|Value score weights|Preset:/);
    await screenshot(page, "zh-4-settings");

    // Shopify admin in English again: the app follows it.
    await page.goto(`${demo.ready.adminUrl}?locale=en`);
    app = page.frameLocator("iframe[title=Patron]");
    await app.getByText("What each group is worth").waitFor({ timeout: 90_000 });
  }, 300_000);

  it("raised no error in the page", () => {
    expect(pageErrors).toEqual([]);
  });

  it("stops every process it started on SIGINT to npm's PID", async () => {
    // npm relays SIGINT to the demo (the script execs Node); the demo stops the app, the
    // worker and PostgreSQL, each in a process group of its own, and exits 0.
    const started = descendants(demo.pid);
    expect(started.length).toBeGreaterThanOrEqual(3);
    const exit = await demo.stop("SIGINT");
    expect(exit.code === 0 || exit.signal === "SIGINT").toBe(true);
    await expect.poll(() => started.filter(alive), { timeout: 30_000 }).toEqual([]);
  });
});
