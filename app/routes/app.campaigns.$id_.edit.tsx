import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { z } from "zod";
import { FailureBanner } from "../components/FailureBanner";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { parseEditForm } from "../campaigns/edit-form";
import type { FieldErrors } from "../campaigns/form";
import { editCampaign } from "../campaigns/manage.server";
import { failureMessage } from "../campaigns/messages";
import { getCampaign } from "../campaigns/results.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import type { Message } from "../i18n/message";
import { useFormat } from "../i18n/useFormat";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { authenticate } from "../shopify.server";

const paramsSchema = z.object({ id: z.string().uuid() });
const EDIT_FIELDS = ["title", "value", "endsAt", "usageLimit", "oncePerCustomer", "combinesOrder", "combinesProduct", "combinesShipping"] as const;
const postedSchema = z.partialRecord(z.enum(EDIT_FIELDS), z.string());

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("No such campaign", { status: 404 });
  const detail = await getCampaign(prisma, session.shop, parsed.data.id);
  if (!detail) throw new Response("No such campaign", { status: 404 });
  return { campaign: detail.campaign, currency: detail.currency };
};

export type EditActionResult = { errors: FieldErrors; failure: { message: Message; details: string[] } | null };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<EditActionResult | Response> => {
  const { session, admin } = await authenticate.admin(request);
  const id = paramsSchema.safeParse(params);
  if (!id.success) throw new Response("No such campaign", { status: 404 });
  const posted = postedSchema.safeParse(Object.fromEntries(await formDataLimited(request)));
  if (!posted.success) throw new Response(`Only these fields can be posted: ${EDIT_FIELDS.join(", ")}`, { status: 400 });
  const parsed = parseEditForm(posted.data);
  if (!parsed.ok) return { errors: parsed.errors, failure: null };
  const outcome = await editCampaign(prisma, throttledAdmin(admin.graphql, { shop: session.shop }), id.data.id, parsed.request);
  switch (outcome.outcome) {
    case "saved":
      return redirect(`/app/campaigns/${id.data.id}${outcome.changed ? "?saved=1" : ""}`);
    case "invalid":
      return { errors: outcome.errors, failure: null };
    case "not_saved":
      return { errors: {}, failure: failureMessage({ outcome: "not_saved", action: "edit", reverted: outcome.reverted }) };
    default:
      return { errors: {}, failure: failureMessage(outcome) };
  }
};

const on = (b: boolean) => (b ? "on" : "");

export default function EditCampaign() {
  const { campaign: c, currency } = useLoaderData<typeof loader>();
  const result = useActionData<EditActionResult>();
  const navigation = useNavigation();
  const [fields, setFields] = useState<Record<string, string>>({
    title: c.title,
    value: c.value === null ? "" : String(c.value),
    endsAt: c.endsAt ? c.endsAt.slice(0, 10) : "",
    usageLimit: c.usageLimit === null ? "" : String(c.usageLimit),
    oncePerCustomer: on(c.oncePerCustomer),
    combinesOrder: on(c.combinesOrder),
    combinesProduct: on(c.combinesProduct),
    combinesShipping: on(c.combinesShipping),
  });
  const set = (key: string) => (value: string) => setFields((f) => ({ ...f, [key]: value }));
  const setBool = (key: string) => (value: boolean) => setFields((f) => ({ ...f, [key]: on(value) }));
  const { t, m } = useFormat();
  const fieldErrors = result?.errors ?? {};
  const errors = Object.fromEntries(Object.entries(fieldErrors).map(([k, v]) => [k, v ? m(v) : undefined])) as Record<string, string | undefined>;
  const ended = !(c.state === "active" || c.state === "scheduled");
  const title = t("campaigns.manage.edit.title", { title: c.title });
  const label = (field: string, values?: Record<string, string>) => t(`campaigns.manage.edit.fields.${field}`, values);

  return (
    <Page title={title} subtitle={c.code} backAction={{ content: c.title, url: `/app/campaigns/${c.id}` }}>
      <TitleBar title={title} />
      <Layout>
        {result?.failure ? (
          <Layout.Section>
            <FailureBanner title={m(result.failure.message)} details={result.failure.details} />
          </Layout.Section>
        ) : null}
        {errors.form || ended ? (
          <Layout.Section>
            <Banner tone="critical">{errors.form ?? t("campaigns.manage.edit.ended")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <Form method="post">
              <FormLayout>
                <TextField label={label("title")} name="title" autoComplete="off" value={fields.title} onChange={set("title")} error={errors.title} />
                {c.discountKind !== "free_shipping" ? (
                  <TextField
                    label={c.discountKind === "percentage" ? label("percentageOff") : label("amountOff", { currency })}
                    name="value"
                    autoComplete="off"
                    inputMode="decimal"
                    value={fields.value}
                    onChange={set("value")}
                    error={errors.value}
                  />
                ) : null}
                <TextField label={label("ends")} type="date" name="endsAt" autoComplete="off" value={fields.endsAt} onChange={set("endsAt")} error={errors.endsAt} helpText={label("endsHelp")} />
                <TextField label={label("usageLimit")} name="usageLimit" autoComplete="off" inputMode="numeric" value={fields.usageLimit} onChange={set("usageLimit")} error={errors.usageLimit} helpText={label("usageLimitHelp")} />
                <Checkbox label={label("oncePerCustomer")} checked={fields.oncePerCustomer === "on"} onChange={setBool("oncePerCustomer")} />
                <Checkbox label={label("combinesOrder")} checked={fields.combinesOrder === "on"} onChange={setBool("combinesOrder")} />
                <Checkbox label={label("combinesProduct")} checked={fields.combinesProduct === "on"} onChange={setBool("combinesProduct")} />
                <Checkbox label={label("combinesShipping")} checked={fields.combinesShipping === "on"} onChange={setBool("combinesShipping")} />
                {EDIT_FIELDS.filter((k) => k !== "title" && k !== "value" && k !== "endsAt" && k !== "usageLimit").map((k) =>
                  fields[k] ? <input key={k} type="hidden" name={k} value="on" /> : null,
                )}
                <Button submit variant="primary" disabled={ended} loading={navigation.state === "submitting"}>
                  {label("save")}
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("campaigns.manage.edit.rulesTitle")}
              </Text>
              <Text as="p">{t("campaigns.manage.edit.rules")}</Text>
              <Text as="p" tone="subdued">
                {t("campaigns.manage.edit.summary", { audience: m(c.audience), code: c.code, discount: m(c.discount) })}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  const { t } = useFormat();
  return (
    <RouteErrorPage
      title={t("campaigns.manage.edit.pageTitle")}
      backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }}
      heading={t(missing ? "campaigns.manage.edit.notFound" : "campaigns.manage.edit.loadError")}
      body={missing ? t("errors.campaignNotFoundBody") : undefined}
      showDetail={!missing}
    />
  );
}
