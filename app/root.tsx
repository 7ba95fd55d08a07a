import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { I18nextProvider } from "react-i18next";
import { createI18n } from "./i18n/i18n";
import { requestLocale } from "./i18n/locale.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { locale, setCookie } = requestLocale(request);
  return json({ locale }, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
};

// The language is settled by the document request Shopify admin opens (its `locale`): a data
// request inside the app, whose URL carries no locale, must not switch it back to English.
export const shouldRevalidate = () => false;

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  // One instance per render of the document: per request on the server, once in the browser.
  const i18n = useMemo(() => createI18n(locale), [locale]);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <link rel="apple-touch-icon" href="/icon-192.png" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <Outlet />
        </I18nextProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
