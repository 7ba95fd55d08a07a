import type { FakeCustomer, FakeLineItem, FakeOrder, FakeProduct, FakeStoreData, FakeVariant, Plan } from "./model";
import type { BulkOperationRecord, DiscountRecord, FlowTriggerCall, MetafieldDefinitionRecord, SegmentRecord } from "./records";
import { compareIds } from "../util/ids";

export interface ShopCounters {
  requests: number;
  throttled: number;
  maxCostExceeded: number;
  unauthorized: number;
  costSpent: number;
}

export type Collection = "customers" | "orders" | "products" | "other";

const emptyCounters = (): ShopCounters => ({ requests: 0, throttled: 0, maxCostExceeded: 0, unauthorized: 0, costSpent: 0 });

/** One shop's data with the indexes the API needs; `version` moves on every write so list caches stay honest. */
export class ShopStore {
  readonly customersById = new Map<string, FakeCustomer>();
  readonly ordersById = new Map<string, FakeOrder>();
  readonly ordersByCustomer = new Map<string, FakeOrder[]>();
  readonly productsById = new Map<string, FakeProduct>();
  readonly variantsById = new Map<string, FakeVariant>();
  readonly segments: SegmentRecord[] = [];
  readonly discounts: DiscountRecord[] = [];
  readonly metafieldDefinitions: MetafieldDefinitionRecord[] = [];
  readonly flowTriggers: FlowTriggerCall[] = [];
  readonly bulkOperations: BulkOperationRecord[] = [];
  counters: ShopCounters = emptyCounters();
  installed = true;
  /** Bumped per collection, so tagging a customer does not re-sort a million orders. */
  readonly versions: Record<Collection, number> = { customers: 0, orders: 0, products: 0, other: 0 };
  private lineItemOwner: Map<string, { order: FakeOrder; lineItem: FakeLineItem }> | null = null;
  private readonly listCache = new Map<string, { stamp: string; list: unknown[]; index: Map<string, number> | null }>();
  private nextId: bigint;

  constructor(readonly data: FakeStoreData) {
    data.customers.sort((a, b) => compareIds(a.id, b.id));
    let maxId = BigInt(data.shop.id);
    const see = (id: string): void => {
      const value = BigInt(id);
      if (value > maxId) maxId = value;
    };
    for (const customer of data.customers) {
      this.customersById.set(customer.id, customer);
      see(customer.id);
      for (const metafield of customer.metafields) see(metafield.id);
    }
    for (const product of data.products) {
      this.productsById.set(product.id, product);
      see(product.id);
      for (const variant of product.variants) {
        this.variantsById.set(variant.id, variant);
        see(variant.id);
        see(variant.inventoryItemId);
      }
    }
    for (const order of data.orders) {
      this.indexOrder(order);
      see(order.id);
      for (const line of order.lineItems) see(line.id);
      for (const refund of order.refunds) {
        see(refund.id);
        for (const rli of refund.refundLineItems) see(rli.id);
      }
    }
    this.nextId = maxId + 1n;
  }

  get domain(): string {
    return this.data.shop.domain;
  }

  get plan(): Plan {
    return this.data.shop.plan;
  }

  newId(): string {
    const id = this.nextId;
    this.nextId += 1n;
    return id.toString();
  }

  touch(collection: Collection = "other"): void {
    this.versions[collection]++;
  }

  resetCounters(): void {
    this.counters = emptyCounters();
  }

  liveCustomers(): FakeCustomer[] {
    return this.cached("customers:live", ["customers"], () => this.data.customers.filter((c) => c.deletedAt === null), (c) => c.id);
  }

  ordersOf(customerId: string): FakeOrder[] {
    return this.ordersByCustomer.get(customerId) ?? [];
  }

  addCustomer(customer: FakeCustomer): void {
    this.data.customers.push(customer);
    this.customersById.set(customer.id, customer);
    this.touch("customers");
  }

  addOrder(order: FakeOrder): void {
    this.data.orders.push(order);
    this.indexOrder(order);
    this.touch("orders");
  }

  findLineItem(lineItemId: string): { order: FakeOrder; lineItem: FakeLineItem } | undefined {
    if (!this.lineItemOwner) {
      this.lineItemOwner = new Map();
      for (const order of this.data.orders) {
        for (const lineItem of order.lineItems) this.lineItemOwner.set(lineItem.id, { order, lineItem });
      }
    }
    return this.lineItemOwner.get(lineItemId);
  }

  /** A filtered, sorted list computed once per data version, with an index for cursors. */
  cached<T>(key: string, dependsOn: Collection[], compute: () => T[], keyOf: (item: T) => string): T[] {
    return this.cachedWithIndex(key, dependsOn, compute, keyOf).list;
  }

  cachedWithIndex<T>(key: string, dependsOn: Collection[], compute: () => T[], keyOf: (item: T) => string): { list: T[]; indexOf: (key: string) => number } {
    const stamp = dependsOn.map((c) => this.versions[c]).join(":");
    let entry = this.listCache.get(key);
    if (!entry || entry.stamp !== stamp) {
      entry = { stamp, list: compute(), index: null };
      if (this.listCache.size > 64) this.listCache.clear();
      this.listCache.set(key, entry);
    }
    const found = entry;
    const list = found.list as T[];
    const indexOf = (k: string): number => {
      if (!found.index) {
        const index = new Map<string, number>();
        list.forEach((item, i) => index.set(keyOf(item), i));
        found.index = index;
      }
      return found.index.get(k) ?? -1;
    };
    return { list, indexOf };
  }

  private indexOrder(order: FakeOrder): void {
    this.ordersById.set(order.id, order);
    if (order.customerId) {
      const list = this.ordersByCustomer.get(order.customerId);
      if (list) list.push(order);
      else this.ordersByCustomer.set(order.customerId, [order]);
    }
    if (this.lineItemOwner) {
      for (const lineItem of order.lineItems) this.lineItemOwner.set(lineItem.id, { order, lineItem });
    }
  }
}
