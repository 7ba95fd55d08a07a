import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  ProgressBar,
  Select,
  Spinner,
  Text,
} from "@shopify/polaris";
import type { Counted, Dashboard, SyncStatus } from "./dashboard.server";
import { AccuracyCard } from "./AccuracyCard";
import { MonthlyMovementChart, MovementChart, ShareChart } from "./charts";
import { PERIODS, type PeriodDays } from "./shape";
import { StatCard } from "../components/StatCard";
import { PersonaCards } from "../personas/PersonaCards";
import { intlFormat, personaViews } from "../personas/view";
import type { Formatters } from "../i18n/format";
import { useFormat } from "../i18n/useFormat";

// Only types come from dashboard.server: the component bundle stays free of server code.

export interface DashboardViewProps {
  data: Dashboard;
  loading: boolean;
  onPeriodChange: (period: PeriodDays) => void;
}

const count = (f: Formatters, c: Counted) => `${f.number(c.value)}${c.more ? "+" : ""}`;

export function DashboardView({ data, loading, onPeriodChange }: DashboardViewProps) {
  const { t, f, m } = useFormat();
  const pct = (share: number | null) => f.percent(share, 1);
  const money = (amount: string | null) => (amount === null ? "–" : f.money(amount, data.currency));
  const group = (g: string) => t(`groups.${g}`);
  if (!data.scored) return <EmptyDashboard data={data} />;
  const { groups, totals } = data.breakdown;
  const { movement } = data;
  return (
    <Layout>
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <StatCard label={t("dashboard.stats.customersScored")} value={f.number(totals.customers)} />
          <StatCard label={t("dashboard.stats.revenue")} value={money(totals.revenue)} />
          <StatCard label={t("dashboard.stats.grossMargin")} value={money(totals.grossMargin)} />
          <StatCard
            label={t("dashboard.stats.valuedCustomers")}
            value={t("dashboard.stats.countAndShare", { customers: f.number(groups[0].customers), share: pct(groups[0].customerShare) })}
          />
        </InlineGrid>
      </Layout.Section>
      <Layout.Section>
        <Card>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              {t("dashboard.worth.title")}
            </Text>
            <ShareChart groups={groups} />
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
              headings={[
                t("dashboard.worth.group"),
                t("dashboard.worth.customers"),
                t("dashboard.worth.revenue"),
                t("dashboard.worth.revenueShare"),
                t("dashboard.worth.marginShare"),
                t("dashboard.worth.averageClv"),
                t("dashboard.worth.averageDiscountShare"),
              ]}
              rows={groups.map((g) => [
                group(g.group),
                f.number(g.customers),
                money(g.revenue),
                pct(g.revenueShare),
                pct(g.marginShare),
                money(g.averageClv),
                pct(g.averageDiscountShare),
              ])}
              totals={["", f.number(totals.customers), money(totals.revenue), "", "", "", ""]}
              showTotalsInFooter
            />
          </BlockStack>
        </Card>
      </Layout.Section>
      {data.personas && (
        <Layout.Section>
          <PersonaCards personas={personaViews(data.personas, intlFormat(data.currency, f.locale), m)} />
        </Layout.Section>
      )}
      {data.accuracy.state !== "none" && (
        <Layout.Section>
          <AccuracyCard accuracy={data.accuracy} money={money} />
        </Layout.Section>
      )}
      <Layout.Section>
        <Card>
          <BlockStack gap="400">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {t("dashboard.movement.title")}
              </Text>
              <InlineStack gap="200" blockAlign="center">
                {loading && <Spinner size="small" accessibilityLabel={t("dashboard.movement.loading")} />}
                <Select
                  label={t("dashboard.movement.period")}
                  labelInline
                  options={PERIODS.map((d) => ({ label: d === 365 ? t("dashboard.movement.last12Months") : t("dashboard.movement.lastDays", { count: d }), value: String(d) }))}
                  value={String(movement.periodDays)}
                  onChange={(v) => onPeriodChange(Number(v) as PeriodDays)}
                />
              </InlineStack>
            </InlineStack>
            <div style={{ opacity: loading ? 0.5 : 1 }}>
              <BlockStack gap="400">
                <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
                  {movement.highlights.map((h) => (
                    <Box key={`${h.from}-${h.to}`} padding="300" background="bg-surface-secondary" borderRadius="200">
                      <BlockStack gap="100">
                        <Text as="p" tone="subdued">
                          {t(h.label)}
                        </Text>
                        <Text as="p" variant="headingLg">
                          {f.number(h.customers)}
                        </Text>
                      </BlockStack>
                    </Box>
                  ))}
                </InlineGrid>
                {movement.transitions.length > 0 ? (
                  <DataTable
                    columnContentTypes={["text", "text", "numeric"]}
                    headings={[t("dashboard.movement.from"), t("dashboard.movement.to"), t("dashboard.movement.customers")]}
                    rows={movement.transitions.map((m) => [group(m.from), group(m.to), f.number(m.customers)])}
                  />
                ) : (
                  <Text as="p" tone="subdued">
                    {t("dashboard.movement.none", { count: movement.periodDays })}
                  </Text>
                )}
              </BlockStack>
            </div>
            {movement.reconstructedInPeriod > 0 && (
              <Text as="p" tone="subdued">
                {t("dashboard.movement.reconstructed", { count: movement.reconstructedInPeriod })}
              </Text>
            )}
            <Text as="h3" variant="headingSm">
              {t("dashboard.movement.perWeek")}
            </Text>
            <MovementChart weekly={movement.weekly} />
            <Text as="h3" variant="headingSm">
              {t("dashboard.movement.perMonth")}
            </Text>
            <MonthlyMovementChart monthly={movement.monthly} />
            {movement.monthly.some((m) => m.reconstructed > 0) && (
              <Text as="p" tone="subdued">
                {t("dashboard.movement.reconstructedMonths", {
                  months: f.list(movement.monthly.filter((m) => m.reconstructed > 0).map((m) => f.month(m.month))),
                })}
              </Text>
            )}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <SyncCard sync={data.sync} />
      </Layout.Section>
    </Layout>
  );
}

