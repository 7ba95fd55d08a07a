import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useMemo, useState } from "react";
import { z } from "zod";
import { campaignFormContext } from "../campaigns/audience.server";
import { createCampaign, previewCampaign, type Preview } from "../campaigns/create.server";
import { formatAmount, formatShare } from "../campaigns/format";
import { loadDuplicate } from "../campaigns/duplicate.server";
import { parseCampaignForm, parseCustomerIds, visibleErrors, type FieldErrors } from "../campaigns/form";
import { parseCampaignPrefill } from "../campaigns/prefill";
import { campaignMessage } from "../campaigns/messages";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { authenticate } from "../shopify.server";

const duplicateParam = z.string().uuid();

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const search = new URL(request.url).searchParams;
  if (search.has("duplicate")) {
    const id = duplicateParam.safeParse(search.get("duplicate"));
    const copy = id.success ? await loadDuplicate(prisma, session.shop, id.data) : null;
    if (!copy) throw new Response("No such campaign to duplicate", { status: 404 });
    return { ...(await campaignFormContext(prisma, session.shop, copy.customerIds)), prefill: copy.fields, duplicateOf: copy.sourceTitle };
  }
  const ids = parseCustomerIds(search.get("customers"));
  if (ids === null) throw new Response("customers must be numeric ids separated by commas", { status: 400 });
  const prefill = parseCampaignPrefill(search, new Date());
  if (!prefill.ok) throw new Response(prefill.message, { status: 400 });
  return { ...(await campaignFormContext(prisma, session.shop, ids)), prefill: prefill.fields, duplicateOf: null };
};

export type ActionResult = {
  intent: "preview" | "create";
  errors: FieldErrors;
  preview: Preview | null;
  needsConfirmation?: boolean;
  shopifyErrors?: string[];
};

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult | Response> => {
  const { session, admin } = await authenticate.admin(request);
  const form = await formDataLimited(request);
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
  const intent = fields.intent === "create" ? "create" : "preview";
  const parsed = parseCampaignForm(fields, new Date());
  if (!parsed.ok) return { intent, errors: parsed.errors, preview: null };
  if (intent === "preview") return { intent, errors: {}, preview: await previewCampaign(prisma, session.shop, parsed.request) };

  const outcome = await createCampaign(prisma, throttledAdmin(admin.graphql, { shop: session.shop }), parsed.request, { confirmed: fields.confirmed === "1" });
  switch (outcome.outcome) {
    case "created":
      return redirect(`/app/campaigns/${outcome.campaignId}?created=1`);
    case "invalid":
      return { intent, errors: outcome.errors, preview: null };
    case "blocked":
      return { intent, errors: { form: "The guardrails block this campaign." }, preview: outcome.preview };
    case "needs_confirmation":
      return { intent, errors: {}, preview: outcome.preview, needsConfirmation: true };
    case "shopify_rejected":
      return { intent, errors: {}, preview: null, shopifyErrors: outcome.errors };
    case "not_saved":
      return {
        intent,
        errors: {
          form: outcome.discountDeleted
            ? "The campaign could not be saved, so its discount was removed from Shopify again. Nothing was created; try again."
            : `The campaign could not be saved, and Shopify could not be reached to remove its discount (${outcome.discountId}). Delete that discount in Shopify admin before trying again.`,
        },
        preview: null,
      };
  }
};

const GROUP_LABEL: Record<string, string> = {
  valued: "Valued",
  volume: "Volume",
  rising: "Rising",
  at_risk: "At risk",
  new: "New",
  occasional: "Occasional",
};

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

type Fields = Record<string, string>;

function toggle(value: boolean) {
  return value ? "on" : "";
}

