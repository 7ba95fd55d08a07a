import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  Text,
  TextField,
  useIndexResourceState,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
  type TabProps,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { useRevalidateWhile } from "../components/useRevalidateWhile";
import { filtersToParams } from "../customers/filters";
import { LIST_GROUPS, type ListGroup } from "../customers/groups";
import { latestBulkAction, startBulkVip, type BulkProgress } from "../customers/bulk.server";
import { InvalidCursorError, countCustomers, listCustomers, listFiltersSchema, parseListQuery } from "../customers/list.server";
import { QueueUnavailableError } from "../queue/queues.server";
import { requireShop, requireShopId } from "../customers/shop.server";
import { MAX_VIP_BATCH, setVip } from "../customers/vip.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { msg } from "../i18n/message";
import { shopifyIdParam } from "../ids";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { authenticate } from "../shopify.server";
import { GroupBadge, useGroupLabel } from "../customers/format";
import { useFormat } from "../i18n/useFormat";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseListQuery(new URL(request.url).searchParams);
  if (!parsed.success) throw new Response(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), { status: 400 });
  const shop = await requireShop(prisma, session.shop);
  try {
    const [page, total, bulk] = await Promise.all([
      listCustomers(prisma, shop.id, parsed.data),
      countCustomers(prisma, shop.id, parsed.data),
      latestBulkAction(prisma, shop.id),
    ]);
    return { page, total, bulk, query: parsed.data, currency: shop.currency };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new Response(error.message, { status: 400 });
    throw error;
  }
};

// Messages are keys in app/locales: the page shows them in the merchant's language.
const vipActionSchema = z.object({
  intent: z.enum(["vip-on", "vip-off"], { message: "customers.vipErrors.intent" }),
  ids: z.array(shopifyIdParam, { message: "customers.vipErrors.none" }).min(1, "customers.vipErrors.none").max(MAX_VIP_BATCH, "customers.vipErrors.tooMany"),
});

