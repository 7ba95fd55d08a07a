import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { FakeStoreData, Plan } from "./store/model";
import { ShopStore, type ShopCounters } from "./store/shop-store";
import { readAppToml, type AppConfig } from "./app-config";
import { WebhookDispatcher, type DeliveryRecord, type ReleaseOrder, type WebhookFaults } from "./webhooks";
import { systemClock, type Clock } from "./util/clock";
import { LeakyBucket } from "./throttle";
import { TokenRegistry, type TokenStats } from "./tokens";
import { OAuthServer } from "./oauth";
import { mintSessionToken } from "./session-token";
import { BulkRunner } from "./bulk/runner";
import { StagedUploads, STAGED_UPLOAD_LIMIT_BYTES } from "./staged-uploads";
import { executeAdmin } from "./admin/execute";
import type { AdminContext, AdminServices } from "./admin/context";
import { ControlError, ShopActions, type CustomerPatch, type EditOrderInput, type PlaceOrderInput, type RefundInput } from "./control";
import { handleControl } from "./control-http";
import { BodyTooLarge, parseJsonOrForm, readBody, sendJson, sendText } from "./http-util";
import { bulkFinishPayload } from "./webhook-payloads";
import { rawId } from "./util/raw-json";
import { SHOP_HEADER } from "./shop-header";
import { emptyStore } from "./store/empty-store";
import { generateStore, summarize, type CustomerTruth, type ShapesOption } from "./generator";
import { storeHistory } from "./history";
import { ordersExportCsv, productsExportCsv } from "./exports";
import { segmentMembers } from "./admin/resolvers/segments";
import { discountStatus, discountUsage } from "./admin/resolvers/discounts";

export { SHOP_HEADER };

export interface FakeShopifyOptions {
  port?: number;
  host?: string;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  /** shopify.app.toml: webhook subscriptions, their API version, and the default scopes. */
  appTomlPath?: string;
  appConfig?: AppConfig;
  /** Scopes granted at install; default: the toml's access_scopes, else SCOPES. */
  scopes?: string[];
  clock?: Clock;
  /** Scales webhook retry waits and the 48 h before shop/redact. */
  timeScale?: number;
  /** Scales token lifetimes: 0.05 makes the hour of an expiring offline token 3 minutes. Default 1. */
  tokenTimeScale?: number;
  /** "expiring" (default) or "as-requested" (non-expiring offline tokens unless `expiring=1`): see oauth.ts. */
  offlineTokens?: "expiring" | "as-requested";
  webhookTimeoutMs?: number;
  flowTriggerHandles?: string[] | null;
  bulkStartDelayMs?: number;
  shops?: FakeStoreData[];
}

export interface IssuedToken {
  accessToken: string;
  scope: string;
  /** ISO instants; null for a non-expiring token. */
  expiresAt: string | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: string | null;
}

export interface CreateShopInput {
  domain: string;
  plan?: Plan;
  customers?: number;
  seed?: number;
  /** Mix real stores' shapes into a generated shop (generator/shapes.ts); default true here. */
  shapes?: ShapesOption;
}

export interface FakeShopify {
  url: string;
  port: number;
  shops: Map<string, ShopStore>;
  webhooks: WebhookDispatcher;
  tokens: TokenRegistry;
  control: FakeShopifyControl;
  close(): Promise<void>;
}

/** The operations behind /_control, callable in-process by tests. */
export class FakeShopifyControl {
  constructor(
    private readonly env: {
      shops: Map<string, ShopStore>;
      buckets: Map<string, LeakyBucket>;
      actions: ShopActions;
      webhooks: WebhookDispatcher;
      tokens: TokenRegistry;
      oauth: OAuthServer;
      bulk: BulkRunner;
      options: FakeShopifyOptions;
      clock: Clock;
      scopes: () => string[];
    },
  ) {}

  shop(domain: string): ShopStore {
    const store = this.env.shops.get(domain);
    if (!store) throw new ControlError(404, `No shop ${domain}`);
    return store;
  }

  bucket(domain: string): LeakyBucket {
    const store = this.shop(domain);
    let bucket = this.env.buckets.get(domain);
    if (!bucket) {
      bucket = new LeakyBucket(this.env.clock, store.plan);
      this.env.buckets.set(domain, bucket);
    }
    return bucket;
  }

