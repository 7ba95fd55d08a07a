import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, Layout, Link, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { z } from "zod";
import { getCampaign } from "../campaigns/results.server";
import prisma from "../db.server";
import { useFormat } from "../i18n/useFormat";
import { authenticate } from "../shopify.server";
import { StatCard } from "../components/StatCard";

const paramsSchema = z.object({ id: z.string().uuid() });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("No such campaign", { status: 404 });
  const detail = await getCampaign(prisma, session.shop, parsed.data.id);
  if (!detail) throw new Response("No such campaign", { status: 404 });
  return { ...detail, shop: session.shop };
};

export default function CampaignPage() {
  const { campaign: c, results, currency, shop } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const shopify = useAppBridge();
  const { t, f, m } = useFormat();
  useEffect(() => {
    if (params.get("created")) shopify.toast.show(t("campaigns.detail.created"));
  }, [params, shopify, t]);

  const money = (n: number | null) => (n === null ? "–" : f.money(n, currency));
  const admin = `https://${shop}/admin`;
  const u = results.uplift;
  const r = results.redemption;

  return (
    <Page title={c.title} subtitle={c.code} backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }} titleMetadata={<Badge>{t(`campaigns.state.${c.state}`)}</Badge>}>
      <TitleBar title={c.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, sm: 4 }} gap="400">
              <StatCard headingAs="h3" label={t("campaigns.detail.redemptions")} value={f.number(r.redemptions)} />
              <StatCard headingAs="h3" label={t("campaigns.detail.revenue")} value={money(r.revenue)} />
              <StatCard headingAs="h3" label={t("campaigns.detail.discounts")} value={money(r.discounts)} />
              <StatCard headingAs="h3" label={t("campaigns.detail.margin")} value={money(r.margin)} />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("campaigns.detail.upliftTitle")}
                </Text>
                {u.state !== "measured" ? (
                  <Banner tone="info">{u.note ? m(u.note) : null}</Banner>
                ) : (
                  <BlockStack gap="100">
                    <Text as="p">
                      {t(u.significant ? "campaigns.detail.conversion" : "campaigns.detail.conversionNotSignificant", {
                        treatment: f.percent(u.treatment.conversion, 1),
                        control: f.percent(u.control.conversion, 1),
                        uplift: `${u.conversionUplift! >= 0 ? "+" : ""}${f.number(u.conversionUplift!)}`,
                      })}
                    </Text>
                    <Text as="p">
                      {t("campaigns.detail.revenuePerCustomer", {
                        treatment: money(u.treatment.revenuePerCustomer),
                        control: money(u.control.revenuePerCustomer),
                        incremental: money(u.incrementalRevenue),
                      })}
                    </Text>
                  </BlockStack>
                )}
                <Text as="p" tone="subdued" variant="bodySm">
                  {t(c.endsAt ? "campaigns.detail.countedRange" : "campaigns.detail.counted", {
                    treated: f.number(u.treatment.customers),
                    holdouts: f.number(u.control.customers),
                    from: f.date(c.startsAt),
                    to: f.date(c.endsAt),
                  })}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("campaigns.detail.details")}
              </Text>
              <Text as="p">{t("campaigns.detail.audience", { audience: m(c.audience) })}</Text>
              <Text as="p">{t("campaigns.detail.discount", { discount: m(c.discount) })}</Text>
              <Text as="p">{t("campaigns.detail.dates", { from: f.date(c.startsAt), to: c.endsAt ? f.date(c.endsAt) : t("campaigns.detail.noEnd") })}</Text>
              <Text as="p">
                {t(c.oncePerCustomer ? "campaigns.detail.usageLimitOnce" : "campaigns.detail.usageLimit", {
                  limit: c.usageLimit === null ? t("campaigns.detail.none") : f.number(c.usageLimit),
                })}
              </Text>
              <Text as="p">{t("campaigns.detail.combinesWith", { list: c.combinesWith.length ? f.list(c.combinesWith.map(m)) : t("campaigns.detail.nothing") })}</Text>
              <Text as="p">{t("campaigns.detail.control", { share: f.percent(c.controlShare) })}</Text>
              {c.discountId ? (
                <Link url={`${admin}/discounts/${c.discountId}`} target="_blank">
                  {t("campaigns.detail.discountInShopify")}
                </Link>
              ) : null}
              {c.segmentId ? (
                <Link url={`${admin}/customers/segments/${c.segmentId}`} target="_blank">
                  {t("campaigns.detail.segmentInShopify", { query: c.segmentQuery })}
                </Link>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}


export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useFormat();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Page title={t("campaigns.detail.title")} backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }}>
      <Banner tone="critical" title={missing ? t("campaigns.detail.notFound") : t("campaigns.detail.loadError")} />
    </Page>
  );
}
