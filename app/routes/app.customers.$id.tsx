import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useRouteError, isRouteErrorResponse } from "@remix-run/react";
import {
  Badge,
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
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { getCustomerDetail, parseCustomerId } from "../customers/detail.server";
import { GroupBadge, useGroupLabel } from "../customers/format";
import { requireShop, requireShopId } from "../customers/shop.server";
import { setVip } from "../customers/vip.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { useFormat } from "../i18n/useFormat";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseCustomerId(params.id);
  if (id === null) throw new Response("Customer not found", { status: 404 });
  const shop = await requireShop(prisma, session.shop);
  const detail = await getCustomerDetail(prisma, shop.id, id);
  if (!detail) throw new Response("Customer not found", { status: 404 });
  return { ...detail, currency: shop.currency };
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

const DIRECTION_TONE = { up: "success", down: "critical", neutral: undefined } as const;

export default function CustomerPage() {
  const c = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t, f, m } = useFormat();
  const groupLabel = useGroupLabel();
  const money = (amount: string) => f.money(amount, c.currency);
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ") || t("common.unnamedCustomer");
  const score = c.score;
  const pending = fetcher.state !== "idle";
  const vip = pending ? fetcher.formData?.get("vip") === "on" : (score?.vip ?? c.vipManual);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const d = fetcher.data;
    if (d.error) {
      shopify.toast.show(t("customer.toast.vipNotTagged", { error: d.error }), { isError: true, duration: 8000 });
    } else shopify.toast.show(d.vip ? t("customer.toast.vipOn") : t("customer.toast.vipOff"));
  }, [fetcher.state, fetcher.data, shopify, t]);

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
    m(r.message),
    t(`customer.reasons.score.${r.score}`),
    <Badge key={r.code} tone={DIRECTION_TONE[r.direction]}>{t(`customer.reasons.direction.${r.direction}`)}</Badge>,
    r.score === "group" ? "—" : t("customer.reasons.points", { points: `${r.impact > 0 ? "+" : ""}${f.number(r.impact, 1)}` }),
  ]);

  return (
    <Page backAction={{ content: t("nav.customers"), url: "/app/customers" }} title={name} subtitle={c.email ?? undefined} titleMetadata={score ? <GroupBadge group={score.group} /> : undefined}>
      <TitleBar title={name}>
        <button onClick={() => open(`shopify:admin/customers/${c.id}`, "_top")}>{t("customer.openInShopify")}</button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {!score ? (
              <Card>
                <EmptyState heading={t("customer.notScored.heading")} image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png">
                  <p>{t("customer.notScored.body")}</p>
                </EmptyState>
              </Card>
            ) : (
              <Card>
                <BlockStack gap="400">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {t(score.held ? "customer.groupHeadingHeld" : "customer.groupHeading", { group: groupLabel(score.group) })}
                    </Text>
                    {vip ? <Badge tone="magic">{score.vipSource === "auto" && !c.vipManual ? t("customer.vipAutomatic") : t("customer.vip")}</Badge> : null}
                  </InlineStack>
                  <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                    <Stat label={t("customer.stats.valueScore")} value={f.number(score.valueScore, 1)} />
                    <Stat label={t("customer.stats.volumeScore")} value={f.number(score.volumeScore, 1)} />
                    <Stat label={t("customer.stats.predictedClv")} value={money(score.predictedClv)} help={t("customer.stats.predictedClvHelp")} />
                    {score.purchaseDays > 1 ? (
                      <Stat label={t("customer.stats.pAlive")} value={f.percent(score.pAlive)} />
                    ) : (
                      <Stat label={t("customer.stats.repeatPurchases")} value={t("customer.stats.noneYet")} help={t("customer.stats.repeatPurchasesHelp")} />
                    )}
                    <Stat
                      label={t("customer.stats.margin")}
                      value={f.percent(score.marginRate)}
                      help={score.marginEstimated ? t("customer.stats.marginEstimated") : t("customer.stats.marginFromCosts")}
                    />
                    <Stat label={t("customer.stats.discountShare")} value={f.percent(score.discountShare)} />
                    <Stat label={t("customer.stats.orders")} value={f.number(score.orders)} />
                    <Stat label={t("customer.stats.revenue")} value={money(score.revenue)} />
                  </InlineGrid>
                </BlockStack>
              </Card>
            )}
            {score && reasonRows.length ? (
              <Card padding="0">
                <BlockStack>
                  <div style={{ padding: "var(--p-space-400)" }}>
                    <Text as="h2" variant="headingMd">
                      {t("customer.reasons.heading")}
                    </Text>
                  </div>
                  <DataTable
                    columnContentTypes={["text", "text", "text", "numeric"]}
                    headings={[t("customer.reasons.reason"), t("customer.reasons.scoreColumn"), t("customer.reasons.directionColumn"), t("customer.reasons.impact")]}
                    rows={reasonRows}
                  />
                </BlockStack>
              </Card>
            ) : null}
            <Card padding="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  {c.totalOrders > c.orders.length
                    ? t("customer.orders.headingPartial", { shown: f.number(c.orders.length), total: f.number(c.totalOrders) })
                    : t("customer.orders.heading")}
                </Text>
              </div>
              {c.orders.length === 0 ? (
                <EmptyState heading={t("customer.orders.emptyHeading")} image="">
                  <p>{t("customer.orders.emptyBody")}</p>
                </EmptyState>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "numeric", "numeric", "numeric"]}
                  headings={[
                    t("customer.orders.order"),
                    t("customer.orders.date"),
                    t("customer.orders.total"),
                    t("customer.orders.codes"),
                    t("customer.orders.discount"),
                    t("customer.orders.margin"),
                    t("customer.orders.refunded"),
                  ]}
                  rows={c.orders.map((o) => [
                    o.cancelled ? t("customer.orders.cancelled", { name: o.name }) : o.name,
                    f.date(o.processedAt),
                    money(o.total),
                    [...o.discountCodes, ...(o.automaticDiscount ? [t("customer.orders.automatic")] : [])].join(t("list.itemsSeparator")) || "—",
                    money(o.discount),
                    o.margin === null ? t("customer.orders.costUnknown") : money(o.margin),
                    Number(o.refunded) > 0 ? t("customer.orders.refundedCount", { amount: money(o.refunded), count: o.refunds.length }) : "—",
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
                  {t("customer.vip")}
                </Text>
                <Text as="p" tone="subdued">
                  {c.vipManual ? t("customer.vipCard.manual") : score?.vipSource === "auto" ? t("customer.vipCard.auto") : t("customer.vipCard.none")}
                </Text>
                <fetcher.Form method="post">
                  <input type="hidden" name="vip" value={c.vipManual ? "off" : "on"} />
                  <Button submit loading={pending} variant={c.vipManual ? "secondary" : "primary"} accessibilityLabel={c.vipManual ? t("customer.vipCard.removeLabel", { name }) : t("customer.vipCard.makeLabel", { name })}
                  >
                    {c.vipManual ? t("customer.vipCard.remove") : t("customer.vipCard.make")}
                  </Button>
                </fetcher.Form>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("customer.history.heading")}
                </Text>
                {c.groupHistory.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("customer.history.empty")}
                  </Text>
                ) : (
                  <BlockStack gap="200" as="ul">
                    {c.groupHistory.map((g) => (
                      <InlineStack key={`${g.at}-${g.to}`} gap="200" blockAlign="center" as="li" wrap={false}>
                        <Text as="span" variant="bodySm" tone="subdued">
                          {f.date(g.at)}
                        </Text>
                        {g.from ? <GroupBadge group={g.from} /> : <Text as="span">{t("customer.history.firstScored")}</Text>}
                        <span aria-label={t("customer.history.to")}>→</span>
                        <GroupBadge group={g.to} />
                        {g.reconstructed && (
                          <Text as="span" variant="bodySm" tone="subdued">
                            {t("customer.history.reconstructed")}
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
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <RouteErrorPage
      title={notFound ? t("customer.error.notFoundTitle") : t("customer.error.title")}
      backAction={{ content: t("nav.customers"), url: "/app/customers" }}
      heading={notFound ? t("customer.error.notFoundBanner") : t("customer.error.banner")}
      body={notFound ? t("customer.error.notFoundBody") : undefined}
      tone={notFound ? "warning" : "critical"}
      showDetail={!notFound}
    />
  );
}
