import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { getShopOverview } from "../shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return getShopOverview(prisma, session.shop);
};

export default function Index() {
  const overview = useLoaderData<typeof loader>();
  const lastWebhook = overview.lastWebhookAt
    ? `${overview.lastWebhookTopic} at ${new Date(overview.lastWebhookAt).toLocaleString()}`
    : "No webhook received yet";

  return (
    <Page>
      <TitleBar title="Patron" />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Stat label="Customers synced" value={overview.customers.toLocaleString()} />
            <Stat label="Orders synced" value={overview.orders.toLocaleString()} />
            <Stat label="Last webhook" value={lastWebhook} />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}
