import { parse } from "csv-parse/sync";
import { throttledAdmin } from "../../app/shopify/admin-graphql.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness, type Loose } from "./fixtures/harness";
import { generateStore, summarize, type CustomerTruth } from "./generator";
import { ordersExportCsv, productsExportCsv, ORDERS_EXPORT_COLUMNS } from "./exports";
import { orderAsOf, storeHistory } from "./history";
import { ShopStore } from "./store/shop-store";
import type { FakeStoreData } from "./store/model";
import { localDate } from "./util/timezone";
import { stringifyRaw } from "./util/raw-json";
import { orderPayload } from "./webhook-payloads";

// Each view of one shaped store is read here by a reader of its own, written only against
// the view's fields, and must carry exactly the generator's per-customer ground truth.

const SHOP = "shapes-store.myshopify.com";
const store: FakeStoreData = generateStore({ seed: 11, shopDomain: SHOP, customers: 350, shapes: true });
const zone = store.shop.ianaTimezone ?? "UTC";
const truth: CustomerTruth[] = summarize(store, { perCustomer: true }).customerTruth ?? [];
let history: ReturnType<typeof storeHistory> | undefined;
// Built once: every order payload embeds its customer, so the whole history takes a few seconds.
const replayed = (): ReturnType<typeof storeHistory> => (history ??= storeHistory(new ShopStore(store), "2026-07"));

const cents = (amount: string | number | null | undefined): number => {
  if (amount === null || amount === undefined || amount === "") return 0;
  const [whole, fraction = ""] = String(amount).split(".");
  const sign = whole.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2)));
};

interface LineView {
  quantity: number; // after edits, before refunds
  unitCents: number;
  allocatedCents: number;
  taxCents: number; // included tax on `quantity` units (0 when tax is added on top)
  compareAtCents: number | null;
  costCents: number | null;
  giftCard: boolean;
}

interface OrderView {
  key: string | null;
  test: boolean;
  cancelled: boolean;
  day: string;
  code: boolean;
  lines: LineView[];
  productRefundCents: number;
}

interface Figures {
  orders: number;
  purchaseDays: string[];
  revenueCents: number;
  productRefundCents: number;
  costCents: number;
  knownCostRevenueCents: number;
  discountedOrders: number;
  listValueCents: number;
  reductionCents: number;
}

function fold(orders: readonly OrderView[]): Map<string, Figures> {
  const out = new Map<string, Figures & { days: Set<string> }>();
  for (const o of orders) {
    if (o.key === null || o.test || o.cancelled) continue;
    let f = out.get(o.key);
    if (!f) {
      f = { orders: 0, purchaseDays: [], days: new Set(), revenueCents: 0, productRefundCents: 0, costCents: 0, knownCostRevenueCents: 0, discountedOrders: 0, listValueCents: 0, reductionCents: 0 };
      out.set(o.key, f);
    }
    f.orders += 1;
    f.days.add(o.day);
    let allocated = 0;
    let markdown = false;
    for (const l of o.lines) {
      if (l.giftCard) continue;
      const revenue = l.quantity * l.unitCents - l.allocatedCents - l.taxCents;
      f.revenueCents += revenue;
      allocated += l.allocatedCents;
      const compareAt = l.compareAtCents ?? 0;
      if (l.unitCents > 0 && compareAt > l.unitCents) {
        markdown = markdown || l.quantity > 0;
        f.listValueCents += l.quantity * compareAt;
        f.reductionCents += l.quantity * (compareAt - l.unitCents);
      } else f.listValueCents += l.quantity * l.unitCents;
      f.reductionCents += l.allocatedCents;
      if (l.costCents !== null) {
        f.costCents += l.quantity * l.costCents;
        f.knownCostRevenueCents += revenue;
      }
    }
    f.productRefundCents += o.productRefundCents;
    if (o.code || allocated > 0 || markdown) f.discountedOrders += 1;
  }
  return new Map([...out].map(([k, { days, ...f }]) => [k, { ...f, purchaseDays: [...days].sort() }]));
}

