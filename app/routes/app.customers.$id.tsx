import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useRouteError, isRouteErrorResponse } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { z } from "zod";
import { getCustomerDetail, parseCustomerId } from "../customers/detail.server";
import { GROUP_LABELS, GroupBadge, formatDate, formatMoney, formatPercent } from "../customers/format";
import { requireShopId } from "../customers/shop.server";
import { setVip } from "../customers/vip.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseCustomerId(params.id);
  if (id === null) throw new Response("Customer not found", { status: 404 });
  const detail = await getCustomerDetail(prisma, await requireShopId(prisma, session.shop), id);
  if (!detail) throw new Response("Customer not found", { status: 404 });
  return detail;
};

const vipSchema = z.object({ vip: z.enum(["on", "off"]) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const id = parseCustomerId(params.id);
  const parsed = vipSchema.safeParse(Object.fromEntries(await formDataLimited(request)));
  if (id === null) throw new Response("Customer not found", { status: 404 });
  if (!parsed.success) throw new Response("Expected vip=on or vip=off", { status: 400 });
  const outcome = await setVip(prisma, throttledAdmin(admin.graphql, { shop: session.shop }), await requireShopId(prisma, session.shop), [id], parsed.data.vip === "on");
  if (outcome.updated.length === 0) throw new Response("Customer not found", { status: 404 });
  return outcome;
};

function Stat({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingMd">
        {value}
      </Text>
      {help ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      ) : null}
    </BlockStack>
  );
}

const DIRECTION = { up: { label: "raises", tone: "success" }, down: { label: "lowers", tone: "critical" }, neutral: { label: "neutral", tone: undefined } } as const;

