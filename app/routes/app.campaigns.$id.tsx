import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, Layout, Link, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { z } from "zod";
import { formatAmount, formatShare } from "../campaigns/format";
import { getCampaign } from "../campaigns/results.server";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { StatCard } from "../components/StatCard";

const paramsSchema = z.object({ id: z.string().uuid() });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("No such campaign", { status: 404 });
  const detail = await getCampaign(prisma, session.shop, parsed.data.id);
  if (!detail) throw new Response("No such campaign", { status: 404 });
  return { ...detail, shop: session.shop };
};

export default function CampaignPage() {
  const { campaign: c, results, currency, shop } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const shopify = useAppBridge();
  useEffect(() => {
    if (params.get("created")) shopify.toast.show("Campaign created");
  }, [params, shopify]);

  const money = (n: number | null) => (n === null ? "–" : formatAmount(n, currency));
  const admin = `https://${shop}/admin`;
  const u = results.uplift;
  const r = results.redemption;

  return (
    <Page title={c.title} subtitle={c.code} backAction={{ content: "Campaigns", url: "/app/campaigns" }} titleMetadata={<Badge>{c.state}</Badge>}>
      <TitleBar title={c.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, sm: 4 }} gap="400">
              <StatCard headingAs="h3" label="Redemptions" value={r.redemptions.toLocaleString()} />
              <StatCard headingAs="h3" label="Revenue" value={money(r.revenue)} />
              <StatCard headingAs="h3" label="Discounts given" value={money(r.discounts)} />
              <StatCard headingAs="h3" label="Margin" value={money(r.margin)} />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Uplift against the control group
                </Text>
                {u.state !== "measured" ? (
                  <Banner tone="info">{u.note}</Banner>
                ) : (
                  <BlockStack gap="100">
                    <Text as="p">
                      Conversion {formatShare(u.treatment.conversion, 1)} with the code vs {formatShare(u.control.conversion, 1)} held out: {u.conversionUplift! >= 0 ? "+" : ""}
                      {u.conversionUplift} points{u.significant ? "" : " (not statistically significant yet)"}.
                    </Text>
                    <Text as="p">
                      Revenue per customer {money(u.treatment.revenuePerCustomer)} vs {money(u.control.revenuePerCustomer)}: about {money(u.incrementalRevenue)} of revenue the campaign added.
                    </Text>
                  </BlockStack>
                )}
                <Text as="p" tone="subdued" variant="bodySm">
                  {u.treatment.customers.toLocaleString()} customers got the code, {u.control.customers.toLocaleString()} were held out; orders counted from {new Date(c.startsAt).toLocaleDateString()}
                  {c.endsAt ? ` to ${new Date(c.endsAt).toLocaleDateString()}` : ""}.
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Details
              </Text>
              <Text as="p">Audience: {c.audience}</Text>
              <Text as="p">Discount: {c.discount}</Text>
              <Text as="p">
                {new Date(c.startsAt).toLocaleDateString()} – {c.endsAt ? new Date(c.endsAt).toLocaleDateString() : "no end"}
              </Text>
              <Text as="p">Usage limit: {c.usageLimit ?? "none"}{c.oncePerCustomer ? ", once per customer" : ""}</Text>
              <Text as="p">Combines with: {c.combinesWith.length ? c.combinesWith.join(", ") : "nothing"}</Text>
              <Text as="p">Control group: {formatShare(c.controlShare)}</Text>
              {c.discountId ? (
                <Link url={`${admin}/discounts/${c.discountId}`} target="_blank">
                  Discount in Shopify
                </Link>
              ) : null}
              {c.segmentId ? (
                <Link url={`${admin}/customers/segments/${c.segmentId}`} target="_blank">
                  Segment in Shopify ({c.segmentQuery})
                </Link>
              ) : null}
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
  return (
    <Page title="Campaign" backAction={{ content: "Campaigns", url: "/app/campaigns" }}>
      <Banner tone="critical" title={missing ? "No such campaign in this shop" : "The campaign could not be loaded"} />
    </Page>
  );
}