function EmptyDashboard({ data }: { data: Dashboard }) {
  const { t, f } = useFormat();
  const lastWebhook = data.sync.lastWebhook;
  return (
    <Layout>
      <Layout.Section>
        <Banner title={t("dashboard.empty.title")} tone="info">
          <p>{t("dashboard.empty.body")}</p>
        </Banner>
      </Layout.Section>
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
          <StatCard label={t("dashboard.empty.customersSynced")} value={data.synced ? count(f, data.synced.customers) : "–"} />
          <StatCard label={t("dashboard.empty.ordersSynced")} value={data.synced ? count(f, data.synced.orders) : "–"} />
          <StatCard
            label={t("dashboard.sync.lastWebhook")}
            value={lastWebhook ? t("dashboard.empty.webhookAt", { topic: lastWebhook.topic, at: f.dateTime(lastWebhook.receivedAt) }) : t("dashboard.empty.noWebhook")}
          />
        </InlineGrid>
      </Layout.Section>
      <Layout.Section>
        <SyncCard sync={data.sync} />
      </Layout.Section>
    </Layout>
  );
}

const STATUS_TONE: Record<string, "success" | "critical" | "info" | "attention" | undefined> = {
  COMPLETED: "success",
  FAILED: "critical",
  CANCELED: "attention",
};

/** Shopify refused Patron's offline token: background work waits for the merchant (opening the app restores it). */
function AccessBanner({ access }: { access: SyncStatus["access"] }) {
  const { t, f } = useFormat();
  const reason = access.reason ?? t("dashboard.access.tokenRefused");
  if (access.needsMerchantSince) {
    return (
      <Banner tone="critical" title={t("dashboard.access.neededTitle")}>
        <p>{t("dashboard.access.neededBody", { since: f.dateTime(access.needsMerchantSince), reason })}</p>
      </Banner>
    );
  }
  if (access.restoredAt) {
    return (
      <Banner tone="info" title={t("dashboard.access.restoredTitle")}>
        <p>{t("dashboard.access.restoredBody", { at: f.dateTime(access.restoredAt), reason })}</p>
      </Banner>
    );
  }
  return null;
}

