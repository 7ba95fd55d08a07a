import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { PolarisVizProvider } from "@shopify/polaris-viz";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { TitleBar } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { ErrorDetail } from "../components/RouteErrorPage";
import { loadDashboard } from "../dashboard/dashboard.server";
import { DashboardView } from "../dashboard/DashboardView";
import { parsePeriod } from "../dashboard/shape";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { useTranslation } from "react-i18next";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const periodDays = parsePeriod(new URL(request.url).searchParams.get("period"));
  return loadDashboard(prisma, session.shop, { periodDays, now: new Date() });
};

export default function Index() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [, setSearchParams] = useSearchParams();
  const { t } = useTranslation();
  return (
    <PolarisVizProvider>
      <Page>
        <TitleBar title={t("dashboard.title")} />
        <DashboardView
          data={data}
          loading={navigation.state === "loading"}
          onPeriodChange={(period) => setSearchParams({ period: String(period) }, { preventScrollReset: true })}
        />
      </Page>
    </PolarisVizProvider>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  // Auth responses (session token refresh, re-authorisation) are Shopify's to render.
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page>
      <TitleBar title={t("dashboard.title")} />
      <Layout>
        <Layout.Section>
          <Banner tone="critical" title={t("dashboard.loadError.title")}>
            <BlockStack gap="200">
              <p>{t("dashboard.loadError.body")}</p>
              <ErrorDetail error={error} />
            </BlockStack>
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
