import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { listCampaigns, type CampaignState } from "../campaigns/results.server";
import prisma from "../db.server";
import { useFormat } from "../i18n/useFormat";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listCampaigns(prisma, session.shop);
};

const STATE_TONE: Record<CampaignState, "success" | "info" | "critical" | undefined> = {
  creating: "info",
  active: "success",
  scheduled: "info",
  ended: undefined,
  failed: "critical",
};

export default function Campaigns() {
  const { campaigns, currency, total } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const shopify = useAppBridge();
  const { t, f, m } = useFormat();
  useEffect(() => {
    if (params.get("deleted")) shopify.toast.show(t("campaigns.manage.toast.deleted"));
  }, [params, shopify, t]);

  return (
    <Page title={t("nav.campaigns")} primaryAction={{ content: t("campaigns.list.new"), url: "/app/campaigns/new" }}>
      <TitleBar title={t("nav.campaigns")} />
      <Layout>
        {total > 0 ? (
          <Layout.Section>
            <Text as="p" tone="subdued">
              {t("campaigns.manage.total", { count: total })}
            </Text>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            {campaigns.length === 0 ? (
              <EmptyState
                heading={t("campaigns.list.emptyHeading")}
                action={{ content: t("campaigns.list.new"), url: "/app/campaigns/new" }}
                image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
              >
                <p>{t("campaigns.list.emptyBody")}</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: t("campaigns.list.resource.singular"), plural: t("campaigns.list.resource.plural") }}
                itemCount={campaigns.length}
                selectable={false}
                headings={[
                  { title: t("campaigns.list.columns.campaign") },
                  { title: t("campaigns.list.columns.status") },
                  { title: t("campaigns.list.columns.audience") },
                  { title: t("campaigns.list.columns.discount") },
                  { title: t("campaigns.list.columns.redemptions"), alignment: "end" },
                  { title: t("campaigns.list.columns.revenue"), alignment: "end" },
                ]}
              >
                {campaigns.map((c, index) => (
                  <IndexTable.Row id={c.id} key={c.id} position={index} onClick={() => navigate(`/app/campaigns/${c.id}`)}>
                    <IndexTable.Cell>
                      <Text as="span" fontWeight="semibold">
                        {c.title}
                      </Text>{" "}
                      <Text as="span" tone="subdued">
                        {c.code}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={STATE_TONE[c.state]}>{t(`campaigns.state.${c.state}`)}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{m(c.audience)}</IndexTable.Cell>
                    <IndexTable.Cell>{m(c.discount)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {f.number(c.redemptions)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {f.money(c.revenue, currency)}
                      </Text>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  const { t } = useFormat();
  return <RouteErrorPage title={t("nav.campaigns")} heading={t("campaigns.list.loadError")} />;
}