const FILTER_FIELDS = ["group", "sort", "dir", "vip", "minOrders", "lastFrom", "lastTo", "q"] as const;
const bulkAllSchema = z.object({ intent: z.enum(["vip-on-all", "vip-off-all"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await formDataLimited(request);
  const all = bulkAllSchema.safeParse({ intent: form.get("intent") });
  if (all.success) {
    // Every customer matching the filter, across pages: a background job, given the filter's fields only.
    const filters = listFiltersSchema.safeParse(Object.fromEntries(FILTER_FIELDS.flatMap((k) => (typeof form.get(k) === "string" ? [[k, form.get(k)]] : []))));
    if (!filters.success) return { ok: false as const, error: msg("customers.bulkAll.badFilter", { error: filters.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }) };
    const shopId = await requireShopId(prisma, session.shop);
    try {
      const bulk = await startBulkVip(prisma, shopId, filters.data, all.data.intent === "vip-on-all");
      return { ok: true as const, bulk };
    } catch (error) {
      if (error instanceof QueueUnavailableError) return { ok: false as const, error: msg("customers.bulkAll.notQueued", { error: error.message }) };
      throw error;
    }
  }
  const parsed = vipActionSchema.safeParse({ intent: form.get("intent"), ids: form.getAll("ids") });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path[0] === "ids" && issue.path.length > 1 ? "customers.vipErrors.badId" : issue.message;
    return { ok: false as const, error: msg(key, { max: MAX_VIP_BATCH }) };
  }
  const shopId = await requireShopId(prisma, session.shop);
  const outcome = await setVip(
    prisma,
    throttledAdmin(admin.graphql, { shop: session.shop }),
    shopId,
    parsed.data.ids.map(BigInt),
    parsed.data.intent === "vip-on",
  );
  return { ok: true as const, ...outcome };
};

const SORTS = [
  ["value", "valueScore", "lowest", "highest"],
  ["clv", "predictedClv", "lowest", "highest"],
  ["margin", "margin", "lowest", "highest"],
  ["last_order", "lastOrder", "oldest", "newest"],
] as const;

const FILTER_KEYS = ["vip", "minOrders", "lastFrom", "lastTo"] as const;

export default function Customers() {
  const { page, query, total, bulk, currency } = useLoaderData<typeof loader>();
  const bulkRunning = bulk !== null && (bulk.status === "queued" || bulk.status === "running");
  // Progress of a running bulk action: the list reloads until the job is done.
  useRevalidateWhile(bulkRunning);
  const { t, f, m } = useFormat();
  const groupLabel = useGroupLabel();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const { mode, setMode } = useSetIndexFiltersMode();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [minOrders, setMinOrders] = useState(params.get("minOrders") ?? "");
  const [lastFrom, setLastFrom] = useState(params.get("lastFrom") ?? "");
  const [lastTo, setLastTo] = useState(params.get("lastTo") ?? "");

  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/customers";
  const rows = page.rows;
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);

  // Any change of list starts again at its first page.
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    next.delete("after");
    next.delete("before");
    clearSelection();
    setParams(next);
  };

  useEffect(() => {
    const timer = setTimeout(() => {
      if ((params.get("q") ?? "") !== search) update({ q: search });
    }, 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the typed search restarts the wait
  }, [search]);

  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !data) return;
    if (!data.ok) shopify.toast.show(m(data.error), { isError: true });
    else if ("bulk" in data && data.bulk) shopify.toast.show(t("customers.bulkAll.started", { total: f.number(data.bulk.total) }));
    else if (data.error) shopify.toast.show(t("customers.toast.vipNotTagged", { error: data.error }), { isError: true, duration: 8000 });
    else shopify.toast.show(t(data.vip ? "customers.toast.madeVip" : "customers.toast.removedVip", { count: data.updated.length }));
    clearSelection();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- react to the fetcher settling only
  }, [fetcher.state, fetcher.data]);

  const sortOptions: IndexFiltersProps["sortOptions"] = SORTS.flatMap(([value, label, asc, desc]) => [
    { label: t(`customers.sort.${label}`), value: `${value} asc`, directionLabel: t(`customers.sort.${asc}`) },
    { label: t(`customers.sort.${label}`), value: `${value} desc`, directionLabel: t(`customers.sort.${desc}`) },
  ]);

  const tabs: TabProps[] = LIST_GROUPS.map((g) => ({
    id: `group-${g}`,
    content: g === "all" ? t("customers.tabs.all") : groupLabel(g),
    accessibilityLabel: t("customers.tabs.label", { group: g === "all" ? t("customers.tabs.all") : groupLabel(g) }),
    onAction: () => update({ group: g }),
  }));

  const filters: IndexFiltersProps["filters"] = [
    {
      key: "vip",
      label: t("customers.filters.vip"),
      filter: (
        <ChoiceList
          title={t("customers.filters.vip")}
          titleHidden
          choices={[{ label: t("customers.filters.vipOnly"), value: "1" }]}
          selected={query.vip ? ["1"] : []}
          onChange={(v) => update({ vip: v.includes("1") ? "1" : null })}
          allowMultiple
        />
      ),
      shortcut: true,
    },
    {
      key: "minOrders",
      label: t("customers.filters.minOrders"),
      filter: (
        <TextField
          label={t("customers.filters.minOrders")}
          labelHidden
          type="number"
          min={0}
          autoComplete="off"
          value={minOrders}
          onChange={setMinOrders}
          onBlur={() => update({ minOrders })}
        />
      ),
    },
    {
      key: "lastOrder",
      label: t("customers.filters.lastOrderBetween"),
      filter: (
        <>
          <TextField label={t("customers.filters.lastOrderFrom")} type="date" autoComplete="off" value={lastFrom} onChange={setLastFrom} onBlur={() => update({ lastFrom })} />
          <TextField label={t("customers.filters.lastOrderTo")} type="date" autoComplete="off" value={lastTo} onChange={setLastTo} onBlur={() => update({ lastTo })} />
        </>
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (query.vip) appliedFilters.push({ key: "vip", label: t("customers.filters.vipOnly"), onRemove: () => update({ vip: null }) });
  if (query.minOrders !== undefined) {
    appliedFilters.push({ key: "minOrders", label: t("customers.filters.atLeast", { count: query.minOrders }), onRemove: () => (setMinOrders(""), update({ minOrders: null })) });
  }
  if (query.lastFrom || query.lastTo) {
    appliedFilters.push({
      key: "lastOrder",
      label: t("customers.filters.lastOrderRange", { from: query.lastFrom ? f.date(query.lastFrom) : "…", to: query.lastTo ? f.date(query.lastTo) : "…" }),
      onRemove: () => (setLastFrom(""), setLastTo(""), update({ lastFrom: null, lastTo: null })),
    });
  }

  // The header checkbox selects the page (Polaris's "all" needs hasMoreItems, which the list does not pass): a whole page selected offers every page.
  const pageSelected = allResourcesSelected || (rows.length > 0 && rows.every((r) => selectedResources.includes(r.id)));
  const selectedIds = useMemo(() => (allResourcesSelected ? rows.map((r) => r.id) : selectedResources), [allResourcesSelected, rows, selectedResources]);
  const submitVip = (intent: "vip-on" | "vip-off") => fetcher.submit({ intent, ids: selectedIds }, { method: "post" });
  const submitVipAll = (intent: "vip-on-all" | "vip-off-all") => {
    const fields: Record<string, string> = { intent };
    for (const key of FILTER_FIELDS) {
      const value = params.get(key);
      if (value !== null) fields[key] = value;
    }
    fetcher.submit(fields, { method: "post" });
  };
  // The list's filter becomes the campaign's audience: the form shows its size and guardrails.
  const campaignForAll = () => navigate(`/app/campaigns/new?${new URLSearchParams({ filter: new URLSearchParams(filtersToParams(query)).toString() })}`);
  const morePages = Boolean(page.next || page.previous);
  const exportHref = useMemo(() => {
    const p = new URLSearchParams(params);
    for (const key of ["after", "before", "limit"]) p.delete(key);
    // The export's headers are in the page's language: the request says which.
    p.set("locale", f.locale);
    return `/app/customers/export?${p}`;
  }, [params, f.locale]);

  // App Bridge adds the session token to same-origin fetches; a plain link would not carry it.
  const downloadCsv = async () => {
    const response = await fetch(exportHref);
    if (!response.ok) return shopify.toast.show(t("customers.export.failed"), { isError: true });
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "customers.csv";
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(await response.blob()), download: name });
    link.click();
    URL.revokeObjectURL(link.href);
    shopify.toast.show(t("customers.export.done"));
  };

  const empty = (
    <EmptyState heading={t("customers.empty.heading")} image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png">
      <p>{t("customers.empty.body")}</p>
    </EmptyState>
  );

  return (
    <Page fullWidth>
      <TitleBar title={t("nav.customers")}>
        <button onClick={downloadCsv}>{t("customers.export.button")}</button>
      </TitleBar>
      <Layout>
        {bulk ? (
          <Layout.Section>
            <BulkBanner bulk={bulk} />
          </Layout.Section>
        ) : null}
        {pageSelected && morePages ? (
          <Layout.Section>
            <Banner tone="info">
              <BlockStack gap="200">
                <Text as="p">{t("customers.bulkAll.pageSelected", { page: f.number(rows.length), total: f.number(total) })}</Text>
                <InlineStack gap="200">
                  <Button onClick={() => submitVipAll("vip-on-all")} disabled={bulkRunning}>
                    {t("customers.bulkAll.vipOnAll", { total: f.number(total) })}
                  </Button>
                  <Button onClick={() => submitVipAll("vip-off-all")} disabled={bulkRunning}>
                    {t("customers.bulkAll.vipOffAll", { total: f.number(total) })}
                  </Button>
                  <Button onClick={campaignForAll}>{t("customers.bulkAll.campaignAll", { total: f.number(total) })}</Button>
                </InlineStack>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("customers.bulkAll.total", { count: total })}
          </Text>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <IndexFilters
              tabs={tabs}
              selected={Math.max(0, LIST_GROUPS.indexOf(query.group as ListGroup))}
              onSelect={() => {}}
              canCreateNewView={false}
              queryValue={search}
              queryPlaceholder={t("customers.search")}
              onQueryChange={setSearch}
              onQueryClear={() => (setSearch(""), update({ q: null }))}
              sortOptions={sortOptions}
              sortSelected={[`${query.sort} ${query.dir}`]}
              onSort={([value]) => {
                const [sort, dir] = value.split(" ");
                update({ sort, dir });
              }}
              filters={filters}
              appliedFilters={appliedFilters}
              onClearAll={() => {
                setMinOrders("");
                setLastFrom("");
                setLastTo("");
                update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])));
              }}
              mode={mode}
              setMode={setMode}
              loading={loading}
            />
            <IndexTable
              resourceName={{ singular: t("customers.resource.singular"), plural: t("customers.resource.plural") }}
              itemCount={rows.length}
              selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
              onSelectionChange={handleSelectionChange}
              loading={loading || fetcher.state !== "idle"}
              emptyState={empty}
              promotedBulkActions={[
                { content: t("customers.bulk.makeVip"), onAction: () => submitVip("vip-on") },
                { content: t("customers.bulk.removeVip"), onAction: () => submitVip("vip-off") },
                { content: t("customers.bulk.addToCampaign"), onAction: () => navigate(`/app/campaigns/new?customers=${selectedIds.join(",")}`) },
              ]}
              headings={[
                { title: t("customers.columns.customer") },
                { title: t("customers.columns.group") },
                { title: t("customers.columns.valueScore"), alignment: "end" },
                { title: t("customers.columns.volumeScore"), alignment: "end" },
                { title: t("customers.columns.predictedClv"), alignment: "end" },
                { title: t("customers.columns.margin"), alignment: "end" },
                { title: t("customers.columns.discountedOrders"), alignment: "end" },
                { title: t("customers.columns.orders"), alignment: "end" },
                { title: t("customers.columns.lastOrder") },
                { title: t("customers.columns.vip") },
              ]}
              pagination={{
                hasNext: Boolean(page.next),
                hasPrevious: Boolean(page.previous),
                accessibilityLabels: { next: t("customers.pagination.next"), previous: t("customers.pagination.previous") },
                onNext: () => {
                  const p = new URLSearchParams(params);
                  p.delete("before");
                  p.set("after", page.next!);
                  clearSelection();
                  setParams(p);
                },
                onPrevious: () => {
                  const p = new URLSearchParams(params);
                  p.delete("after");
                  p.set("before", page.previous!);
                  clearSelection();
                  setParams(p);
                },
              }}
            >
              {rows.map((r, index) => {
                const name = [r.firstName, r.lastName].filter(Boolean).join(" ") || t("common.unnamedCustomer");
                return (
                  <IndexTable.Row id={r.id} key={r.id} position={index} selected={selectedResources.includes(r.id)}>
                    <IndexTable.Cell>
                      {/* The row's primary link: a click anywhere on the row follows it, and keyboards and screen readers reach it. */}
                      <Link dataPrimaryLink url={`/app/customers/${r.id}`} monochrome removeUnderline>
                        <Text as="span" variant="bodyMd" fontWeight="semibold">
                          {name}
                        </Text>
                      </Link>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {r.email ?? t("customers.noEmail")}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <GroupBadge group={r.group} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {f.number(r.valueScore, 1)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {f.number(r.volumeScore, 1)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {f.money(r.predictedClv, currency)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.marginEstimated ? t("customers.estimated", { value: f.percent(r.marginRate) }) : f.percent(r.marginRate)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {f.percent(r.discountShare)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {f.number(r.orders)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{f.date(r.lastOrderAt)}</IndexTable.Cell>
                    <IndexTable.Cell>{r.vip ? <Badge tone="magic">{r.vipSource === "auto" ? t("customers.vipAuto") : t("customer.vip")}</Badge> : null}</IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <RouteErrorPage title={t("nav.customers")} heading={t("customers.error")} />;
}

function BulkBanner({ bulk }: { bulk: BulkProgress }) {
  const { t, f } = useFormat();
  if (bulk.status === "failed") return <Banner tone="critical">{t("customers.bulkAll.failed", { error: bulk.error ?? t("customers.bulkAll.unknownError") })}</Banner>;
  if (bulk.status === "queued") return <Banner tone="info">{t("customers.bulkAll.queued", { total: f.number(bulk.total) })}</Banner>;
  if (bulk.status === "running") {
    const done = bulk.total > 0 ? Math.min(100, Math.round((bulk.done / bulk.total) * 100)) : 0;
    return (
      <Banner tone="info">
        <BlockStack gap="200">
          <Text as="p">{t(`customers.bulkAll.running.${bulk.kind}`, { done: f.number(bulk.done), total: f.number(bulk.total) })}</Text>
          <ProgressBar progress={done} size="small" />
        </BlockStack>
      </Banner>
    );
  }
  return (
    <Banner tone={bulk.error ? "warning" : "success"}>
      {t(`customers.bulkAll.done.${bulk.kind}`, { done: f.number(bulk.done) })}
      {bulk.error ? ` ${t("customers.bulkAll.doneWithError", { error: bulk.error })}` : ""}
    </Banner>
  );
}
