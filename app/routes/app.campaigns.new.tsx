import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
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
import { RouteErrorPage } from "../components/RouteErrorPage";
import { campaignFormContext } from "../campaigns/audience.server";
import { createCampaign, previewCampaign, type Preview } from "../campaigns/create.server";
import { loadDuplicate } from "../campaigns/duplicate.server";
import { parseCampaignForm, parseCustomerIds, visibleErrors, type FieldErrors } from "../campaigns/form";
import { parseCampaignPrefill } from "../campaigns/prefill";
import { parseListFilters, type ListFilters } from "../customers/filters";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { requestLocale } from "../i18n/locale.server";
import { msg } from "../i18n/message";
import { useFormat } from "../i18n/useFormat";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { authenticate } from "../shopify.server";

const duplicateParam = z.string().uuid();

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const search = new URL(request.url).searchParams;
  if (search.has("duplicate")) {
    const id = duplicateParam.safeParse(search.get("duplicate"));
    const copy = id.success ? await loadDuplicate(prisma, session.shop, id.data, requestLocale(request).locale) : null;
    if (!copy) throw new Response("No such campaign to duplicate", { status: 404 });
    return { ...(await campaignFormContext(prisma, session.shop, copy.customerIds, copy.filters)), prefill: copy.fields, duplicateOf: copy.sourceTitle };
  }
  const ids = parseCustomerIds(search.get("customers"));
  if (ids === null) throw new Response("customers must be numeric ids separated by commas", { status: 400 });
  // `filter`: the customer list's filter (its URL query), from its "Add all to a campaign".
  let filters: ListFilters | null = null;
  const filterParam = search.get("filter");
  if (filterParam !== null) {
    const parsed = parseListFilters(filterParam);
    if (!parsed.ok) throw new Response(`filter: ${parsed.error}`, { status: 400 });
    filters = parsed.filters;
  }
  const prefill = parseCampaignPrefill(search, new Date());
  if (!prefill.ok) throw new Response(prefill.message, { status: 400 });
  return { ...(await campaignFormContext(prisma, session.shop, ids, filters)), prefill: prefill.fields, duplicateOf: null };
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
      return { intent, errors: { form: msg("campaignForm.errors.blocked") }, preview: outcome.preview };
    case "needs_confirmation":
      return { intent, errors: {}, preview: outcome.preview, needsConfirmation: true };
    case "shopify_rejected":
      return { intent, errors: {}, preview: null, shopifyErrors: outcome.errors };
    case "not_saved":
      return {
        intent,
        errors: {
          form: outcome.discountDeleted
            ? msg("campaignForm.errors.notSavedDeleted")
            : msg("campaignForm.errors.notSavedOrphan", { discountId: outcome.discountId }),
        },
        preview: null,
      };
  }
};

