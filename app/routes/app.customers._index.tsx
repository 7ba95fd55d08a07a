import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useNavigation, useRevalidator, useRouteError, useSearchParams } from "@remix-run/react";
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
import { z } from "zod";
import { LIST_GROUPS, type ListGroup } from "../customers/groups";
import { latestBulkAction, startBulkVip, type BulkProgress } from "../customers/bulk.server";
import { InvalidCursorError, countCustomers, listCustomers, listFiltersSchema, parseListQuery } from "../customers/list.server";
import { customerListMessage } from "../customers/messages";
import { QueueUnavailableError } from "../queue/queues.server";
import { requireShopId } from "../customers/shop.server";
import { MAX_VIP_BATCH, setVip } from "../customers/vip.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { shopifyIdParam } from "../ids";
import { throttledAdmin } from "../shopify/admin-graphql.server";
import { authenticate } from "../shopify.server";
import { GROUP_LABELS, GroupBadge, formatDate, formatMoney, formatPercent } from "../customers/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseListQuery(new URL(request.url).searchParams);
  if (!parsed.success) throw new Response(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), { status: 400 });
  const shopId = await requireShopId(prisma, session.shop);
  try {
    const [page, total, bulk] = await Promise.all([listCustomers(prisma, shopId, parsed.data), countCustomers(prisma, shopId, parsed.data), latestBulkAction(prisma, shopId)]);
    return { page, total, bulk, query: parsed.data };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new Response(error.message, { status: 400 });
    throw error;
  }
};

