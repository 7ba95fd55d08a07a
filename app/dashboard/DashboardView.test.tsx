import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import zhCN from "@shopify/polaris/locales/zh-CN.json";
import { I18nextProvider } from "react-i18next";
import { createI18n } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { PolarisVizProvider } from "@shopify/polaris-viz";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { accuracyView } from "./accuracy";
import type { Dashboard } from "./dashboard.server";
import { DashboardView } from "./DashboardView";
import { groupBreakdown, movement, summarizeMovement } from "./shape";
import { computePersonas } from "../personas/persona";
import { AS_OF, line, order } from "../scoring/testFactories";

const personas = computePersonas(
  [10, 30, 50].map((gap) => ({
    group: "volume" as const,
    emailSubscribed: false,
    smsSubscribed: null,
    orders: [order(gap), order(gap + 21), order(gap + 42)].map((o) => ({ ...o, discountCodes: ["SALE"], sourceName: "web", lines: [line({ productType: "Basics" })] })),
  })),
  AS_OF,
);

const day = new Date("2026-11-23T00:00:00Z");
const sync: Dashboard["sync"] = {
  backfills: [
    {
      kind: "ORDERS",
      status: "IMPORTING",
      rootsDone: 250,
      rootObjectCount: 1000,
      progress: 0.25,
      ordersSince: "2026-09-24T00:00:00.000Z",
      startedAt: "2026-11-22T00:00:00.000Z",
      completedAt: null,
      error: null,
    },
  ],
  failedRuns: [],
  lastWebhook: { receivedAt: "2026-11-22T10:00:00.000Z", topic: "orders/create" },
  pendingWebhooks: 2,
  failedWebhooks: 1,
  recentWebhookFailures: [{ topic: "orders/create", receivedAt: "2026-11-22T09:00:00.000Z", attempts: 8, error: "customer not found" }],
  lastScoring: { id: 1, fittedAt: "2026-11-22T11:00:00.000Z", kind: "bgnbd", customers: 40, durationMs: 1200, trigger: "schedule" },
  access: { needsMerchantSince: null, reason: null, restoredAt: null },
};

function render(data: Dashboard, locale: Locale = "en") {
  return renderToString(
    <I18nextProvider i18n={createI18n(locale)}>
      <AppProvider i18n={locale === "en" ? en : [zhCN, en]}>
        <PolarisVizProvider>
          <DashboardView data={data} loading={false} onPeriodChange={() => {}} />
        </PolarisVizProvider>
      </AppProvider>
    </I18nextProvider>,
  );
}

const scoredShop = (): Dashboard => ({
  personas: null,
  domain: "s.myshopify.com",
  currency: "EUR",
  installed: true,
  periodDays: 30,
  scored: true,
  synced: null,
  breakdown: groupBreakdown([{ group: "valued", customers: 10, orders: 20, revenue: "400.00", grossMargin: "140.00", clvTotal: "1000.00", discountShareTotal: 1 }]),
  movement: movement(
    summarizeMovement(
      [
        { from: "volume", to: "valued", daysAgo: 1, count: 3 },
        { from: "volume", to: "valued", daysAgo: 200, count: 5, reconstructed: true },
      ],
      day,
    ),
    365,
    day,
  ),
  accuracy: accuracyView(
    {
      status: "insufficient",
      asOf: "2026-11-22T11:00:00.000Z",
      reason: "too_few_repeat_customers",
      historyWeeks: 40,
      needed: 30,
      found: 12,
      choice: { kind: "bgnbd", ranking: { purchaseModel: "bgnbd", modelWeight: 1 }, reason: "insufficient_history", topShare: null, pastSpendTopShare: null },
    },
    "2026-11-22T11:00:00.000Z",
  ),
  sync,
});