function SyncCard({ sync }: { sync: SyncStatus }) {
  const { t, f } = useFormat();
  const backfill = (kind: string) => t(kind === "CUSTOMERS" ? "dashboard.sync.customersBackfill" : "dashboard.sync.ordersBackfill");
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("dashboard.sync.title")}
        </Text>
        <AccessBanner access={sync.access} />
        {sync.backfills.length === 0 && (
          <Text as="p" tone="subdued">
            {t("dashboard.sync.notStarted")}
          </Text>
        )}
        {sync.backfills.map((b) => (
          <BlockStack gap="200" key={b.kind}>
            <InlineStack align="space-between">
              <Text as="h3" variant="headingSm">
                {backfill(b.kind)}
              </Text>
              <Badge tone={STATUS_TONE[b.status] ?? "info"}>{t(`dashboard.sync.status.${b.status}`, { defaultValue: b.status.toLowerCase() })}</Badge>
            </InlineStack>
            <ProgressBar progress={Math.round(100 * (b.progress ?? 0))} tone={b.status === "FAILED" ? "critical" : "primary"} size="small" />
            <Text as="p" tone="subdued">
              {t(b.rootObjectCount > 0 ? "dashboard.sync.importedOf" : "dashboard.sync.imported", {
                done: f.number(b.rootsDone),
                total: f.number(b.rootObjectCount),
                when: b.completedAt ? t("dashboard.sync.finished", { at: f.dateTime(b.completedAt) }) : t("dashboard.sync.started", { at: f.dateTime(b.startedAt) }),
              })}
            </Text>
            {b.ordersSince && (
              <Banner tone="warning">
                {t("dashboard.sync.ordersSince", { date: f.date(b.ordersSince) })}
              </Banner>
            )}
          </BlockStack>
        ))}
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
          <Fact
            label={t("dashboard.sync.lastWebhook")}
            value={sync.lastWebhook ? t("dashboard.sync.webhook", { topic: sync.lastWebhook.topic, at: f.dateTime(sync.lastWebhook.receivedAt) }) : t("dashboard.sync.noneYet")}
          />
          <Fact label={t("dashboard.sync.pending")} value={f.number(sync.pendingWebhooks)} />
          <Fact label={t("dashboard.sync.failed")} value={f.number(sync.failedWebhooks)} />
          <Fact
            label={t("dashboard.sync.lastScoring")}
            value={
              sync.lastScoring
                ? t("dashboard.sync.scoring", {
                    at: f.dateTime(sync.lastScoring.fittedAt),
                    customers: f.number(sync.lastScoring.customers),
                    model: sync.lastScoring.kind,
                    seconds: f.number(sync.lastScoring.durationMs / 1000, 1),
                  })
                : t("dashboard.sync.notScored")
            }
          />
        </InlineGrid>
        {(sync.failedRuns.length > 0 || sync.recentWebhookFailures.length > 0) && (
          <Banner tone="critical" title={t("dashboard.sync.errors")}>
            <List>
              {sync.failedRuns.map((r) => (
                <List.Item key={`run-${r.startedAt}-${r.kind}`}>
                  {t("dashboard.sync.runFailed", { backfill: backfill(r.kind), at: f.dateTime(r.startedAt), error: r.error ?? t("dashboard.sync.noError") })}
                </List.Item>
              ))}
              {sync.recentWebhookFailures.map((w) => (
                <List.Item key={`wh-${w.receivedAt}-${w.topic}`}>
                  {t("dashboard.sync.webhookFailed", { topic: w.topic, at: f.dateTime(w.receivedAt), count: w.attempts, error: w.error ?? t("dashboard.sync.noError") })}
                </List.Item>
              ))}
            </List>
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p">{value}</Text>
    </BlockStack>
  );
}