const truthFigures = (t: CustomerTruth): Figures => ({
  orders: t.orders,
  purchaseDays: t.purchaseDays,
  revenueCents: t.revenueCents,
  productRefundCents: t.productRefundCents,
  costCents: t.costCents,
  knownCostRevenueCents: t.knownCostRevenueCents,
  discountedOrders: t.discountedOrders,
  listValueCents: t.listValueCents,
  reductionCents: t.reductionCents,
});

/** Every customer with a scored order, by `keyOf`, must read exactly as the ground truth. */
function expectTruth(read: Map<string, Figures>, keyOf: (t: CustomerTruth) => string | null): void {
  const buyers = truth.filter((t) => t.orders > 0);
  expect(buyers.length).toBeGreaterThan(300);
  for (const t of buyers) {
    const key = keyOf(t);
    expect(key, `customer ${t.customerId} has no key`).not.toBeNull();
    expect({ customer: t.customerId, ...read.get(key ?? "") }).toEqual({ customer: t.customerId, ...truthFigures(t) });
  }
}

// The edited quantity is what Shopify's currentQuantity gives back once refunded units are added back.
function refundedByLine(refunds: Loose[], lineId: (r: Loose) => string, quantity: (r: Loose) => number, items: (refund: Loose) => Loose[]): Map<string, number> {
  const byLine = new Map<string, number>();
  for (const refund of refunds) for (const r of items(refund)) byLine.set(lineId(r), (byLine.get(lineId(r)) ?? 0) + quantity(r));
  return byLine;
}

/** A REST order payload (webhooks). REST line items carry neither compare-at price nor cost: `enrich` stands for the variant lookup. */
function restOrderView(o: Loose, enrich: (lineGid: string) => { compareAtCents: number | null; costCents: number | null }): OrderView {
  const included = o.taxes_included === true;
  // Numeric ids above 2^53 do not survive JSON.parse; the gid strings do.
  const refunded = refundedByLine(o.refunds as Loose[], (r) => String(r.line_item.admin_graphql_api_id), (r) => Number(r.quantity), (r) => r.refund_line_items as Loose[]);
  const giftCardLines = new Set((o.line_items as Loose[]).filter((l) => l.gift_card).map((l) => String(l.admin_graphql_api_id)));
  let productRefundCents = 0;
  for (const refund of o.refunds as Loose[]) {
    if ((refund.transactions as Loose[]).length === 0) continue;
    for (const r of refund.refund_line_items as Loose[]) {
      if (giftCardLines.has(String(r.line_item.admin_graphql_api_id))) continue;
      productRefundCents += cents(r.subtotal_set.shop_money.amount) - (included ? cents(r.total_tax_set.shop_money.amount) : 0);
    }
  }
  return {
    key: o.customer ? String(o.customer.admin_graphql_api_id).split("/").pop()! : null,
    test: o.test === true,
    cancelled: o.cancelled_at !== null,
    day: String(o.created_at).slice(0, 10),
    code: (o.discount_codes as Loose[]).length > 0,
    productRefundCents,
    lines: (o.line_items as Loose[]).map((l) => {
      const quantity = Number(l.current_quantity) + (refunded.get(String(l.admin_graphql_api_id)) ?? 0);
      const tax = (l.tax_lines as Loose[]).reduce((s, t) => s + cents(t.price_set.shop_money.amount), 0);
      return {
        quantity,
        unitCents: cents(l.price_set.shop_money.amount),
        allocatedCents: (l.discount_allocations as Loose[]).reduce((s, a) => s + cents(a.amount_set.shop_money.amount), 0),
        taxCents: included && Number(l.quantity) > 0 ? Math.trunc((tax * quantity) / Number(l.quantity)) : 0,
        giftCard: l.gift_card === true,
        ...enrich(String(l.admin_graphql_api_id)),
      };
    }),
  };
}