  addShop(data: FakeStoreData): ShopStore {
    if (this.env.shops.has(data.shop.domain)) throw new ControlError(409, `Shop ${data.shop.domain} exists`);
    const store = new ShopStore(data);
    this.env.shops.set(data.shop.domain, store);
    return store;
  }

  createShop(input: CreateShopInput): { domain: string; customers: number; orders: number; products: number } {
    const data =
      input.customers && input.customers > 0
        ? generateStore({
            seed: input.seed ?? 42,
            shopDomain: input.domain,
            customers: input.customers,
            plan: input.plan ?? "standard",
            asOf: new Date(this.env.clock.now()),
            shapes: input.shapes ?? true,
          })
        : emptyStore(input.domain, input.plan ?? "standard", new Date(this.env.clock.now()).toISOString());
    const store = this.addShop(data);
    return { domain: store.domain, customers: data.customers.length, orders: data.orders.length, products: data.products.length };
  }

  listShops(): { domain: string; plan: Plan; installed: boolean }[] {
    return [...this.env.shops.values()].map((s) => ({ domain: s.domain, plan: s.plan, installed: s.installed }));
  }

  shopSummary(domain: string): object {
    const store = this.shop(domain);
    const shop = store.data.shop;
    return {
      domain,
      id: shop.id,
      plan: store.plan,
      installed: store.installed,
      customers: store.data.customers.length,
      orders: store.data.orders.length,
      products: store.data.products.length,
      currency: shop.currency,
      ianaTimezone: shop.ianaTimezone ?? "UTC",
      taxesIncluded: shop.taxesIncluded ?? false,
    };
  }

  /**
   * An offline token as if the app had been installed through OAuth: expiring (with its
   * refresh token) unless `expiring: false` asks for a non-expiring one.
   */
  issueToken(domain: string, options: { scope?: string[]; expiring?: boolean } = {}): IssuedToken {
    const store = this.shop(domain);
    store.installed = true;
    const record = this.env.tokens.issue({ shop: domain, scope: options.scope ?? this.env.scopes(), expiring: options.expiring });
    return {
      accessToken: record.token,
      scope: record.scope.join(","),
      expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
      refreshToken: record.refreshToken,
      refreshTokenExpiresAt: record.refreshExpiresAt === null ? null : new Date(record.refreshExpiresAt).toISOString(),
    };
  }

  /** Every refresh token of the shop is refused from now on, as after a revocation. */
  revokeRefreshTokens(domain: string): { revoked: number } {
    this.shop(domain);
    return { revoked: this.env.tokens.revokeRefreshTokens(domain) };
  }

  /** Every access token of the shop expires now (its refresh tokens stay usable). */
  expireAccessTokens(domain: string): { expired: number } {
    this.shop(domain);
    return { expired: this.env.tokens.expireAccessTokens(domain) };
  }

  /** The next `count` refresh or migration answers are lost after the pair was issued (the connection is cut). */
  loseTokenAnswers(domain: string, count = 1): { count: number } {
    this.shop(domain);
    this.env.oauth.loseAnswers(domain, count);
    return { count };
  }

  /** Refreshes granted and refused, and migrations, for the shop. */
  tokenStats(domain: string): TokenStats {
    this.shop(domain);
    return { ...this.env.tokens.statsFor(domain) };
  }

  sessionToken(domain: string, options: { userId?: string; ttlSeconds?: number } = {}): string {
    this.shop(domain);
    return mintSessionToken({ shop: domain, apiKey: this.env.options.apiKey, apiSecret: this.env.options.apiSecret, now: Math.floor(this.env.clock.now() / 1000), ...options });
  }

  placeOrder(domain: string, input: PlaceOrderInput) {
    return this.env.actions.placeOrder(this.shop(domain), input);
  }

  refund(domain: string, orderId: string, input: RefundInput) {
    return this.env.actions.refund(this.shop(domain), orderId, input);
  }

  editOrder(domain: string, orderId: string, input: EditOrderInput) {
    return this.env.actions.editOrder(this.shop(domain), orderId, input);
  }

  cancel(domain: string, orderId: string, reason?: "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF") {
    return this.env.actions.cancel(this.shop(domain), orderId, reason);
  }

  createCustomer(domain: string, patch: CustomerPatch) {
    return this.env.actions.createCustomer(this.shop(domain), patch);
  }