export default function CustomerPage() {
  const c = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ") || "Unnamed customer";
  const score = c.score;
  const pending = fetcher.state !== "idle";
  const vip = pending ? fetcher.formData?.get("vip") === "on" : (score?.vip ?? c.vipManual);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const d = fetcher.data;
    if (d.error) {
      shopify.toast.show(`VIP saved in Patron, but Shopify did not take the tag yet: ${d.error}. The nightly write-back will retry.`, { isError: true, duration: 8000 });
    } else shopify.toast.show(d.vip ? "Marked as VIP and tagged in Shopify" : "VIP removed in Patron and Shopify");
  }, [fetcher.state, fetcher.data, shopify]);

  if (navigation.state === "loading" && navigation.location?.pathname !== `/app/customers/${c.id}`) {
    return (
      <Page title={name}>
        <Card>
          <SkeletonBodyText lines={8} />
        </Card>
      </Page>
    );
  }

  const reasonRows = (score?.reasons ?? []).map((r) => [
    r.text,
    r.score === "group" ? "Group" : r.score === "value" ? "Value score" : "Volume score",
    <Badge key={r.code} tone={DIRECTION[r.direction].tone}>{DIRECTION[r.direction].label}</Badge>,
    r.score === "group" ? "—" : `${r.impact > 0 ? "+" : ""}${r.impact.toFixed(1)} pts`,
  ]);

  return (
    <Page backAction={{ content: "Customers", url: "/app/customers" }} title={name} subtitle={c.email ?? undefined} titleMetadata={score ? <GroupBadge group={score.group} /> : undefined}>
      <TitleBar title={name}>
        <button onClick={() => open(`shopify:admin/customers/${c.id}`, "_top")}>Open in Shopify admin</button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {!score ? (
              <Card>
                <EmptyState heading="Not scored yet" image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png">
                  <p>This customer will be scored with the next rescore of the store.</p>
                </EmptyState>
              </Card>
            ) : (
              <Card>
                <BlockStack gap="400">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {GROUP_LABELS[score.group] ?? score.group} customer{score.held ? " (kept until the evidence moves clearly)" : ""}
                    </Text>
                    {vip ? <Badge tone="magic">{score.vipSource === "auto" && !c.vipManual ? "VIP (automatic)" : "VIP"}</Badge> : null}
                  </InlineStack>
                  <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                    <Stat label="Value score" value={score.valueScore.toFixed(1)} />
                    <Stat label="Volume score" value={score.volumeScore.toFixed(1)} />
                    <Stat label="Predicted CLV" value={formatMoney(score.predictedClv)} help="Gross profit expected over the model horizon" />
                    {score.purchaseDays > 1 ? (
                      <Stat label="Probability still active" value={formatPercent(score.pAlive)} />
                    ) : (
                      <Stat
                        label="Repeat purchases"
                        value="None yet"
                        help="With every order on one day the model cannot tell whether they are still active; the group judges their silence against the store's usual gap between purchases"
                      />
                    )}
                    <Stat label="Margin" value={formatPercent(score.marginRate)} help={score.marginEstimated ? "Estimated from the store's default margin" : "From product costs"} />
                    <Stat label="Orders with a discount" value={formatPercent(score.discountShare)} />
                    <Stat label="Orders" value={String(score.orders)} />
                    <Stat label="Revenue" value={formatMoney(score.revenue)} />
                  </InlineGrid>
                </BlockStack>
              </Card>
            )}
            {score && reasonRows.length ? (
              <Card padding="0">
                <BlockStack>
                  <div style={{ padding: "var(--p-space-400)" }}>
                    <Text as="h2" variant="headingMd">
                      Why
                    </Text>
                  </div>
                  <DataTable columnContentTypes={["text", "text", "text", "numeric"]} headings={["Reason", "Score", "Direction", "Impact"]} rows={reasonRows} />
                </BlockStack>
              </Card>
            ) : null}
            <Card padding="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  Orders{c.totalOrders > c.orders.length ? ` (latest ${c.orders.length} of ${c.totalOrders})` : ""}
                </Text>
              </div>
              {c.orders.length === 0 ? (
                <EmptyState heading="No orders synced" image="">
                  <p>Orders appear as soon as they are synced from Shopify.</p>
                </EmptyState>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "numeric", "numeric", "numeric"]}
                  headings={["Order", "Date", "Total", "Discount codes", "Discount", "Margin", "Refunded"]}
                  rows={c.orders.map((o) => [
                    `${o.name}${o.cancelled ? " (cancelled)" : ""}`,
                    formatDate(o.processedAt),
                    formatMoney(o.total),
                    [...o.discountCodes, ...(o.automaticDiscount ? ["automatic"] : [])].join(", ") || "—",
                    formatMoney(o.discount),
                    o.margin === null ? "cost unknown" : formatMoney(o.margin),
                    Number(o.refunded) > 0 ? `${formatMoney(o.refunded)} (${o.refunds.length})` : "—",
                  ])}
                />
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  VIP
                </Text>
                <Text as="p" tone="subdued">
                  {c.vipManual
                    ? "You marked this customer as VIP. Patron tags them in Shopify."
                    : score?.vipSource === "auto"
                      ? "VIP automatically, as one of the top valued customers (see Settings)."
                      : "Not a VIP."}
                </Text>
                <fetcher.Form method="post">
                  <input type="hidden" name="vip" value={c.vipManual ? "off" : "on"} />
                  <Button submit loading={pending} variant={c.vipManual ? "secondary" : "primary"} accessibilityLabel={c.vipManual ? `Remove VIP from ${name}` : `Make ${name} a VIP`}>
                    {c.vipManual ? "Remove VIP" : "Make VIP"}
                  </Button>
                </fetcher.Form>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Group history
                </Text>
                {c.groupHistory.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No group changes recorded yet.
                  </Text>
                ) : (
                  <BlockStack gap="200" as="ul">
                    {c.groupHistory.map((g) => (
                      <InlineStack key={`${g.at}-${g.to}`} gap="200" blockAlign="center" as="li" wrap={false}>
                        <Text as="span" variant="bodySm" tone="subdued">
                          {formatDate(g.at)}
                        </Text>
                        {g.from ? <GroupBadge group={g.from} /> : <Text as="span">first scored</Text>}
                        <span aria-label="to">→</span>
                        <GroupBadge group={g.to} />
                        {g.reconstructed && (
                          <Text as="span" variant="bodySm" tone="subdued">
                            reconstructed from order history
                          </Text>
                        )}
                      </InlineStack>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Page backAction={{ content: "Customers", url: "/app/customers" }} title={notFound ? "Customer not found" : "Customer"}>
      <Banner tone={notFound ? "warning" : "critical"} title={notFound ? "This customer is not in your store's Patron data" : "The customer could not be shown"}>
        <p>{notFound ? "They may have been deleted, or the link belongs to another store." : error instanceof Error ? error.message : "Please try again."}</p>
      </Banner>
    </Page>
  );
}
