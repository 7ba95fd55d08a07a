import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, ButtonGroup, Card, InlineGrid, Layout, Link, Page, ProgressBar, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { campaignListing, resumeListing, type ListingProgress } from "../campaigns/listing.server";
import { deleteCampaign, endCampaign } from "../campaigns/manage.server";
import { requireShopId } from "../customers/shop.server";
import { failureMessage } from "../campaigns/messages";
import { getCampaign } from "../campaigns/results.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import type { Message } from "../i18n/message";
import { useFormat } from "../i18n/useFormat";
import { authenticate } from "../shopify.server";
import { FailureBanner } from "../components/FailureBanner";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { StatCard } from "../components/StatCard";
import { useRevalidateWhile } from "../components/useRevalidateWhile";

const paramsSchema = z.object({ id: z.string().uuid() });
const actionSchema = z.object({ intent: z.enum(["end", "delete", "resume-listing"]) }).strict();

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("No such campaign", { status: 404 });
  const detail = await getCampaign(prisma, session.shop, parsed.data.id);
  if (!detail) throw new Response("No such campaign", { status: 404 });
  const listing = await campaignListing(prisma, await requireShopId(prisma, session.shop), parsed.data.id);
  return { ...detail, listing, shop: session.shop };
};

export type CampaignActionResult = { message: Message; details: string[] };

/** POST intent=end | intent=delete | intent=resume-listing: end the campaign now, delete it and its discount, or queue again the listing of its customers that failed. */
export const action = async ({ request, params }: ActionFunctionArgs): Promise<CampaignActionResult | Response> => {
  const { session, admin } = await authenticate.admin(request);
  const id = paramsSchema.safeParse(params);
  if (!id.success) throw new Response("No such campaign", { status: 404 });
  const form = Object.fromEntries(await formDataLimited(request));
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) throw new Response("intent must be end, delete or resume-listing, and nothing else", { status: 400 });
  if (parsed.data.intent === "resume-listing") {
    await resumeListing(prisma, await requireShopId(prisma, session.shop), id.data.id);
    return redirect(`/app/campaigns/${id.data.id}`);
  }
  const shopify = throttledAdmin(admin.graphql, { shop: session.shop });
  if (parsed.data.intent === "end") {
    const outcome = await endCampaign(prisma, shopify, id.data.id);
    if (outcome.outcome === "ended") return redirect(`/app/campaigns/${id.data.id}?ended=1`);
    return failureMessage(outcome.outcome === "not_saved" ? { outcome: "not_saved", action: "end" } : outcome);
  }
  const outcome = await deleteCampaign(prisma, shopify, id.data.id);
  if (outcome.outcome === "deleted") return redirect("/app/campaigns?deleted=1");
  return failureMessage(outcome.outcome === "not_saved" ? { outcome: "not_saved", action: "delete" } : outcome);
};

const PENDING_ACTION = { EDIT: "edit", END: "end", DELETE: "delete" } as const;

