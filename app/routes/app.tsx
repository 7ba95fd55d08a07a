import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import type { AppProviderProps } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisZhCN from "@shopify/polaris/locales/zh-CN.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { useTranslation } from "react-i18next";
import type { Locale } from "../i18n/locales";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: process.env.SHOPIFY_API_KEY || "" };
};

// Polaris's own strings (pagination, filters, bulk actions), English behind any gaps.
const POLARIS_TRANSLATIONS: Record<Locale, NonNullable<AppProviderProps["i18n"]>> = { en: [polarisEn], "zh-CN": [polarisZhCN, polarisEn] };

export default function App() {
  const { apiKey } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={POLARIS_TRANSLATIONS[i18n.language as Locale] ?? POLARIS_TRANSLATIONS.en}>
      <NavMenu>
        <Link to="/app" rel="home">
          {t("nav.home")}
        </Link>
        <Link to="/app/customers">{t("nav.customers")}</Link>
        <Link to="/app/campaigns">{t("nav.campaigns")}</Link>
        <Link to="/app/settings">{t("nav.settings")}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix's error boundary and headers to break out of the iframe
// during auth redirects.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
