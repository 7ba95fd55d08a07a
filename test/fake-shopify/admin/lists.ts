import type { FakeCustomer, FakeOrder, FakeProduct } from "../store/model";
import type { AdminContext } from "./context";
import { compareIds } from "../util/ids";
import { matchesSearch, parseSearchQuery, type FieldValue } from "../util/search-query";
import { customerSpendCents, displayName, orderTotals } from "../store/order-math";

const DAY = 86_400_000;

export interface ListArgs {
  query?: string | null;
  sortKey?: string | null;
}

export interface SortedList<T> {
  list: T[];
  indexOf: (key: string) => number;
}

function readCustomer(ctx: AdminContext, c: FakeCustomer, field: string): FieldValue | undefined {
  switch (field) {
    case "id":
      return BigInt(c.id);
    case "email":
      return c.email;
    case "first_name":
      return c.firstName;
    case "last_name":
      return c.lastName;
    case "phone":
      return c.phone;
    case "tag":
      return c.tags;
    case "created_at":
      return c.createdAt;
    case "updated_at":
      return c.updatedAt;
    case "orders_count":
      return ctx.store.ordersOf(c.id).length;
    case "total_spent":
      return Number(customerSpendCents(ctx.store.ordersOf(c.id))) / 100;
    case "accepts_marketing":
      return c.emailMarketingState === "SUBSCRIBED";
    case "default":
      return [displayName(c), c.email ?? "", c.phone ?? ""].map((v) => v.toLowerCase());
    default:
      return undefined;
  }
}

function readOrder(o: FakeOrder, field: string): FieldValue | undefined {
  switch (field) {
    case "id":
      return BigInt(o.id);
    case "name":
      return [o.name, o.name.replace(/^#/, "")];
    case "email":
      return o.email;
    case "customer_id":
      return o.customerId ? BigInt(o.customerId) : null;
    case "created_at":
      return o.createdAt;
    case "updated_at":
      return o.updatedAt;
    case "processed_at":
      return o.processedAt;
    case "financial_status":
      return o.financialStatus.toLowerCase();
    case "status":
      return o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open";
    case "tag":
      return o.tags;
    case "discount_code":
      return o.discountCodes;
    case "test":
      return o.test ?? false;
    case "gateway":
      return o.paymentGatewayNames ?? ["shopify_payments"];
    case "default":
      return [o.name, o.email ?? ""];
    default:
      return undefined;
  }
}

const byIdThen =
  <T extends { id: string }>(primary: (a: T, b: T) => number) =>
  (a: T, b: T): number =>
    primary(a, b) || compareIds(a.id, b.id);

const byDate = <T>(read: (item: T) => string) => (a: T, b: T): number => Date.parse(read(a)) - Date.parse(read(b));

/** Without read_all_orders Shopify shows only the last 60 days of orders. */
export function orderVisible(ctx: AdminContext, order: FakeOrder): boolean {
  return ctx.scopes.has("read_all_orders") || Date.parse(order.createdAt) >= ctx.services.clock.now() - 60 * DAY;
}

export function customerList(ctx: AdminContext, args: ListArgs): SortedList<FakeCustomer> {
  const sortKey = args.sortKey ?? "ID";
  const compute = (): FakeCustomer[] => {
    const search = parseSearchQuery(args.query);
    const list = ctx.store.liveCustomers().filter((c) => matchesSearch(c, search, (item, field) => readCustomer(ctx, item, field)));
    if (sortKey === "CREATED_AT") list.sort(byIdThen(byDate((c) => c.createdAt)));
    else if (sortKey === "UPDATED_AT") list.sort(byIdThen(byDate((c) => c.updatedAt)));
    else if (sortKey === "NAME") list.sort(byIdThen((a, b) => displayName(a).localeCompare(displayName(b))));
    return list;
  };
  return ctx.store.cachedWithIndex(`customers:${sortKey}:${args.query ?? ""}`, ["customers", "orders"], compute, (c) => c.id);
}

function sortOrders(list: FakeOrder[], sortKey: string): FakeOrder[] {
  switch (sortKey) {
    case "CREATED_AT":
      return list.sort(byIdThen(byDate((o) => o.createdAt)));
    case "UPDATED_AT":
      return list.sort(byIdThen(byDate((o) => o.updatedAt)));
    case "PROCESSED_AT":
      return list.sort(byIdThen(byDate((o) => o.processedAt)));
    case "TOTAL_PRICE":
      return list.sort(byIdThen((a, b) => Number(orderTotals(a).total - orderTotals(b).total)));
    case "ORDER_NUMBER":
    case "NUMBER":
      return list.sort(byIdThen((a, b) => Number(a.name.replace(/\D/g, "")) - Number(b.name.replace(/\D/g, ""))));
    default:
      return list.sort((a, b) => compareIds(a.id, b.id));
  }
}

export function orderList(ctx: AdminContext, args: ListArgs, customerId?: string): SortedList<FakeOrder> {
  const sortKey = args.sortKey ?? "PROCESSED_AT";
  const allOrders = ctx.scopes.has("read_all_orders") ? "all" : "60d";
  const compute = (): FakeOrder[] => {
    const search = parseSearchQuery(args.query);
    const source = customerId === undefined ? ctx.store.data.orders : ctx.store.ordersOf(customerId);
    return sortOrders(
      source.filter((o) => orderVisible(ctx, o) && matchesSearch(o, search, readOrder)),
      sortKey,
    );
  };
  const key = `orders:${customerId ?? "*"}:${allOrders}:${sortKey}:${args.query ?? ""}`;
  if (customerId !== undefined) {
    const list = compute();
    const index = new Map(list.map((o, i) => [o.id, i]));
    return { list, indexOf: (k) => index.get(k) ?? -1 };
  }
  return ctx.store.cachedWithIndex(key, ["orders"], compute, (o) => o.id);
}

function readProduct(p: FakeProduct, field: string): FieldValue | undefined {
  switch (field) {
    case "id":
      return BigInt(p.id);
    case "title":
    case "default":
      return p.title;
    case "product_type":
      return p.productType;
    case "vendor":
      return p.vendor;
    case "created_at":
      return p.createdAt;
    case "updated_at":
      return p.updatedAt;
    default:
      return undefined;
  }
}

export function productList(ctx: AdminContext, args: ListArgs): SortedList<FakeProduct> {
  const sortKey = args.sortKey ?? "ID";
  const compute = (): FakeProduct[] => {
    const search = parseSearchQuery(args.query);
    const list = ctx.store.data.products.filter((p) => matchesSearch(p, search, readProduct));
    if (sortKey === "TITLE") return list.sort(byIdThen((a, b) => a.title.localeCompare(b.title)));
    if (sortKey === "CREATED_AT") return list.sort(byIdThen(byDate((p) => p.createdAt)));
    if (sortKey === "UPDATED_AT") return list.sort(byIdThen(byDate((p) => p.updatedAt)));
    return list.sort((a, b) => compareIds(a.id, b.id));
  };
  return ctx.store.cachedWithIndex(`products:${sortKey}:${args.query ?? ""}`, ["products"], compute, (p) => p.id);
}
