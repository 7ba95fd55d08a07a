import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { login } from "../../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return { showForm: Boolean(login) };
};

export default function Landing() {
  const { showForm } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Patron</h1>
      <p>{t("landing.tagline")}</p>
      {showForm && (
        <Form method="post" action="/auth/login">
          <label>
            {t("landing.shopDomain")} <input type="text" name="shop" placeholder={t("landing.shopDomainPlaceholder")} />
          </label>{" "}
          <button type="submit">{t("landing.submit")}</button>
        </Form>
      )}
    </main>
  );
}