// The server renders the page before any chart can measure the DOM.
describe("dashboard view on the server", () => {
  it("renders a scored shop with chart placeholders instead of charts", () => {
    const html = render({ ...scoredShop(), personas });
    expect(html).toContain("What each group is worth");
    expect(html).toContain("Volume customers who became valued");
    expect(html).toContain("Only orders since");
    expect(html).toContain("customer not found");
    expect(html).toContain('role="figure"');
    expect(html).toContain("How accurate Patron is on your store");
    expect(html).toContain("Not enough history yet");
    const text = html.replace(/<!-- -->/g, "");
    expect(text).toContain("5 of these moves happened before Patron was installed");
    expect(text).toContain("Reconstructed from your order history: May 2026.");
    expect(text).toContain("Who Volume customers are");
    expect(text).toContain("Volume customers here buy every 3 weeks, and almost all orders use a discount. They buy mostly Basics and order mostly online.");
    expect(text).toContain("Run a streamlined offer with guardrails");
    expect(html).toContain('href="/app/campaigns/new?title=Volume+offer&amp;audience=group%3Avolume');
    expect(html).toContain('href="/app/customers?group=at_risk&amp;sort=value&amp;dir=desc"');
    expect(text).toContain("No customers in this group yet.");
  });

  it("renders a shop with nothing scored yet as what has been synced", () => {
    const html = render({
      domain: "s.myshopify.com",
      currency: "USD",
      installed: true,
      periodDays: 30,
      scored: false,
      synced: { customers: { value: 100_000, more: true }, orders: { value: 12, more: false } },
      breakdown: groupBreakdown([]),
      movement: movement(summarizeMovement([], day), 30, day),
      accuracy: { state: "none" },
      personas: null,
      sync: { ...sync, lastScoring: null },
    });
    expect(html).toContain("Patron is getting to know your customers");
    expect(html).toContain("100,000+");
    expect(html).not.toContain("What each group is worth");
    expect(html).not.toContain("Patron needs you to open the app");
  });

  it("says when background work waits for the merchant because Shopify refused the offline token", () => {
    const base = {
      domain: "s.myshopify.com",
      currency: "USD",
      installed: true,
      periodDays: 30 as const,
      scored: false,
      synced: { customers: { value: 10, more: false }, orders: { value: 12, more: false } },
      breakdown: groupBreakdown([]),
      movement: movement(summarizeMovement([]), 30, day),
      accuracy: { state: "none" } as const,
      personas: null,
    };
    const waiting = render({ ...base, sync: { ...sync, access: { needsMerchantSince: "2026-11-22T08:00:00.000Z", reason: "invalid_grant: The refresh token has been revoked.", restoredAt: null } } });
    expect(waiting).toContain("Patron needs you to open the app");
    expect(waiting).toContain("The refresh token has been revoked.");
    const restored = render({ ...base, sync: { ...sync, access: { needsMerchantSince: null, reason: "invalid_grant: revoked", restoredAt: new Date().toISOString() } } });
    expect(restored).toContain("Background access restored");
    expect(restored).not.toContain("Patron needs you to open the app");
  });

  it("renders in Simplified Chinese when the locale is zh-CN, with nothing left as a raw key", () => {
    const html = render(scoredShop(), "zh-CN").replace(/<!-- -->/g, "");
    expect(html).toContain("各分组的价值");
    expect(html).toContain("从走量转为高价值的客户");
    expect(html).toContain("Patron 在您店铺中的准确度");
    expect(html).toContain("其中 5 次变动发生在安装 Patron 之前");
    expect(html).toContain("根据订单历史推算：2026年5月。");
    expect(html).not.toContain("What each group is worth");
    expect(html).not.toMatch(/\b(dashboard|accuracy|groups|reasons|common|units)\.[a-zA-Z]+/);
  });

  it("formats money in the shop's currency and percentages for the locale", () => {
    expect(render(scoredShop(), "en")).toContain("€400.00");
    expect(render(scoredShop(), "zh-CN")).toContain("€400.00");
  });
});