  updateCustomer(domain: string, id: string, patch: CustomerPatch) {
    return this.env.actions.updateCustomer(this.shop(domain), id, patch);
  }

  deleteCustomer(domain: string, id: string): void {
    this.env.actions.deleteCustomer(this.shop(domain), id);
  }

  dataRequest(domain: string, customerId: string): void {
    this.env.actions.dataRequest(this.shop(domain), customerId);
  }

  redactCustomer(domain: string, customerId: string): void {
    this.env.actions.redactCustomer(this.shop(domain), customerId);
  }

  redactShop(domain: string): void {
    this.env.actions.redactShop(this.shop(domain));
  }

  uninstall(domain: string): void {
    this.env.actions.uninstall(this.shop(domain));
  }

  setPlan(domain: string, plan: Plan): void {
    this.env.actions.setPlan(this.shop(domain), plan);
    this.bucket(domain).setPlan(plan);
  }

  deliveries(filter: { shop?: string; topic?: string } = {}): DeliveryRecord[] {
    return this.env.webhooks.deliveries.filter((d) => (!filter.shop || d.shop === filter.shop) && (!filter.topic || d.topic === filter.topic));
  }

  flowTriggers(domain: string) {
    return this.shop(domain).flowTriggers;
  }

  segments(domain: string) {
    const store = this.shop(domain);
    return store.segments.map((s) => ({ ...s, memberIds: segmentMembers(store, s).map((c) => c.id) }));
  }

  discounts(domain: string) {
    const store = this.shop(domain);
    const ctx = { store, services: { clock: this.env.clock } } as AdminContext;
    return store.discounts.map((d) => ({
      ...d,
      status: discountStatus(ctx, d),
      usage: d.codes.reduce((sum, c) => sum + discountUsage(ctx, c.code, d.createdAt), 0),
    }));
  }

  customerTags(domain: string): Record<string, string[]> {
    return Object.fromEntries(this.shop(domain).liveCustomers().filter((c) => c.tags.length > 0).map((c) => [c.id, c.tags]));
  }

  customerMetafields(domain: string): Record<string, { namespace: string; key: string; type: string; value: string }[]> {
    return Object.fromEntries(
      this.shop(domain)
        .liveCustomers()
        .filter((c) => c.metafields.length > 0)
        .map((c) => [c.id, c.metafields.map(({ namespace, key, type, value }) => ({ namespace, key, type, value }))]),
    );
  }

  truth(domain: string): { seed: number; asOf: string; archetypeByCustomerId: Record<string, string> } {
    const truth = this.shop(domain).data.truth;
    return { seed: truth.seed, asOf: truth.asOf, archetypeByCustomerId: Object.fromEntries(truth.archetypeByCustomerId) };
  }

  /** Each customer's ground truth under issue 11's money rules (generator/truth.ts), from the shop's current data. */
  customerTruth(domain: string): { asOf: string; ianaTimezone: string; currency: string; customers: CustomerTruth[] } {
    const store = this.shop(domain);
    const summary = summarize(store.data, { perCustomer: true });
    return { asOf: store.data.truth.asOf, ianaTimezone: store.data.shop.ianaTimezone ?? "UTC", currency: store.data.shop.currency, customers: summary.customerTruth ?? [] };
  }

  /** Shopify admin's orders export (79 columns) of the shop as it is now. */
  ordersExport(domain: string): string {
    return ordersExportCsv(this.shop(domain).data);
  }

  /** Shopify admin's products export, with Cost per item. */
  productsExport(domain: string): string {
    return productsExportCsv(this.shop(domain).data);
  }

  /**
   * Delivers the shop's whole history as webhooks, oldest first, one at a time or up to
   * `concurrency` at once: customers/create, orders/create (as at checkout), then edits,
   * refunds and cancellations as they happened. `settle()` waits for the last delivery.
   */
  replayHistory(domain: string, options: { concurrency?: number } = {}): { deliveries: number } {
    const store = this.shop(domain);
    const events = storeHistory(store, this.env.webhooks.apiVersion);
    return { deliveries: this.env.webhooks.emitSequence(domain, events, options.concurrency).length };
  }

  counters(domain: string): ShopCounters & { throttleStatus: ReturnType<LeakyBucket["status"]> } {
    return { ...this.shop(domain).counters, throttleStatus: this.bucket(domain).status() };
  }