const vipActionSchema = z.object({
  intent: z.enum(["vip-on", "vip-off"], { message: "Choose Make VIP or Remove VIP." }),
  ids: z
    .array(shopifyIdParam, { message: "Choose at least one customer." })
    .min(1, "Choose at least one customer.")
    .max(MAX_VIP_BATCH, `Choose at most ${MAX_VIP_BATCH} customers at a time.`),
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
    if (!filters.success) return { ok: false as const, error: filters.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
    const shopId = await requireShopId(prisma, session.shop);
    try {
      const bulk = await startBulkVip(prisma, shopId, filters.data, all.data.intent === "vip-on-all");
      return { ok: true as const, bulk };
    } catch (error) {
      if (error instanceof QueueUnavailableError) return { ok: false as const, error: `The bulk action could not be queued: ${error.message}` };
      throw error;
    }
  }
  const parsed = vipActionSchema.safeParse({ intent: form.get("intent"), ids: form.getAll("ids") });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = issue.path[0] === "ids" && issue.path.length > 1 ? "Customer ids must be numeric Shopify ids." : issue.message;
    return { ok: false as const, error };
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

const SORT_OPTIONS: IndexFiltersProps["sortOptions"] = [
  { label: "Value score", value: "value asc", directionLabel: "Lowest first" },
  { label: "Value score", value: "value desc", directionLabel: "Highest first" },
  { label: "Predicted CLV", value: "clv asc", directionLabel: "Lowest first" },
  { label: "Predicted CLV", value: "clv desc", directionLabel: "Highest first" },
  { label: "Margin", value: "margin asc", directionLabel: "Lowest first" },
  { label: "Margin", value: "margin desc", directionLabel: "Highest first" },
  { label: "Last order", value: "last_order asc", directionLabel: "Oldest first" },
  { label: "Last order", value: "last_order desc", directionLabel: "Newest first" },
];

const FILTER_KEYS = ["vip", "minOrders", "lastFrom", "lastTo"] as const;

export default function Customers() {
  const { page, query, total, bulk } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const bulkRunning = bulk !== null && (bulk.status === "queued" || bulk.status === "running");
  // Progress of a running bulk action: the list reloads until the job is done.
  useEffect(() => {
    if (!bulkRunning) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [bulkRunning, revalidator]);
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
    if (!data.ok) shopify.toast.show(data.error, { isError: true });
    else if ("bulk" in data && data.bulk) shopify.toast.show(customerListMessage("customers.bulk.started", { total: data.bulk.total }));
    else if (data.error) shopify.toast.show(`VIP saved in Patron; Shopify did not take the tag yet (${data.error}). It will be retried.`, { isError: true, duration: 8000 });
    else shopify.toast.show(`${data.vip ? "Made" : "Removed"} VIP: ${data.updated.length} customer(s)`);
    clearSelection();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- react to the fetcher settling only
  }, [fetcher.state, fetcher.data]);

  const tabs: TabProps[] = LIST_GROUPS.map((g) => ({
    id: `group-${g}`,
    content: g === "all" ? "All" : GROUP_LABELS[g],
    accessibilityLabel: `${g === "all" ? "All" : GROUP_LABELS[g]} customers`,
    onAction: () => update({ group: g }),
  }));

  const filters: IndexFiltersProps["filters"] = [
    {
      key: "vip",
      label: "VIP",
      filter: (
        <ChoiceList
          title="VIP"
          titleHidden
          choices={[{ label: "VIP only", value: "1" }]}
          selected={query.vip ? ["1"] : []}
          onChange={(v) => update({ vip: v.includes("1") ? "1" : null })}
          allowMultiple
        />
      ),
      shortcut: true,
    },
    {
      key: "minOrders",
      label: "Minimum orders",
      filter: (
        <TextField
          label="Minimum orders"
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
      label: "Last order between",
      filter: (
        <>
          <TextField label="Last order from" type="date" autoComplete="off" value={lastFrom} onChange={setLastFrom} onBlur={() => update({ lastFrom })} />
          <TextField label="Last order to" type="date" autoComplete="off" value={lastTo} onChange={setLastTo} onBlur={() => update({ lastTo })} />
        </>
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (query.vip) appliedFilters.push({ key: "vip", label: "VIP only", onRemove: () => update({ vip: null }) });
  if (query.minOrders !== undefined) {
    appliedFilters.push({ key: "minOrders", label: `At least ${query.minOrders} orders`, onRemove: () => (setMinOrders(""), update({ minOrders: null })) });
  }
  if (query.lastFrom || query.lastTo) {
    appliedFilters.push({
      key: "lastOrder",
      label: `Last order ${query.lastFrom ?? "…"} to ${query.lastTo ?? "…"}`,
      onRemove: () => (setLastFrom(""), setLastTo(""), update({ lastFrom: null, lastTo: null })),
    });
  }

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
  const morePages = Boolean(page.next || page.previous);
  const exportHref = useMemo(() => {
    const p = new URLSearchParams(params);
    for (const key of ["after", "before", "limit"]) p.delete(key);
    return `/app/customers/export?${p}`;
  }, [params]);

  // App Bridge adds the session token to same-origin fetches; a plain link would not carry it.
  const downloadCsv = async () => {
    const response = await fetch(exportHref);
    if (!response.ok) return shopify.toast.show("The export failed; try again.", { isError: true });
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "customers.csv";
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(await response.blob()), download: name });
    link.click();
    URL.revokeObjectURL(link.href);
    shopify.toast.show("Export downloaded");
  };

  const empty = (
    <EmptyState heading="No customers match" image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png">
      <p>Try another group, fewer filters or a shorter search. Customers appear here once their orders are synced and scored.</p>
    </EmptyState>
  );

  return (
    <Page fullWidth>
      <TitleBar title="Customers">
        <button onClick={downloadCsv}>Export CSV</button>
      </TitleBar>
      <Layout>
        {bulk ? (
          <Layout.Section>
            <BulkBanner bulk={bulk} />
          </Layout.Section>
        ) : null}
        {allResourcesSelected && morePages ? (
          <Layout.Section>
            <Banner tone="info">
              <BlockStack gap="200">
                <Text as="p">{customerListMessage("customers.bulk.pageSelected", { page: rows.length, total: total.toLocaleString() })}</Text>
                <InlineStack gap="200">
                  <Button onClick={() => submitVipAll("vip-on-all")} disabled={bulkRunning}>
                    {customerListMessage("customers.bulk.vipOnAll", { total: total.toLocaleString() })}
                  </Button>
                  <Button onClick={() => submitVipAll("vip-off-all")} disabled={bulkRunning}>
                    {customerListMessage("customers.bulk.vipOffAll", { total: total.toLocaleString() })}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {total === 1 ? customerListMessage("customers.totalOne") : customerListMessage("customers.total", { count: total.toLocaleString() })}
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
              queryPlaceholder="Search by name or email"
              onQueryChange={setSearch}
              onQueryClear={() => (setSearch(""), update({ q: null }))}
              sortOptions={SORT_OPTIONS}
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
              resourceName={{ singular: "customer", plural: "customers" }}
              itemCount={rows.length}
              selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
              onSelectionChange={handleSelectionChange}
              loading={loading || fetcher.state !== "idle"}
              emptyState={empty}
              promotedBulkActions={[
                { content: "Make VIP", onAction: () => submitVip("vip-on") },
                { content: "Remove VIP", onAction: () => submitVip("vip-off") },
                { content: "Add to a campaign", onAction: () => navigate(`/app/campaigns/new?customers=${selectedIds.join(",")}`) },
              ]}
              headings={[
                { title: "Customer" },
                { title: "Group" },
                { title: "Value score", alignment: "end" },
                { title: "Volume score", alignment: "end" },
                { title: "Predicted CLV", alignment: "end" },
                { title: "Margin", alignment: "end" },
                { title: "Discounted orders", alignment: "end" },
                { title: "Orders", alignment: "end" },
                { title: "Last order" },
                { title: "VIP" },
              ]}
              pagination={{
                hasNext: Boolean(page.next),
                hasPrevious: Boolean(page.previous),
                accessibilityLabels: { next: "Next page of customers", previous: "Previous page of customers" },
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
                const name = [r.firstName, r.lastName].filter(Boolean).join(" ") || "Unnamed customer";
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
                        {r.email ?? "No email"}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <GroupBadge group={r.group} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.valueScore.toFixed(1)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.volumeScore.toFixed(1)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatMoney(r.predictedClv)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatPercent(r.marginRate)}
                        {r.marginEstimated ? " (est.)" : ""}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatPercent(r.discountShare)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.orders}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{formatDate(r.lastOrderAt)}</IndexTable.Cell>
                    <IndexTable.Cell>{r.vip ? <Badge tone="magic">{r.vipSource === "auto" ? "VIP (auto)" : "VIP"}</Badge> : null}</IndexTable.Cell>
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
  const error = useRouteError();
  const message = error instanceof Error ? error.message : (error as { data?: string })?.data ?? "Something went wrong";
  return (
    <Page title="Customers">
      <Banner tone="critical" title="The customer list could not be shown">
        <p>{String(message)}</p>
      </Banner>
    </Page>
  );
}

function BulkBanner({ bulk }: { bulk: BulkProgress }) {
  if (bulk.status === "failed") return <Banner tone="critical">{customerListMessage("customers.bulk.failed", { error: bulk.error ?? "unknown error" })}</Banner>;
  if (bulk.status === "queued") return <Banner tone="info">{customerListMessage("customers.bulk.queued", { total: bulk.total.toLocaleString() })}</Banner>;
  if (bulk.status === "running") {
    const done = bulk.total > 0 ? Math.min(100, Math.round((bulk.done / bulk.total) * 100)) : 0;
    return (
      <Banner tone="info">
        <BlockStack gap="200">
          <Text as="p">{customerListMessage(bulk.kind === "vip_on" ? "customers.bulk.running.vip_on" : "customers.bulk.running.vip_off", { done: bulk.done.toLocaleString(), total: bulk.total.toLocaleString() })}</Text>
          <ProgressBar progress={done} size="small" />
        </BlockStack>
      </Banner>
    );
  }
  return (
    <Banner tone={bulk.error ? "warning" : "success"}>
      {customerListMessage(bulk.kind === "vip_on" ? "customers.bulk.done.vip_on" : "customers.bulk.done.vip_off", { done: bulk.done.toLocaleString() })}
      {bulk.error ? ` ${customerListMessage("customers.bulk.doneWithError", { error: bulk.error })}` : ""}
    </Banner>
  );
}
