import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { AppProvider } from "@shopify/polaris";
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { createI18n } from "../../app/i18n/i18n";
import { requestLocale } from "../../app/i18n/locale.server";
import { polarisTranslations } from "../../app/i18n/polaris";

// A route's page rendered to HTML as the app serves it: the route's own loader (and action,
// for a POST) run on the request, the language is the one the root loader settles from that
// request, and the page is rendered inside the same i18next and Polaris providers as the app.

export interface RouteModule {
  default: ComponentType;
  ErrorBoundary?: ComponentType;
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
}

/**
 * The page's HTML for `request`: a POST runs the action first, as a form submission does; an
 * error the loader throws renders the route's ErrorBoundary. Throws when the route redirects.
 */
export async function renderRoute(module: RouteModule, request: Request): Promise<string> {
  const { locale } = requestLocale(request);
  const handler = createStaticHandler([
    {
      id: "route",
      path: new URL(request.url).pathname,
      loader: module.loader ? (args) => module.loader!({ ...args, context: {} }) as Promise<object> : undefined,
      action: module.action ? (args) => module.action!({ ...args, context: {} }) as Promise<object> : undefined,
      Component: module.default,
      ErrorBoundary: module.ErrorBoundary,
    },
  ]);
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`the route answered ${context.status} ${context.headers.get("Location") ?? ""}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    <I18nextProvider i18n={createI18n(locale)}>
      <AppProvider i18n={polarisTranslations(locale)}>
        <StaticRouterProvider router={router} context={context} hydrate={false} />
      </AppProvider>
    </I18nextProvider>,
  );
}
