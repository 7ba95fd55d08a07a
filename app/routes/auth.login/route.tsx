import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { polarisTranslations } from "../../i18n/polaris";
import { login } from "../../shopify.server";
import { loginErrorMessage } from "./error.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Shown outside Shopify admin: the language is the root's (the `locale` cookie or the browser's Accept-Language).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  return { errors: loginErrorMessage(await login(request)) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  return { errors: loginErrorMessage(await login(request)) };
};

export default function Auth() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const { t, i18n } = useTranslation();
  const { errors } = actionData || loaderData;

  return (
    <PolarisAppProvider i18n={polarisTranslations(i18n.language)}>
      <Page>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                {t("login.title")}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={t("login.shopDomain")}
                helpText={t("login.shopDomainHelp")}
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={errors.shop ? t(errors.shop) : undefined}
              />
              <Button submit>{t("login.submit")}</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