const asOrdered = new Map(
  store.orders.flatMap((o) =>
    o.lineItems.map((l) => [`gid://shopify/LineItem/${l.id}`, { compareAtCents: l.compareAtPrice === null ? null : cents(l.compareAtPrice), costCents: l.unitCost === null ? null : cents(l.unitCost) }] as const),
  ),
);
const enrich = (lineGid: string) => asOrdered.get(lineGid as `gid://shopify/LineItem/${string}`) ?? { compareAtCents: null, costCents: null };

describe("a store with real stores' shapes", () => {
  it("mixes in every shape", () => {
    const o = store.orders;
    const some = (label: string, test: (x: (typeof o)[number]) => boolean): void => expect(o.filter(test).length, label).toBeGreaterThan(0);
    expect(store.shop).toMatchObject({ ianaTimezone: "America/Mexico_City", taxesIncluded: true });
    some("tax-inclusive orders", (x) => x.taxesIncluded === true);
    some("tax-exclusive orders", (x) => !x.taxesIncluded && x.totalTax !== "0.00");
    some("presentment currency", (x) => x.presentmentCurrency !== undefined && x.presentmentCurrency !== x.currency);
    some("gift card bought alongside goods", (x) => x.lineItems.some((l) => l.giftCard) && x.lineItems.some((l) => !l.giftCard));
    some("gift card alone", (x) => x.lineItems.length > 0 && x.lineItems.every((l) => l.giftCard));
    some("paid with a gift card", (x) => (x.paymentGatewayNames ?? []).includes("gift_card"));
    some("test order by a customer", (x) => x.test === true && x.customerId !== null && (x.paymentGatewayNames ?? [])[0] === "bogus");
    some("test order as a guest", (x) => x.test === true && x.customerId === null);
    some("edited order", (x) => x.editedAt != null && x.lineItems.some((l) => l.removedQuantity === l.quantity) && x.lineItems.some((l) => l.addedAt === x.editedAt));
    some("refund with shipping and tax", (x) => x.refunds.some((r) => r.shipping && r.shipping.amount !== "0.00" && r.refundLineItems.some((l) => (l.totalTax ?? "0.00") !== "0.00")));
    some("restock-only refund", (x) => x.refunds.some((r) => r.transactions?.length === 0 && r.refundLineItems.length > 0));
    some("guest checkout", (x) => x.customerId === null && !x.test);
    some("phone-only customer", (x) => x.customerId !== null && x.email === null && typeof x.phone === "string");
    some("evening order on the next UTC day", (x) => localDate(x.createdAt, zone) !== x.createdAt.slice(0, 10));
    some("free gift at 0.00 with a compare-at price", (x) => x.lineItems.some((l) => l.originalUnitPrice === "0.00" && l.compareAtPrice !== null && l.unitCost !== null));
    expect(truth.some((t) => t.orders > t.purchaseDays.length), "a same-day top-up").toBe(true);
    expect(truth.some((t) => t.testOrders > 0 && t.orders > 0), "a customer with test and real orders").toBe(true);
  });

  it("keeps shop money consistent and converts presentment money at the order's rate", () => {
    const s = new ShopStore(store);
    const order = store.orders.find((x) => x.presentmentCurrency && x.presentmentCurrency !== x.currency && x.lineItems.length > 0)!;
    const body = JSON.parse(stringifyRaw(orderPayload(s, order))) as Loose;
    const rate = Number(order.presentmentRate);
    expect(body.presentment_currency).toBe(order.presentmentCurrency);
    expect(body.total_price_set.shop_money).toEqual({ amount: body.total_price, currency_code: store.shop.currency });
    expect(cents(body.total_price_set.presentment_money.amount)).toBe(Math.round(cents(body.total_price) * rate));
    expect(body.total_price_set.presentment_money.currency_code).toBe(order.presentmentCurrency);
  });

  it("gives the ground truth through the REST payloads of its replayed webhook history", () => {
    const latest = new Map<string, Loose>();
    const edited = new Set<string>();
    for (const e of replayed()) {
      const body = JSON.parse(stringifyRaw(e.payload)) as Loose;
      if (e.topic === "orders/edited") edited.add(String(body.order_edit.order_id));
      if (!e.topic.startsWith("orders/") || e.topic === "orders/edited") continue;
      // Newest wins, as the app's upserts do; history events come oldest first.
      latest.set(String(body.admin_graphql_api_id), body);
    }
    expect(latest.size).toBe(store.orders.length);
    expect(edited.size).toBe(store.orders.filter((o) => o.editedAt).length);
    expectTruth(fold([...latest.values()].map((o) => restOrderView(o, enrich))), (t) => t.customerId);
  });

  it("sends an edited order as Shopify does: the removed line at full quantity on orders/create, current_quantity 0 on the orders/updated after orders/edited", () => {
    const order = store.orders.find((o) => o.editedAt)!;
    const removed = order.lineItems.find((l) => l.removedQuantity)!;
    const events = replayed().filter((e) => e.topic.startsWith("orders/") && stringifyRaw(e.payload).includes(order.id));
    const topics = events.map((e) => e.topic);
    expect(topics.slice(0, 1)).toEqual(["orders/create"]);
    const editAt = topics.indexOf("orders/edited");
    expect(editAt).toBeGreaterThan(0);
    expect(topics[editAt + 1]).toBe("orders/updated");
    const lineOf = (e: (typeof events)[number]) =>
      (JSON.parse(stringifyRaw(e.payload)) as Loose).line_items.find((l: Loose) => l.admin_graphql_api_id === `gid://shopify/LineItem/${removed.id}`);
    expect(lineOf(events[0])).toMatchObject({ quantity: removed.quantity, current_quantity: removed.quantity });
    expect(lineOf(events[editAt + 1])).toMatchObject({ quantity: removed.quantity, current_quantity: 0 });
    expect((JSON.parse(stringifyRaw(events[editAt].payload)) as Loose).order_edit.line_items.removals).toEqual([{ id: Number(removed.id), delta: removed.quantity }]);
    expect(orderAsOf(order, order.createdAt).lineItems.some((l) => l.addedAt)).toBe(false);
  });

  it("gives the ground truth through Shopify admin's orders and products exports", () => {
    const products = parse(productsExportCsv(store), { columns: true }) as Record<string, string>[];
    const bySku = new Map(products.map((p) => [p["Variant SKU"], p]));
    const rows = parse(ordersExportCsv(store), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([...ORDERS_EXPORT_COLUMNS]);
    expect(rows[0]["Created at"]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} -0600$/);
    const byName = new Map<string, Record<string, string>[]>();
    for (const r of rows) byName.set(r.Name, [...(byName.get(r.Name) ?? []), r]);
    const views: OrderView[] = [...byName.values()].map(([first, ...rest]) => {
      const rate = Number(/(\d+(?:\.\d+)?)%$/.exec(first["Tax 1 Name"])?.[1] ?? "0") / 100;
      const taxes = cents(first.Taxes);
      const included = taxes > 0 && cents(first.Total) === cents(first.Subtotal) + cents(first.Shipping);
      const lines: LineView[] = [first, ...rest].map((r) => {
        const product = bySku.get(r["Lineitem sku"]);
        const quantity = Number(r["Lineitem quantity"]);
        const unit = cents(r["Lineitem price"]);
        const allocated = cents(r["Lineitem discount"]);
        const giftCard = product?.["Gift Card"] === "true";
        return {
          quantity,
          unitCents: unit,
          allocatedCents: allocated,
          taxCents: included && !giftCard ? Math.round(((quantity * unit - allocated) * rate) / (1 + rate)) : 0,
          compareAtCents: r["Lineitem compare at price"] === "" ? null : cents(r["Lineitem compare at price"]),
          costCents: product && product["Cost per item"] !== "" ? cents(product["Cost per item"]) : null,
          giftCard,
        };
      });
      const refunded = cents(first["Refunded Amount"]);
      const productRevenue = lines.filter((l) => !l.giftCard).reduce((s, l) => s + l.quantity * l.unitCents - l.allocatedCents - l.taxCents, 0);
      // The export has one refund figure, money returned: everything for a whole refund, else goods and their tax.
      const productRefundCents =
        refunded === 0 ? 0 : refunded >= cents(first.Total) ? productRevenue : included ? refunded - Math.round((refunded * rate) / (1 + rate)) : Math.round(refunded / (1 + rate));
      return {
        key: first.Email || first.Phone || null,
        test: first["Payment Method"] === "bogus",
        cancelled: first["Cancelled at"] !== "",
        day: first["Created at"].slice(0, 10),
        code: first["Discount Code"] !== "",
        lines,
        productRefundCents,
      };
    });
    expectTruth(fold(views), (t) => t.email ?? t.phone);
  });

  describe("through Admin GraphQL", () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ bulkStartDelayMs: 0 });
      h.fake.control.addShop(store);
    });
    afterAll(async () => {
      await h.fake.close();
    });

    it("answers paged queries with the same shapes", async () => {
      const opts = { shop: SHOP, token: h.fake.control.issueToken(SHOP).accessToken };
      const tests = (await h.gql(`{ orders(first: 100, query: "test:true") { nodes { id test paymentGatewayNames } } }`, {}, opts)).body.data?.orders.nodes;
      expect(tests.map((o: Loose) => o.id)).toEqual(store.orders.filter((o) => o.test).map((o) => `gid://shopify/Order/${o.id}`));
      expect(tests.every((o: Loose) => o.test && o.paymentGatewayNames[0] === "bogus")).toBe(true);
      const restocked = store.orders.find((o) => o.refunds.some((r) => r.transactions?.length === 0))!;
      const q = `query($id: ID!) { order(id: $id) { presentmentCurrencyCode totalRefundedSet { shopMoney { amount } }
        refunds { totalRefundedSet { shopMoney { amount } } transactions(first: 5) { nodes { id } } refundLineItems(first: 5) { nodes { restockType } } } } }`;
      const r = (await h.gql(q, { id: `gid://shopify/Order/${restocked.id}` }, opts)).body.data?.order;
      expect(r.totalRefundedSet.shopMoney.amount).toBe("0.0");
      expect(r.refunds[0]).toMatchObject({ transactions: { nodes: [] }, refundLineItems: { nodes: [{ restockType: "RETURN" }] } });
      const foreign = store.orders.find((o) => o.presentmentCurrency && o.presentmentCurrency !== o.currency)!;
      const p = (await h.gql(`query($id: ID!) { order(id: $id) { presentmentCurrencyCode totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } }`, { id: `gid://shopify/Order/${foreign.id}` }, opts)).body.data?.order;
      expect(p.presentmentCurrencyCode).toBe(foreign.presentmentCurrency);
      expect(p.totalPriceSet.shopMoney.currencyCode).toBe("USD");
      expect(cents(p.totalPriceSet.presentmentMoney.amount)).toBe(Math.round(cents(p.totalPriceSet.shopMoney.amount) * Number(foreign.presentmentRate)));
    });

    it("gives the ground truth through a bulk export's JSONL", async () => {
      const { accessToken } = h.fake.control.issueToken(SHOP);
      const opts = { shop: SHOP, token: accessToken };
      const shop = (await h.gql(`{ shop { ianaTimezone taxesIncluded currencyCode } }`, {}, opts)).body.data?.shop;
      expect(shop).toEqual({ ianaTimezone: "America/Mexico_City", taxesIncluded: true, currencyCode: "USD" });
      const query = `{ orders { edges { node {
        id createdAt test taxesIncluded cancelledAt customer { id } discountCodes refunds { id }
        lineItems { edges { node { id quantity currentQuantity isGiftCard originalUnitPriceSet { shopMoney { amount } }
          discountAllocations { allocatedAmountSet { shopMoney { amount } } } taxLines { priceSet { shopMoney { amount } } }
          variant { compareAtPrice inventoryItem { unitCost { amount } } } } } } } } } }`;
      const started = await h.gql(`mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`, { q: query }, opts);
      expect(started.body.data?.bulkOperationRunQuery.userErrors).toEqual([]);
      await h.fake.control.settle();
      const op = (await h.gql(`{ currentBulkOperation { status url } }`, {}, opts)).body.data?.currentBulkOperation;
      expect(op.status).toBe("COMPLETED");
      const lines = (await (await fetch(op.url)).text()).trimEnd().split("\n").map((l) => JSON.parse(l) as Loose);
      const orders = new Map<string, Loose>();
      for (const l of lines) {
        if (!l.__parentId) orders.set(l.id, { ...l, lineItems: [] });
        else orders.get(l.__parentId)!.lineItems.push(l);
      }
      // A bulk query cannot nest a refund's connections (they sit inside the refunds list): as
      // Patron does, read them per order.
      const details = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id refunds(first: 5) { id
        transactions(first: 5) { edges { node { id kind amountSet { shopMoney { amount } } } } }
        refundLineItems(first: 20) { edges { node { quantity subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } lineItem { id isGiftCard } } } } } } } }`;
      const refunded = [...orders.values()].filter((o) => o.refunds.length > 0).map((o) => o.id as string);
      expect(refunded.length).toBeGreaterThan(0);
      // Throttled like Shopify: read through the app's own throttle-aware client.
      const admin = throttledAdmin(
        (query, options) =>
          fetch(`${h.fake.url}/admin/api/2026-07/graphql.json`, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken, "x-fake-shop-domain": SHOP },
            body: JSON.stringify({ query, variables: options?.variables }),
          }),
        { shop: SHOP },
      );
      for (let i = 0; i < refunded.length; i += 5) {
        const page = await admin.request<{ nodes: Loose[] }>(details, { ids: refunded.slice(i, i + 5) });
        for (const n of page.nodes) orders.get(n.id)!.refunds = n.refunds;
      }
      const views: OrderView[] = [...orders.values()].map((o) => {
        const refundItems = (r: Loose) => (r.refundLineItems.edges as Loose[]).map((e) => e.node);
        const refunded = refundedByLine(o.refunds, (r) => r.lineItem.id, (r) => r.quantity, refundItems);
        let productRefundCents = 0;
        for (const refund of o.refunds as Loose[]) {
          if (refund.transactions.edges.length === 0) continue;
          for (const r of refundItems(refund)) {
            if (r.lineItem.isGiftCard) continue;
            productRefundCents += cents(r.subtotalSet.shopMoney.amount) - (o.taxesIncluded ? cents(r.totalTaxSet.shopMoney.amount) : 0);
          }
        }
        return {
          key: o.customer ? String(o.customer.id).split("/").pop()! : null,
          test: o.test,
          cancelled: o.cancelledAt !== null,
          day: localDate(o.createdAt, shop.ianaTimezone),
          code: o.discountCodes.length > 0,
          productRefundCents,
          lines: (o.lineItems as Loose[]).map((l) => {
            const quantity = l.currentQuantity + (refunded.get(l.id) ?? 0);
            const tax = (l.taxLines as Loose[]).reduce((s, t) => s + cents(t.priceSet.shopMoney.amount), 0);
            return {
              quantity,
              unitCents: cents(l.originalUnitPriceSet.shopMoney.amount),
              allocatedCents: (l.discountAllocations as Loose[]).reduce((s, a) => s + cents(a.allocatedAmountSet.shopMoney.amount), 0),
              taxCents: o.taxesIncluded && l.quantity > 0 ? Math.trunc((tax * quantity) / l.quantity) : 0,
              compareAtCents: l.variant?.compareAtPrice == null ? null : cents(l.variant.compareAtPrice),
              costCents: l.variant?.inventoryItem?.unitCost == null ? null : cents(l.variant.inventoryItem.unitCost.amount),
              giftCard: l.isGiftCard,
            };
          }),
        };
      });
      expectTruth(fold(views), (t) => t.customerId);
    });
  });
});
