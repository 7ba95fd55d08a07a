import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, Banner, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { campaignMessage } from "../campaigns/messages";
import { formatAmount } from "../campaigns/format";
import { listCampaigns, type CampaignState } from "../campaigns/results.server";
import prisma from "../db.server";
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
  useEffect(() => {
    if (params.get("deleted")) shopify.toast.show(campaignMessage("campaign.deleted.toast"));
  }, [params, shopify]);

  return (
    <Page title="Campaigns" primaryAction={{ content: "New campaign", url: "/app/campaigns/new" }}>
      <TitleBar title="Campaigns" />
      <Layout>
        {total > 0 ? (
          <Layout.Section>
            <Text as="p" tone="subdued">
              {total === 1 ? campaignMessage("campaign.list.totalOne") : campaignMessage("campaign.list.total", { count: total.toLocaleString() })}
            </Text>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            {campaigns.length === 0 ? (
              <EmptyState
                heading="Aim a discount at the right customers"
                action={{ content: "New campaign", url: "/app/campaigns/new" }}
                image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
              >
                <p>Target one group, keep volume customers out of broad promotions, and measure what the discount really brought in.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "campaign", plural: "campaigns" }}
                itemCount={campaigns.length}
                selectable={false}
                headings={[{ title: "Campaign" }, { title: "Status" }, { title: "Audience" }, { title: "Discount" }, { title: "Redemptions", alignment: "end" }, { title: "Revenue", alignment: "end" }]}
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
                      <Badge tone={STATE_TONE[c.state]}>{c.state}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{c.audience}</IndexTable.Cell>
                    <IndexTable.Cell>{c.discount}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {c.redemptions.toLocaleString()}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatAmount(c.revenue, currency)}
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
  const error = useRouteError();
  return (
    <Page title="Campaigns">
      <Banner tone="critical" title="The campaigns could not be loaded">
        <p>{error instanceof Error ? error.message : "Try again in a moment."}</p>
      </Banner>
    </Page>
  );
}
