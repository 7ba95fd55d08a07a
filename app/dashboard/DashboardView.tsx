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
import { GROUP_LABELS } from "./labels";
import { PERIODS, type PeriodDays } from "./shape";
import { StatCard } from "../components/StatCard";
import { PersonaCards } from "../personas/PersonaCards";
import { intlFormat, personaViews } from "../personas/view";

// Only types come from dashboard.server: the component bundle stays free of server code.

export interface DashboardViewProps {
  data: Dashboard;
  loading: boolean;
  onPeriodChange: (period: PeriodDays) => void;
}

const pct = (share: number | null) => (share === null ? "–" : `${(100 * share).toFixed(1)}%`);
const dateTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
const count = (c: Counted) => `${c.value.toLocaleString()}${c.more ? "+" : ""}`;

export function DashboardView({ data, loading, onPeriodChange }: DashboardViewProps) {
  const money = (amount: string | null) =>
    amount === null ? "–" : Number(amount).toLocaleString(undefined, { style: "currency", currency: data.currency });
  if (!data.scored) return <EmptyDashboard data={data} />;
  const { groups, totals } = data.breakdown;
  const { movement } = data;
  return (
    <Layout>
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <StatCard label="Customers scored" value={totals.customers.toLocaleString()} />
          <StatCard label="Revenue" value={money(totals.revenue)} />
          <StatCard label="Gross margin" value={money(totals.grossMargin)} />
          <StatCard label="Valued customers" value={`${groups[0].customers.toLocaleString()} (${pct(groups[0].customerShare)})`} />
        </InlineGrid>
      </Layout.Section>
      <Layout.Section>
        <Card>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              What each group is worth
            </Text>
            <ShareChart groups={groups} />
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
              headings={["Group", "Customers", "Revenue", "Share of revenue", "Share of gross margin", "Avg. predicted CLV", "Avg. discounted orders"]}
              rows={groups.map((g) => [
                GROUP_LABELS[g.group],
                g.customers.toLocaleString(),
                money(g.revenue),
                pct(g.revenueShare),
                pct(g.marginShare),
                money(g.averageClv),
                pct(g.averageDiscountShare),
              ])}
              totals={["", totals.customers.toLocaleString(), money(totals.revenue), "", "", "", ""]}
              showTotalsInFooter
            />
          </BlockStack>
        </Card>
      </Layout.Section>
      {data.personas && (
        <Layout.Section>
          <PersonaCards personas={personaViews(data.personas, intlFormat(data.currency))} />
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
                Movement between groups
              </Text>
              <InlineStack gap="200" blockAlign="center">
                {loading && <Spinner size="small" accessibilityLabel="Loading movement" />}
                <Select
                  label="Period"
                  labelInline
                  options={PERIODS.map((d) => ({ label: d === 365 ? "Last 12 months" : `Last ${d} days`, value: String(d) }))}
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
                          {h.label}
                        </Text>
                        <Text as="p" variant="headingLg">
                          {h.customers.toLocaleString()}
                        </Text>
                      </BlockStack>
                    </Box>
                  ))}
                </InlineGrid>
                {movement.transitions.length > 0 ? (
                  <DataTable
                    columnContentTypes={["text", "text", "numeric"]}
                    headings={["From", "To", "Customers"]}
                    rows={movement.transitions.map((t) => [GROUP_LABELS[t.from], GROUP_LABELS[t.to], t.customers.toLocaleString()])}
                  />
                ) : (
                  <Text as="p" tone="subdued">
                    No customer changed group in the last {movement.periodDays} days.
                  </Text>
                )}
              </BlockStack>
            </div>
            {movement.reconstructedInPeriod > 0 && (
              <Text as="p" tone="subdued">
                {movement.reconstructedInPeriod.toLocaleString()} of these moves happened before Patron was installed: it worked them out from your
                order history by scoring your store as of each past month-end.
              </Text>
            )}
            <Text as="h3" variant="headingSm">
              Per week, last 13 weeks
            </Text>
            <MovementChart weekly={movement.weekly} />
            <Text as="h3" variant="headingSm">
              Per month, last 12 months
            </Text>
            <MonthlyMovementChart monthly={movement.monthly} />
            {movement.monthly.some((m) => m.reconstructed > 0) && (
              <Text as="p" tone="subdued">
                Reconstructed from your order history:{" "}
                {movement.monthly
                  .filter((m) => m.reconstructed > 0)
                  .map((m) => new Date(`${m.month}-01T00:00:00Z`).toLocaleDateString(undefined, { month: "short", year: "numeric", timeZone: "UTC" }))
                  .join(", ")}
                .
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
  const lastWebhook = data.sync.lastWebhook;
  return (
    <Layout>
      <Layout.Section>
        <Banner title="Patron is getting to know your customers" tone="info">
          <p>Groups, their value and their movement appear here once your store's history is synced and scored.</p>
        </Banner>
      </Layout.Section>
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
          <StatCard label="Customers synced" value={data.synced ? count(data.synced.customers) : "–"} />
          <StatCard label="Orders synced" value={data.synced ? count(data.synced.orders) : "–"} />
          <StatCard label="Last webhook" value={lastWebhook ? `${lastWebhook.topic} at ${dateTime(lastWebhook.receivedAt)}` : "No webhook received yet"} />
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
  if (access.needsMerchantSince) {
    return (
      <Banner tone="critical" title="Patron needs you to open the app">
        <p>
          Since {dateTime(access.needsMerchantSince)} Shopify has refused Patron's background access to your store ({access.reason ?? "token refused"}). Sync,
          reconciliation and label updates are paused; reload Patron in your Shopify admin to restore access, and they continue where they stopped.
        </p>
      </Banner>
    );
  }
  if (access.restoredAt) {
    return (
      <Banner tone="info" title="Background access restored">
        <p>
          Opening Patron on {dateTime(access.restoredAt)} restored its background access ({access.reason ?? "token refused"} before); paused sync and
          label updates resumed from where they stopped.
        </p>
      </Banner>
    );
  }
  return null;
}

function SyncCard({ sync }: { sync: SyncStatus }) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Sync status
        </Text>
        <AccessBanner access={sync.access} />
        {sync.backfills.length === 0 && (
          <Text as="p" tone="subdued">
            History backfill has not started yet.
          </Text>
        )}
        {sync.backfills.map((b) => (
          <BlockStack gap="200" key={b.kind}>
            <InlineStack align="space-between">
              <Text as="h3" variant="headingSm">
                {b.kind === "CUSTOMERS" ? "Customers" : "Orders"} backfill
              </Text>
              <Badge tone={STATUS_TONE[b.status] ?? "info"}>{b.status.toLowerCase()}</Badge>
            </InlineStack>
            <ProgressBar progress={Math.round(100 * (b.progress ?? 0))} tone={b.status === "FAILED" ? "critical" : "primary"} size="small" />
            <Text as="p" tone="subdued">
              {b.rootsDone.toLocaleString()}
              {b.rootObjectCount > 0 ? ` of ${b.rootObjectCount.toLocaleString()}` : ""} imported
              {b.completedAt ? `, finished ${dateTime(b.completedAt)}` : `, started ${dateTime(b.startedAt)}`}
            </Text>
            {b.ordersSince && (
              <Banner tone="warning">
                Only orders since {new Date(b.ordersSince).toLocaleDateString()} could be read: Shopify gives apps the last 60 days of orders unless
                they are granted read_all_orders.
              </Banner>
            )}
          </BlockStack>
        ))}
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
          <Fact label="Last webhook" value={sync.lastWebhook ? `${sync.lastWebhook.topic}, ${dateTime(sync.lastWebhook.receivedAt)}` : "None yet"} />
          <Fact label="Waiting in the inbox" value={sync.pendingWebhooks.toLocaleString()} />
          <Fact label="Failed webhooks" value={sync.failedWebhooks.toLocaleString()} />
          <Fact
            label="Last scoring run"
            value={
              sync.lastScoring
                ? `${dateTime(sync.lastScoring.fittedAt)}: ${sync.lastScoring.customers.toLocaleString()} customers, ${sync.lastScoring.kind} model, ${(sync.lastScoring.durationMs / 1000).toFixed(1)} s`
                : "Not scored yet"
            }
          />
        </InlineGrid>
        {(sync.failedRuns.length > 0 || sync.recentWebhookFailures.length > 0) && (
          <Banner tone="critical" title="Errors">
            <List>
              {sync.failedRuns.map((r) => (
                <List.Item key={`run-${r.startedAt}-${r.kind}`}>
                  {r.kind === "CUSTOMERS" ? "Customers" : "Orders"} backfill of {dateTime(r.startedAt)} failed: {r.error ?? "no error recorded"}
                </List.Item>
              ))}
              {sync.recentWebhookFailures.map((f) => (
                <List.Item key={`wh-${f.receivedAt}-${f.topic}`}>
                  {f.topic} received {dateTime(f.receivedAt)} failed after {f.attempts} attempts: {f.error ?? "no error recorded"}
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