  drainBucket(domain: string): void {
    this.bucket(domain).drain();
  }

  resetCounters(): void {
    for (const store of this.env.shops.values()) store.resetCounters();
  }

  setFaults(faults: Partial<WebhookFaults>): WebhookFaults {
    Object.assign(this.env.webhooks.faults, faults);
    return this.env.webhooks.faults;
  }

  /** Sends `topic` signed with the wrong secret and returns the app's status (it should be 401). */
  async forgeWebhook(domain: string, topic: string): Promise<{ status: number | null }> {
    const store = this.shop(domain);
    return { status: await this.env.webhooks.forge(domain, topic, { shop_id: rawId(store.data.shop.id), shop_domain: domain }) };
  }

  releaseWebhooks(options: { order?: ReleaseOrder; seed?: number } = {}): number {
    return this.env.webhooks.release(options.order, options.seed);
  }

  /** Waits for in-flight webhook attempts and running bulk operations. */
  async settle(): Promise<void> {
    await this.env.bulk.idle();
    await this.env.webhooks.settle();
  }
}

function shopOf(req: IncomingMessage): string | null {
  const header = req.headers[SHOP_HEADER];
  if (typeof header === "string" && header) return header.toLowerCase();
  const host = (req.headers.host ?? "").split(":")[0].toLowerCase();
  return host.endsWith(".myshopify.com") ? host : null;
}

const INVALID_TOKEN = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