const GROUP_ORDER = ["valued", "volume", "rising", "at_risk", "new", "occasional"] as const;

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
  const { t, f, m } = useFormat();
  const fromList = context.selected.length > 0;
  const fromFilter = context.filter !== null;

  const [fields, setFields] = useState<Fields>(() => ({
    title: "",
    code: "",
    audience: fromFilter ? "filter" : fromList ? "customers" : "group:volume",
    customers: context.selected.map((c) => c.id).join(","),
    filter: context.filter?.query ?? "",
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
    excludeVolume: fromList || fromFilter ? "" : "on",
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
    if (actionData?.shopifyErrors?.length) shopify.toast.show(t("campaignNew.toastRefused"), { isError: true });
  }, [actionData, shopify, t]);
  const [dismissed, setDismissed] = useState<ActionResult | undefined>(undefined);
  // The preview (and its field errors) answers the form as it is only once the request for
  // these very fields is back; until then Review waits, or it would judge stale errors.
  const previewCurrent = sentKey === fieldsKey && previewFetcher.state === "idle" && previewFetcher.data !== undefined;
  const confirming = reviewing || (actionData?.needsConfirmation === true && dismissed !== actionData);

  const preview = (confirming && actionData?.preview) || previewFetcher.data?.preview || actionData?.preview || null;
  // Errors from a create attempt are the answer to a submit: they always show.
  const shown: FieldErrors = { ...visibleErrors(previewFetcher.data?.errors ?? {}, touched, submitted), ...(actionData?.errors ?? {}) };
  const errors: Partial<Record<string, string>> = Object.fromEntries(Object.entries(shown).map(([k, e]) => [k, e && m(e)]));
  const creating = navigation.state === "submitting";
  const groupOptions = useMemo(
    () => [
      ...GROUP_ORDER.map((g) => {
        const count = context.groups.find((x) => x.group === g)?.customers ?? 0;
        return { label: t("campaignNew.audienceGroup", { group: t(`groups.${g}`), customers: f.number(count) }), value: `group:${g}` };
      }),
      { label: t("campaignNew.audienceAll"), value: "all" },
      ...(fromList ? [{ label: t("campaignNew.audienceSelected", { customers: f.number(context.selected.length) }), value: "customers" }] : []),
      ...(context.filter ? [{ label: t("campaignNew.audienceFilter", { customers: f.number(context.filter.customers) }), value: "filter" }] : []),
    ],
    [context.groups, context.selected.length, context.filter, fromList, t, f],
  );

  const create = () => submit({ ...fields, intent: "create", confirmed: "1" }, { method: "post" });

  return (
    <Page title={t("campaignNew.title")} backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }}>
      <TitleBar title={t("campaignNew.title")} />
      <Layout>
        {context.duplicateOf ? (
          <Layout.Section>
            <Banner tone="info">{t("campaigns.manage.duplicate.banner", { title: context.duplicateOf })}</Banner>
          </Layout.Section>
        ) : null}
        {actionData?.shopifyErrors?.length ? (
          <Layout.Section>
            <Banner tone="critical" title={t("campaignNew.refusedTitle")}>
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
            <Banner tone="warning" title={t("campaignNew.unknownTitle")}>
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
                <TextField label={t("campaignNew.fields.title")} value={fields.title} onChange={set("title")} onBlur={() => touch("title")} autoComplete="off" error={errors.title} />
                <TextField
                  label={t("campaignNew.fields.code")}
                  value={fields.code}
                  onChange={(v) => set("code")(v.toUpperCase())}
                  onBlur={() => touch("code")}
                  autoComplete="off"
                  error={errors.code}
                  helpText={t("campaignNew.fields.codeHelp")}
                />
                <Select
                  label={t("campaignNew.fields.audience")}
                  options={groupOptions}
                  value={fields.audience}
                  onChange={set("audience")}
                  error={errors.audience ?? errors.customers ?? errors.filter}
                />
                {fields.audience === "filter" && context.filter ? <FilterSummary filters={context.filter.filters} /> : null}
                {fields.audience === "customers" ? (
                  <Text as="p" tone="subdued">
                    {context.selected.length > 10
                      ? t("campaignNew.selectedMore", { names: context.selected.slice(0, 10).map((c) => c.name).join(t("list.itemsSeparator")), count: context.selected.length - 10 })
                      : context.selected.map((c) => c.name).join(t("list.itemsSeparator"))}
                  </Text>
                ) : null}
                {fields.audience === "all" || fields.audience === "customers" || fields.audience === "filter" ? (
                  <Checkbox
                    label={t("campaignNew.fields.excludeVolume")}
                    helpText={t("campaignNew.fields.excludeVolumeHelp")}
                    checked={fields.excludeVolume === "on"}
                    onChange={setBool("excludeVolume")}
                  />
                ) : null}
              </FormLayout>
            </Card>
            <Card>
              <FormLayout>
                <Select
                  label={t("campaignNew.fields.discount")}
                  options={[
                    { label: t("campaignNew.fields.percentage"), value: "percentage" },
                    { label: t("campaignNew.fields.fixedAmount"), value: "fixed_amount" },
                    { label: t("campaignNew.fields.freeShipping"), value: "free_shipping" },
                  ]}
                  value={fields.discountKind}
                  onChange={set("discountKind")}
                />
                {fields.discountKind === "free_shipping" ? (
                  <TextField
                    label={t("campaignNew.fields.shippingCost")}
                    type="number"
                    value={fields.shippingCost}
                    onChange={set("shippingCost")}
                    onBlur={() => touch("shippingCost")}
                    autoComplete="off"
                    prefix={context.currency}
                    error={errors.shippingCost}
                    helpText={t("campaignNew.fields.shippingCostHelp")}
                  />
                ) : (
                  <TextField
                    label={t("campaignNew.fields.value")}
                    type="number"
                    value={fields.value}
                    onChange={set("value")}
                    autoComplete="off"
                    suffix={fields.discountKind === "percentage" ? "%" : context.currency}
                    error={errors.value}
                  />
                )}
                <FormLayout.Group>
                  <TextField label={t("campaignNew.fields.starts")} type="date" value={fields.startsAt} onChange={set("startsAt")} onBlur={() => touch("startsAt")} autoComplete="off" error={errors.startsAt} />
                  <TextField
                    label={t("campaignNew.fields.ends")}
                    type="date"
                    value={fields.endsAt}
                    onChange={set("endsAt")}
                    onBlur={() => touch("endsAt")}
                    autoComplete="off"
                    error={errors.endsAt}
                    helpText={t("campaignNew.fields.endsHelp")}
                  />
                </FormLayout.Group>
                <TextField
                  label={t("campaignNew.fields.usageLimit")}
                  type="number"
                  value={fields.usageLimit}
                  onChange={set("usageLimit")}
                  onBlur={() => touch("usageLimit")}
                  autoComplete="off"
                  error={errors.usageLimit}
                  helpText={t("campaignNew.fields.usageLimitHelp")}
                />
                <Checkbox label={t("campaignNew.fields.oncePerCustomer")} checked={fields.oncePerCustomer === "on"} onChange={setBool("oncePerCustomer")} />
                <BlockStack gap="100">
                  <Text as="p">{t("campaignNew.fields.combinesWith")}</Text>
                  <Checkbox label={t("campaignNew.fields.orderDiscounts")} checked={fields.combinesOrder === "on"} onChange={setBool("combinesOrder")} />
                  <Checkbox label={t("campaignNew.fields.productDiscounts")} checked={fields.combinesProduct === "on"} onChange={setBool("combinesProduct")} />
                  <Checkbox label={t("campaignNew.fields.shippingDiscounts")} checked={fields.combinesShipping === "on"} onChange={setBool("combinesShipping")} />
                </BlockStack>
                <TextField
                  label={t("campaignNew.fields.control")}
                  type="number"
                  value={fields.controlPercent}
                  onChange={set("controlPercent")}
                  autoComplete="off"
                  suffix="%"
                  error={errors.controlPercent}
                  helpText={t("campaignNew.fields.controlHelp")}
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
                    {t("campaignNew.confirm.title")}
                  </Text>
                  <Text as="p">
                    {t(preview.guardrails.some((g) => g.severity === "warning") ? "campaignNew.confirm.summaryWarnings" : "campaignNew.confirm.summary", {
                      redemptions: f.number(preview.projection.expectedRedemptions),
                      cost: f.money(preview.projection.discountCost, preview.currency),
                    })}
                  </Text>
                  <InlineStack gap="200">
                    <Button variant="primary" onClick={create} loading={creating} disabled={preview.verdict === "block"}>
                      {t("campaignNew.confirm.create")}
                    </Button>
                    <Button
                      onClick={() => {
                        setReviewing(false);
                        setDismissed(actionData);
                      }}
                    >
                      {t("campaignNew.confirm.back")}
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
                {t("campaignNew.review")}
              </Button>
            )}
          </Box>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** What the list's filter asks for, and that the campaign takes the customers matching it when it is created. */