export default function CampaignPage() {
  const { campaign: c, results, currency, shop, listing } = useLoaderData<typeof loader>();
  const failure = useActionData<CampaignActionResult>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const shopify = useAppBridge();
  const { t, f, m } = useFormat();
  // A confirmation belongs to the answer it was opened after: a new answer closes it.
  const [opened, setOpened] = useState<{ kind: "end" | "delete"; after: CampaignActionResult | undefined } | null>(null);
  const confirming = opened && opened.after === failure ? opened.kind : null;
  const setConfirming = (kind: "end" | "delete" | null) => setOpened(kind ? { kind, after: failure } : null);
  useEffect(() => {
    if (params.get("created")) shopify.toast.show(t("campaigns.detail.created"));
    if (params.get("ended")) shopify.toast.show(t("campaigns.manage.toast.ended"));
    if (params.get("saved")) shopify.toast.show(t("campaigns.manage.toast.saved"));
  }, [params, shopify, t]);

  const money = (n: number | null) => (n === null ? "–" : f.money(n, currency));
  const admin = `https://${shop}/admin`;
  const u = results.uplift;
  const r = results.redemption;
  const live = c.state === "active" || c.state === "scheduled";
  const busy = navigation.state !== "idle";

  return (
    <Page
      title={c.title}
      subtitle={c.code}
      backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }}
      titleMetadata={<Badge>{t(`campaigns.state.${c.state}`)}</Badge>}
      secondaryActions={[
        ...(live ? [{ content: t("campaigns.manage.actions.edit"), url: `/app/campaigns/${c.id}/edit` }] : []),
        { content: t("campaigns.manage.actions.duplicate"), url: `/app/campaigns/new?duplicate=${c.id}` },
        ...(live ? [{ content: t("campaigns.manage.actions.end"), onAction: () => setConfirming("end") }] : []),
        { content: t("campaigns.manage.actions.delete"), destructive: true, onAction: () => setConfirming("delete") },
      ]}
    >
      <TitleBar title={c.title} />
      <Layout>
        {failure ? (
          <Layout.Section>
            <FailureBanner title={m(failure.message)} details={failure.details} />
          </Layout.Section>
        ) : null}
        {listing && listing.status !== "done" ? (
          <Layout.Section>
            <ListingBanner listing={listing} busy={busy} />
          </Layout.Section>
        ) : null}
        {c.pendingAction && c.pendingSince ? (
          <Layout.Section>
            <Banner tone="warning">{t("campaigns.manage.pendingBanner", { action: t(`campaigns.manage.pendingAction.${PENDING_ACTION[c.pendingAction]}`), since: f.dateTime(c.pendingSince) })}</Banner>
          </Layout.Section>
        ) : null}
        {c.endedAt ? (
          <Layout.Section>
            <Banner tone="info">{t("campaigns.manage.endedEarly", { date: f.dateTime(c.endedAt) })}</Banner>
          </Layout.Section>
        ) : null}
        {confirming ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t(`campaigns.manage.${confirming}.confirmTitle`, { title: c.title })}
                </Text>
                <Text as="p">{t(`campaigns.manage.${confirming}.confirmBody`, { code: c.code })}</Text>
                <Form method="post">
                  <input type="hidden" name="intent" value={confirming} />
                  <ButtonGroup>
                    <Button onClick={() => setConfirming(null)}>{t("campaigns.manage.actions.cancel")}</Button>
                    <Button submit variant="primary" tone="critical" loading={busy}>
                      {t(`campaigns.manage.actions.${confirming}`)}
                    </Button>
                  </ButtonGroup>
                </Form>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, sm: 4 }} gap="400">
              <StatCard headingAs="h3" label={t("campaigns.detail.redemptions")} value={f.number(r.redemptions)} />
              <StatCard headingAs="h3" label={t("campaigns.detail.revenue")} value={money(r.revenue)} />
              <StatCard headingAs="h3" label={t("campaigns.detail.discounts")} value={money(r.discounts)} />
              <StatCard headingAs="h3" label={t("campaigns.detail.margin")} value={money(r.margin)} />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("campaigns.detail.upliftTitle")}
                </Text>
                {u.state !== "measured" ? (
                  <Banner tone="info">{u.note ? m(u.note) : null}</Banner>
                ) : (
                  <BlockStack gap="100">
                    <Text as="p">
                      {t(u.significant ? "campaigns.detail.conversion" : "campaigns.detail.conversionNotSignificant", {
                        treatment: f.percent(u.treatment.conversion, 1),
                        control: f.percent(u.control.conversion, 1),
                        uplift: `${u.conversionUplift! >= 0 ? "+" : ""}${f.number(u.conversionUplift!)}`,
                      })}
                    </Text>
                    <Text as="p">
                      {t("campaigns.detail.revenuePerCustomer", {
                        treatment: money(u.treatment.revenuePerCustomer),
                        control: money(u.control.revenuePerCustomer),
                        incremental: money(u.incrementalRevenue),
                      })}
                    </Text>
                  </BlockStack>
                )}
                <Text as="p" tone="subdued" variant="bodySm">
                  {t(c.endsAt ? "campaigns.detail.countedRange" : "campaigns.detail.counted", {
                    treated: f.number(u.treatment.customers),
                    holdouts: f.number(u.control.customers),
                    from: f.date(c.startsAt),
                    to: f.date(c.endsAt),
                  })}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("campaigns.detail.details")}
              </Text>
              <Text as="p">{t("campaigns.detail.audience", { audience: m(c.audience) })}</Text>
              <Text as="p">{t("campaigns.detail.discount", { discount: m(c.discount) })}</Text>
              <Text as="p">{t("campaigns.detail.dates", { from: f.date(c.startsAt), to: c.endsAt ? f.date(c.endsAt) : t("campaigns.detail.noEnd") })}</Text>
              <Text as="p">
                {t(c.oncePerCustomer ? "campaigns.detail.usageLimitOnce" : "campaigns.detail.usageLimit", {
                  limit: c.usageLimit === null ? t("campaigns.detail.none") : f.number(c.usageLimit),
                })}
              </Text>
              <Text as="p">{t("campaigns.detail.combinesWith", { list: c.combinesWith.length ? f.list(c.combinesWith.map(m)) : t("campaigns.detail.nothing") })}</Text>
              <Text as="p">{t("campaigns.detail.control", { share: f.percent(c.controlShare) })}</Text>
              {c.discountId ? (
                <Link url={`${admin}/discounts/${c.discountId}`} target="_blank">
                  {t("campaigns.detail.discountInShopify")}
                </Link>
              ) : null}
              {c.segmentId ? (
                <Link url={`${admin}/customers/segments/${c.segmentId}`} target="_blank">
                  {t("campaigns.detail.segmentInShopify", { query: c.segmentQuery })}
                </Link>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** The campaign's members being added to its discount in the background: progress, reloading until done, or the failure with a way to resume. */
function ListingBanner({ listing, busy }: { listing: ListingProgress; busy: boolean }) {
  const { t, f } = useFormat();
  useRevalidateWhile(listing.status === "queued" || listing.status === "running");
  const values = { done: f.number(listing.done), total: f.number(listing.total) };
  if (listing.status === "failed") {
    return (
      <Banner tone="critical" title={t("campaigns.listing.failedTitle", values)}>
        <BlockStack gap="200">
          <p>{t("campaigns.listing.failed", { error: listing.error ?? "" })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="resume-listing" />
            <Button submit loading={busy}>
              {t("campaigns.listing.resume")}
            </Button>
          </Form>
        </BlockStack>
      </Banner>
    );
  }
  return (
    <Banner tone="info">
      <BlockStack gap="200">
        <p>{t("campaigns.listing.running", values)}</p>
        <ProgressBar progress={listing.total ? (listing.done / listing.total) * 100 : 0} size="small" />
        <p>{t("campaigns.listing.notYet")}</p>
      </BlockStack>
    </Banner>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useFormat();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <RouteErrorPage
      title={t("campaigns.detail.title")}
      backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }}
      heading={missing ? t("campaigns.detail.notFound") : t("campaigns.detail.loadError")}
      body={missing ? t("errors.campaignNotFoundBody") : undefined}
      showDetail={!missing}
    />
  );
}