export default function NewCampaign() {
  const context = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionResult>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const previewFetcher = useFetcher<ActionResult>();
  const shopify = useAppBridge();
  const fromList = context.selected.length > 0;

  const [fields, setFields] = useState<Fields>(() => ({
    title: "",
    code: "",
    audience: fromList ? "customers" : "group:volume",
    customers: context.selected.map((c) => c.id).join(","),
    discountKind: "percentage",
    value: "10",
    shippingCost: "8",
    startsAt: today(),
    endsAt: inDays(14),
    usageLimit: "",
    oncePerCustomer: "on",
    combinesOrder: "",
    combinesProduct: "",
    combinesShipping: "on",
    controlPercent: "10",
    excludeVolume: fromList ? "" : "on",
    // A duplicated campaign, or a link such as a persona's play, fills some fields; the merchant still reviews and confirms.
    ...(context.prefill ?? {}),
  }));
  const [reviewing, setReviewing] = useState(false);
  // Field errors wait until the field is touched or the merchant tries to go on.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const touch = (key: string) => setTouched((t) => (t.has(key) ? t : new Set([...t, key])));
  const set = (key: string) => (value: string) => {
    touch(key);
    setFields((f) => ({ ...f, [key]: value }));
  };
  const setBool = (key: string) => (value: boolean) => setFields((f) => ({ ...f, [key]: toggle(value) }));

  // The guardrails panel follows the form: each change asks the action for a fresh preview.
  const fieldsKey = JSON.stringify(fields);
  const [sentKey, setSentKey] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSentKey(fieldsKey);
      previewFetcher.submit({ ...JSON.parse(fieldsKey), intent: "preview" }, { method: "post" });
    }, 300);
    return () => clearTimeout(timer);
    // previewFetcher is stable enough; resubmitting on its identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fieldsKey]);

  useEffect(() => {
    if (actionData?.shopifyErrors?.length) shopify.toast.show("Shopify refused the discount", { isError: true });
  }, [actionData, shopify]);
  const [dismissed, setDismissed] = useState<ActionResult | undefined>(undefined);
  // The preview (and its field errors) answers the form as it is only once the request for
  // these very fields is back; until then Review waits, or it would judge stale errors.
  const previewCurrent = sentKey === fieldsKey && previewFetcher.state === "idle" && previewFetcher.data !== undefined;
  const confirming = reviewing || (actionData?.needsConfirmation === true && dismissed !== actionData);

  const preview = (confirming && actionData?.preview) || previewFetcher.data?.preview || actionData?.preview || null;
  // Errors from a create attempt are the answer to a submit: they always show.
  const errors: FieldErrors = { ...visibleErrors(previewFetcher.data?.errors ?? {}, touched, submitted), ...(actionData?.errors ?? {}) };
  const creating = navigation.state === "submitting";
  const groupOptions = useMemo(
    () => [
      ...Object.keys(GROUP_LABEL).map((g) => {
        const count = context.groups.find((x) => x.group === g)?.customers ?? 0;
        return { label: `${GROUP_LABEL[g]} customers (${count.toLocaleString()})`, value: `group:${g}` };
      }),
      { label: "All customers", value: "all" },
      ...(fromList ? [{ label: `Selected customers (${context.selected.length})`, value: "customers" }] : []),
    ],
    [context.groups, context.selected.length, fromList],
  );

  const create = () => submit({ ...fields, intent: "create", confirmed: "1" }, { method: "post" });

  return (
    <Page title="New campaign" backAction={{ content: "Campaigns", url: "/app/campaigns" }}>
      <TitleBar title="New campaign" />
      <Layout>
        {context.duplicateOf ? (
          <Layout.Section>
            <Banner tone="info">{campaignMessage("campaign.duplicate.banner", { title: context.duplicateOf })}</Banner>
          </Layout.Section>
        ) : null}
        {actionData?.shopifyErrors?.length ? (
          <Layout.Section>
            <Banner tone="critical" title="Shopify refused the discount; nothing was saved">
              <List>
                {actionData.shopifyErrors.map((e) => (
                  <List.Item key={e}>{e}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}
        {context.unknownIds.length ? (
          <Layout.Section>
            <Banner tone="warning" title="Some selected customers are not in this shop">
              <p>{context.unknownIds.join(", ")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {errors.form ? (
          <Layout.Section>
            <Banner tone="critical">{errors.form}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <FormLayout>
                <TextField label="Title" value={fields.title} onChange={set("title")} onBlur={() => touch("title")} autoComplete="off" error={errors.title} />
                <TextField label="Discount code" value={fields.code} onChange={(v) => set("code")(v.toUpperCase())} onBlur={() => touch("code")} autoComplete="off" error={errors.code} helpText="Customers enter this at checkout." />
                <Select label="Audience" options={groupOptions} value={fields.audience} onChange={set("audience")} error={errors.audience ?? errors.customers} />
                {fields.audience === "customers" ? (
                  <Text as="p" tone="subdued">
                    {context.selected.slice(0, 10).map((c) => c.name).join(", ")}
                    {context.selected.length > 10 ? ` and ${context.selected.length - 10} more` : ""}
                  </Text>
                ) : null}
                {fields.audience === "all" || fields.audience === "customers" ? (
                  <Checkbox
                    label="Exclude volume customers"
                    helpText="They already buy often at low margin; a broad promotion mostly discounts orders they would place anyway."
                    checked={fields.excludeVolume === "on"}
                    onChange={setBool("excludeVolume")}
                  />
                ) : null}
              </FormLayout>
            </Card>
            <Card>
              <FormLayout>
                <Select
                  label="Discount"
                  options={[
                    { label: "Percentage off the order", value: "percentage" },
                    { label: "Fixed amount off the order", value: "fixed_amount" },
                    { label: "Free shipping", value: "free_shipping" },
                  ]}
                  value={fields.discountKind}
                  onChange={set("discountKind")}
                />
                {fields.discountKind === "free_shipping" ? (
                  <TextField label="Your shipping cost per order" type="number" value={fields.shippingCost} onChange={set("shippingCost")} onBlur={() => touch("shippingCost")} autoComplete="off" prefix={context.currency} error={errors.shippingCost} helpText="Used only to project what free shipping costs you." />
                ) : (
                  <TextField
                    label="Value"
                    type="number"
                    value={fields.value}
                    onChange={set("value")}
                    autoComplete="off"
                    suffix={fields.discountKind === "percentage" ? "%" : context.currency}
                    error={errors.value}
                  />
                )}
                <FormLayout.Group>
                  <TextField label="Starts" type="date" value={fields.startsAt} onChange={set("startsAt")} onBlur={() => touch("startsAt")} autoComplete="off" error={errors.startsAt} />
                  <TextField label="Ends" type="date" value={fields.endsAt} onChange={set("endsAt")} onBlur={() => touch("endsAt")} autoComplete="off" error={errors.endsAt} helpText="Leave empty for no end date." />
                </FormLayout.Group>
                <TextField label="Total usage limit" type="number" value={fields.usageLimit} onChange={set("usageLimit")} onBlur={() => touch("usageLimit")} autoComplete="off" error={errors.usageLimit} helpText="Leave empty for no limit." />
                <Checkbox label="Once per customer" checked={fields.oncePerCustomer === "on"} onChange={setBool("oncePerCustomer")} />
                <BlockStack gap="100">
                  <Text as="p">Combines with</Text>
                  <Checkbox label="Order discounts" checked={fields.combinesOrder === "on"} onChange={setBool("combinesOrder")} />
                  <Checkbox label="Product discounts" checked={fields.combinesProduct === "on"} onChange={setBool("combinesProduct")} />
                  <Checkbox label="Shipping discounts" checked={fields.combinesShipping === "on"} onChange={setBool("combinesShipping")} />
                </BlockStack>
                <TextField
                  label="Control group"
                  type="number"
                  value={fields.controlPercent}
                  onChange={set("controlPercent")}
                  autoComplete="off"
                  suffix="%"
                  error={errors.controlPercent}
                  helpText="Held-out customers never get the code; comparing them with the rest measures what the discount changed."
                />
              </FormLayout>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <GuardrailsPanel preview={preview} loading={previewFetcher.state !== "idle"} />
          <Box paddingBlockStart="400">
            {confirming && preview ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Confirm
                  </Text>
                  <Text as="p">
                    About {preview.projection.expectedRedemptions} redemptions, giving away {formatAmount(preview.projection.discountCost, preview.currency)} of margin
                    {preview.guardrails.some((g) => g.severity === "warning") ? ", with the warnings above" : ""}.
                  </Text>
                  <InlineStack gap="200">
                    <Button variant="primary" onClick={create} loading={creating} disabled={preview.verdict === "block"}>
                      Create campaign
                    </Button>
                    <Button
                      onClick={() => {
                        setReviewing(false);
                        setDismissed(actionData);
                      }}
                    >
                      Back
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            ) : (
              <Button
                variant="primary"
                onClick={() => {
                  setSubmitted(true);
                  if (preview && !Object.keys(previewFetcher.data?.errors ?? {}).length) setReviewing(true);
                }}
                disabled={!previewCurrent || preview?.verdict === "block"}
              >
                Review campaign
              </Button>
            )}
          </Box>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function GuardrailsPanel({ preview, loading }: { preview: Preview | null; loading: boolean }) {
  if (!preview) {
    return (
      <Card>
        <Text as="p" tone="subdued">
          {loading ? "Projecting the cost…" : "Fill in the form to see the projected cost and guardrails."}
        </Text>
      </Card>
    );
  }
  const p = preview.projection;
  const money = (n: number) => formatAmount(n, preview.currency);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            Guardrails
          </Text>
          <Badge tone={preview.verdict === "block" ? "critical" : preview.verdict === "warn" ? "warning" : "success"}>
            {preview.verdict === "block" ? "Blocked" : preview.verdict === "warn" ? "Check warnings" : "Looks healthy"}
          </Badge>
        </InlineStack>
        <BlockStack gap="100">
          <Text as="p">
            {p.customers.toLocaleString()} customers get the code{preview.expectedHoldouts ? `, ${preview.expectedHoldouts.toLocaleString()} held out` : ""}
            {preview.volumeExcluded ? `, ${preview.volumeExcluded.toLocaleString()} volume customers excluded` : ""}.
          </Text>
          <Text as="p">Expected redemptions: {p.expectedRedemptions.toLocaleString()}</Text>
          <Text as="p">Average order: {money(p.averageOrderValue)}</Text>
          <Text as="p">Projected margin cost: {money(p.discountCost)}</Text>
          <Text as="p">
            Margin left: {money(p.marginAfter)} of {money(p.marginBefore)} ({formatShare(p.marginRateAfter)} of revenue)
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            Over {preview.windowDays} days{preview.openEnded ? " (no end date: 30 days assumed)" : ""}, if every expected order in the window uses the code
            {preview.sampled ? "; projected from a sample of the audience" : ""}.
          </Text>
        </BlockStack>
        {preview.guardrails.length ? <Divider /> : null}
        {preview.guardrails.map((g) => (
          <Banner key={g.code} tone={g.severity === "block" ? "critical" : g.severity === "warning" ? "warning" : "info"}>
            <BlockStack gap="100">
              <p>{g.message}</p>
              {g.suggestions ? (
                <>
                  <p>Perks that are not discounts:</p>
                  <List>
                    {g.suggestions.map((s) => (
                      <List.Item key={s}>{s}</List.Item>
                    ))}
                  </List>
                </>
              ) : null}
            </BlockStack>
          </Banner>
        ))}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <Page title="New campaign" backAction={{ content: "Campaigns", url: "/app/campaigns" }}>
      <Banner tone="critical" title="The campaign form could not be loaded">
        <p>{error instanceof Error ? error.message : "Check the link and try again."}</p>
      </Banner>
    </Page>
  );
}