function FilterSummary({ filters }: { filters: ListFilters }) {
  const { t, f } = useFormat();
  const parts = [
    filters.group === "all" ? t("campaignNew.filter.allGroups") : t("campaignNew.filter.group", { group: t(`groups.${filters.group}`) }),
    filters.vip ? t("campaignNew.filter.vip") : null,
    filters.minOrders !== undefined ? t("campaignNew.filter.minOrders", { count: filters.minOrders }) : null,
    filters.lastFrom ? t("campaignNew.filter.lastFrom", { date: f.date(filters.lastFrom) }) : null,
    filters.lastTo ? t("campaignNew.filter.lastTo", { date: f.date(filters.lastTo) }) : null,
    filters.q ? t("campaignNew.filter.search", { q: filters.q }) : null,
  ].filter((p) => p !== null);
  return (
    <BlockStack gap="100">
      <Text as="p">{t("campaignNew.filter.summary", { filter: parts.join(t("list.itemsSeparator")) })}</Text>
      <Text as="p" tone="subdued">
        {t("campaignNew.filter.snapshot")}
      </Text>
    </BlockStack>
  );
}

function GuardrailsPanel({ preview, loading }: { preview: Preview | null; loading: boolean }) {
  const { t, f, m } = useFormat();
  if (!preview) {
    return (
      <Card>
        <Text as="p" tone="subdued">
          {loading ? t("campaignNew.guardrails.projecting") : t("campaignNew.guardrails.fillIn")}
        </Text>
      </Card>
    );
  }
  const p = preview.projection;
  const money = (n: number) => f.money(n, preview.currency);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            {t("campaignNew.guardrails.title")}
          </Text>
          <Badge tone={preview.verdict === "block" ? "critical" : preview.verdict === "warn" ? "warning" : "success"}>
            {t(`campaignNew.guardrails.verdict.${preview.verdict}`)}
          </Badge>
        </InlineStack>
        <BlockStack gap="100">
          <Text as="p">
            {[
              t("campaignNew.guardrails.customers", { customers: f.number(p.customers) }),
              preview.expectedHoldouts ? t("campaignNew.guardrails.heldOut", { customers: f.number(preview.expectedHoldouts) }) : null,
              preview.volumeExcluded ? t("campaignNew.guardrails.volumeExcluded", { customers: f.number(preview.volumeExcluded) }) : null,
            ]
              .filter((x) => x !== null)
              .join(t("list.itemsSeparator"))}
          </Text>
          <Text as="p">{t("campaignNew.guardrails.redemptions", { redemptions: f.number(p.expectedRedemptions) })}</Text>
          <Text as="p">{t("campaignNew.guardrails.averageOrder", { amount: money(p.averageOrderValue) })}</Text>
          <Text as="p">{t("campaignNew.guardrails.cost", { amount: money(p.discountCost) })}</Text>
          <Text as="p">
            {t("campaignNew.guardrails.marginLeft", { after: money(p.marginAfter), before: money(p.marginBefore), rate: f.percent(p.marginRateAfter) })}
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            {t(preview.openEnded ? "campaignNew.guardrails.windowOpen" : "campaignNew.guardrails.window", { count: preview.windowDays })}
            {preview.sampled ? t("campaignNew.guardrails.sampled") : ""}
          </Text>
        </BlockStack>
        {preview.guardrails.length ? <Divider /> : null}
        {preview.guardrails.map((g) => (
          <Banner key={g.code} tone={g.severity === "block" ? "critical" : g.severity === "warning" ? "warning" : "info"}>
            <BlockStack gap="100">
              <p>{m(g.message)}</p>
              {g.suggestions ? (
                <>
                  <p>{t("campaignNew.guardrails.perks")}</p>
                  <List>
                    {g.suggestions.map((s) => (
                      <List.Item key={s.key}>{m(s)}</List.Item>
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
  const { t } = useFormat();
  return (
    <RouteErrorPage
      title={t("campaignNew.title")}
      backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }}
      heading={t("campaignNew.loadError")}
      body={t("campaignNew.checkLink")}
    />
  );
}