export async function createFakeShopify(options: FakeShopifyOptions): Promise<FakeShopify> {
  const clock = options.clock ?? systemClock;
  const timeScale = options.timeScale ?? 1;
  const appConfig = options.appConfig ?? (options.appTomlPath ? readAppToml(options.appTomlPath) : { apiVersion: "2026-07", subscriptions: [], scopes: [] });
  const scopes = (): string[] =>
    options.scopes ?? (appConfig.scopes.length > 0 ? appConfig.scopes : (process.env.SCOPES ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  let publicUrl = "";
  const shops = new Map<string, ShopStore>();
  const buckets = new Map<string, LeakyBucket>();
  const tokens = new TokenRegistry(clock, { timeScale: options.tokenTimeScale });
  const webhooks = new WebhookDispatcher({
    appUrl: options.appUrl,
    apiSecret: options.apiSecret,
    apiVersion: appConfig.apiVersion,
    subscriptions: appConfig.subscriptions,
    clock,
    timeScale,
    responseTimeoutMs: options.webhookTimeoutMs,
  });
  const actions = new ShopActions(webhooks, clock, timeScale, (shop) => tokens.revokeShop(shop));
  const bulk = new BulkRunner({
    publicUrl: () => publicUrl,
    startDelayMs: options.bulkStartDelayMs,
    onFinished: (store, op) => {
      webhooks.emit(store.domain, "bulk_operations/finish", bulkFinishPayload(op));
    },
  });
  const stagedDir = mkdtempSync(join(tmpdir(), "fake-shopify-staged-"));
  const staged = new StagedUploads(stagedDir, () => publicUrl);
  const oauth = new OAuthServer({
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    appUrl: options.appUrl,
    scopes,
    clock,
    tokens,
    offlineTokens: options.offlineTokens,
    onInstalled: (shop) => {
      const store = shops.get(shop);
      if (store) store.installed = true;
    },
  });
  const control = new FakeShopifyControl({ shops, buckets, actions, webhooks, tokens, oauth, bulk, options, clock, scopes });
  const services: AdminServices = {
    clock,
    bulk,
    staged,
    flowTriggerHandles: options.flowTriggerHandles ? new Set(options.flowTriggerHandles) : null,
    events: {
      customerUpdated: (store, id) => actions.customerUpdated(store, id),
      orderUpdated: (store, id) => actions.orderUpdated(store, id),
    },
  };
  for (const data of options.shops ?? []) control.addShop(data);

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, version: string): Promise<void> {
    const domain = shopOf(req);
    const store = domain ? shops.get(domain) : undefined;
    if (!store) return sendJson(res, 404, { errors: "Not Found" });
    if (req.method !== "POST") return sendJson(res, 405, { errors: "Method Not Allowed" });
    const header = req.headers["x-shopify-access-token"];
    const record = tokens.authenticate(typeof header === "string" ? header : null, store.domain);
    if (!record) {
      store.counters.unauthorized++;
      return sendJson(res, 401, INVALID_TOKEN);
    }
    const raw = await readBody(req);
    const contentType = req.headers["content-type"] ?? "";
    let body: Record<string, unknown>;
    try {
      body = contentType.includes("application/graphql") ? { query: raw.toString("utf8") } : (JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>);
    } catch {
      return sendJson(res, 400, { errors: "Invalid JSON in request body" });
    }
    const ctx: AdminContext = { store, services, apiVersion: version, scopes: new Set(record.scope) };
    const result = await executeAdmin(ctx, control.bucket(store.domain), body);
    sendJson(res, result.status, result.body, { "X-Request-Id": crypto.randomUUID() });
    void url;
  }

  async function handleStaged(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req, STAGED_UPLOAD_LIMIT_BYTES + 64 * 1024);
    if (req.method === "PUT") {
      const key = staged.keyOf(url.pathname);
      if (!key || !staged.store(key, raw)) return sendText(res, 400, "Bad key");
      return sendText(res, 200, "");
    }
    if (req.method !== "POST") return sendText(res, 405, "Method Not Allowed");
    const form = await new Request("http://staged.local/", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: new Uint8Array(raw) }).formData();
    const key = form.get("key");
    const file = form.get("file");
    if (typeof key !== "string" || !(file instanceof Blob)) return sendText(res, 400, "<Error><Code>InvalidArgument</Code></Error>", "application/xml");
    const content = Buffer.from(await file.arrayBuffer());
    if (content.length > STAGED_UPLOAD_LIMIT_BYTES) return sendText(res, 400, "<Error><Code>EntityTooLarge</Code></Error>", "application/xml");
    if (!staged.store(key, content)) return sendText(res, 400, "<Error><Code>InvalidArgument</Code></Error>", "application/xml");
    sendText(res, 201, `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>${publicUrl}/_staged-uploads/${key}</Location><Key>${key}</Key></PostResponse>`, "application/xml");
  }

  function handleBulkFile(res: ServerResponse, shopId: string, opId: string): void {
    const store = [...shops.values()].find((s) => s.data.shop.id === shopId);
    const op = store?.bulkOperations.find((b) => b.id === opId);
    if (!op?.filePath) return sendText(res, 404, "Not Found");
    res.writeHead(200, { "Content-Type": "application/jsonl", "Content-Length": String(op.fileSize ?? 0) });
    createReadStream(op.filePath).pipe(res);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.local");
    const admin = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.exec(url.pathname);
    if (admin) return handleAdmin(req, res, url, admin[1]);
    if (url.pathname.startsWith("/_control/")) return handleControl(control, req, res, url);
    if (url.pathname.startsWith("/_staged-uploads/")) return handleStaged(req, res, url);
    const bulkFile = /^\/_bulk\/(\d+)\/(\d+)\.jsonl$/.exec(url.pathname);
    if (bulkFile && req.method === "GET") return handleBulkFile(res, bulkFile[1], bulkFile[2]);
    const domain = shopOf(req);
    if (url.pathname === "/admin/oauth/authorize" || url.pathname === "/admin/oauth/access_token") {
      if (!domain || !shops.has(domain)) return sendJson(res, 404, { errors: "Not Found" });
      const result =
        url.pathname === "/admin/oauth/authorize"
          ? oauth.authorize(domain, url.searchParams)
          : req.method === "POST"
            ? oauth.accessToken(domain, parseJsonOrForm(await readBody(req), req.headers["content-type"]))
            : { status: 405, body: { error: "Method Not Allowed" } };
      if (result.lose) {
        req.socket.destroy();
        return;
      }
      if (result.status === 302) {
        res.writeHead(302, result.headers);
        res.end();
        return;
      }
      return sendJson(res, result.status, result.body);
    }
    sendJson(res, 404, { errors: "Not Found" });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { errors: error.message });
      sendJson(res, 500, { errors: [{ message: error instanceof Error ? error.message : String(error) }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  publicUrl = `http://${options.host ?? "127.0.0.1"}:${port}`;

  return {
    url: publicUrl,
    port,
    shops,
    webhooks,
    tokens,
    control,
    close: async () => {
      webhooks.close();
      actions.close();
      await bulk.idle();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      bulk.close();
      rmSync(stagedDir, { recursive: true, force: true });
    },
  };
}
