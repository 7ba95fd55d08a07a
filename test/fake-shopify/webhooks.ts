import { createHmac, randomUUID } from "node:crypto";
import type { WebhookSubscription } from "./app-config";
import type { Clock } from "./util/clock";
import { RawNumber, stringifyRaw, type RawJson } from "./util/raw-json";
import { matchesSearch, parseSearchQuery, type FieldValue } from "./util/search-query";

// Shopify retries a failed delivery 8 times over about four hours with exponential
// backoff: 1, 2, 4 ... 128 minutes (255 minutes in all).
export const RETRY_COUNT = 8;
export const RETRY_BASE_MS = 60_000;
export const RESPONSE_TIMEOUT_MS = 5_000;

export interface WebhookDispatcherOptions {
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  subscriptions: WebhookSubscription[];
  clock: Clock;
  /** Multiplies every retry wait: 0.0001 turns four hours into about 1.5 s. */
  timeScale?: number;
  responseTimeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export interface WebhookFaults {
  /** Extra copies of each delivery, sent with the same Webhook-Id. */
  duplicates: number;
  /** Real milliseconds to wait before the first attempt. */
  delayMs: number;
  /** Queue deliveries until `release()`; lets a test deliver them out of order. */
  hold: boolean;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  duplicate: boolean;
}

export interface DeliveryRecord {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  triggeredAt: string;
  status: "held" | "pending" | "delivered" | "retrying" | "failed";
  attempts: DeliveryAttempt[];
  forged: boolean;
}

export type ReleaseOrder = "fifo" | "reverse" | "shuffle";

function project(payload: RawJson, fields: string[] | null): RawJson {
  if (!fields || !payload || typeof payload !== "object" || Array.isArray(payload) || payload instanceof RawNumber) return payload;
  const out: { [key: string]: RawJson } = {};
  const source = payload as { [key: string]: RawJson };
  for (const field of fields) {
    const [head, ...rest] = field.split(".");
    if (!(head in source)) continue;
    out[head] = rest.length === 0 ? source[head] : project(source[head], [rest.join(".")]);
  }
  return out;
}

function readPath(payload: RawJson, path: string): FieldValue | undefined {
  let value: RawJson | undefined = payload;
  for (const key of path.split(".")) {
    if (!value || typeof value !== "object" || Array.isArray(value) || value instanceof RawNumber) return undefined;
    value = (value as { [key: string]: RawJson | undefined })[key];
  }
  if (value instanceof RawNumber) return value.digits.includes(".") ? Number(value.digits) : BigInt(value.digits);
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((v) => (v instanceof RawNumber ? v.digits : String(v)));
  return undefined;
}

/** A subscription's `filter` uses Shopify's search syntax over the payload's fields. */
function passesFilter(payload: RawJson, filter: string | null): boolean {
  if (!filter) return true;
  return matchesSearch(payload, parseSearchQuery(filter), (item, field) => {
    const value = readPath(item, field);
    return typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  });
}

export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  faults: WebhookFaults = { duplicates: 0, delayMs: 0, hold: false };
  private readonly held: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  /** The API version bodies are shaped for (the toml's `webhooks.api_version`). */
  get apiVersion(): string {
    return this.options.apiVersion;
  }

  subscribed(topic: string): boolean {
    return this.options.subscriptions.some((s) => s.topic === topic);
  }

  /** Sends `topic` to every subscription for it; returns the deliveries created. */
  emit(shop: string, topic: string, payload: RawJson, eventId: string = randomUUID()): DeliveryRecord[] {
    return this.emitWith(shop, topic, payload, eventId, false);
  }

  /**
   * Sends events in order, each first attempt waiting for an earlier one to finish: one at a
   * time by default, as a shop's history would have arrived, or up to `concurrency` at once
   * (Shopify sends a shop's webhooks in parallel and promises no order). Failures retry on
   * the usual schedule. `settle()` waits for the whole sequence.
   */
  emitSequence(shop: string, events: Iterable<{ topic: string; payload: RawJson; eventId: string }>, concurrency = 1): DeliveryRecord[] {
    const queued: DeliveryRecord[] = [];
    for (const e of events) this.emitWith(shop, e.topic, e.payload, e.eventId, false, queued);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < queued.length) await this.attempt(queued[next++], false);
    };
    for (let i = 0; i < Math.max(1, concurrency); i++) this.track(lane());
    return queued;
  }

  private emitWith(shop: string, topic: string, payload: RawJson, eventId: string, forged: boolean, queue?: DeliveryRecord[]): DeliveryRecord[] {
    const triggeredAt = new Date(this.options.clock.now()).toISOString();
    const records = this.options.subscriptions
      .filter((s) => s.topic === topic && passesFilter(payload, s.filter))
      .map((sub) => {
        const body = stringifyRaw(project(payload, sub.includeFields));
        const webhookId = randomUUID();
        const record: DeliveryRecord = {
          webhookId,
          eventId,
          topic,
          shop,
          url: sub.uri.startsWith("http") ? sub.uri : `${this.options.appUrl.replace(/\/$/, "")}${sub.uri}`,
          body,
          triggeredAt,
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": createHmac("sha256", forged ? `${this.options.apiSecret}-forged` : this.options.apiSecret).update(body, "utf8").digest("base64"),
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-API-Version": this.options.apiVersion,
            "X-Shopify-Webhook-Id": webhookId,
            "X-Shopify-Triggered-At": triggeredAt,
            "X-Shopify-Event-Id": eventId,
          },
          status: this.faults.hold && !forged ? "held" : "pending",
          attempts: [],
          forged,
        };
        this.deliveries.push(record);
        if (forged) return record;
        if (queue) {
          record.status = "pending";
          queue.push(record);
          return record;
        }
        if (this.faults.hold) this.held.push(record);
        else this.schedule(record, this.faults.delayMs, true);
        return record;
      });
    return records;
  }

  /** One delivery signed with the wrong secret, never retried: an app must answer it 401. */
  async forge(shop: string, topic: string, payload: RawJson): Promise<number | null> {
    const [record] = this.emitWith(shop, topic, payload, randomUUID(), true);
    if (!record) return null;
    await this.attempt(record, false);
    return record.attempts[0]?.status ?? null;
  }

  /** Sends held deliveries in the given order; "shuffle" is seeded so tests stay deterministic. */
  release(order: ReleaseOrder = "fifo", seed = 1): number {
    const batch = this.held.splice(0);
    if (order === "reverse") batch.reverse();
    if (order === "shuffle") {
      let state = seed >>> 0 || 1;
      const next = (): number => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 2 ** 32;
      };
      for (let i = batch.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [batch[i], batch[j]] = [batch[j], batch[i]];
      }
    }
    let chain = Promise.resolve();
    for (const record of batch) {
      record.status = "pending";
      chain = chain.then(() => this.attempt(record, false));
    }
    this.track(chain);
    return batch.length;
  }

  /** Resolves once no attempt is in flight (scheduled retries may remain). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(record: DeliveryRecord, delayMs: number, first: boolean): void {
    if (this.closed) return;
    const run = (): void => {
      this.track(this.attempt(record, false));
      if (first) for (let i = 0; i < this.faults.duplicates; i++) this.track(this.attempt(record, true));
    };
    if (delayMs <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async attempt(record: DeliveryRecord, duplicate: boolean): Promise<void> {
    if (this.closed) return;
    const started = Date.now();
    const attempt: DeliveryAttempt = { at: new Date(this.options.clock.now()).toISOString(), status: null, error: null, durationMs: 0, duplicate };
    try {
      const response = await (this.options.fetchImpl ?? fetch)(record.url, {
        method: "POST",
        headers: record.headers,
        body: record.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS),
      });
      attempt.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      attempt.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    attempt.durationMs = Date.now() - started;
    record.attempts.push(attempt);
    if (duplicate) return;
    if (record.forged) {
      record.status = attempt.status !== null && attempt.status >= 200 && attempt.status < 300 ? "delivered" : "failed";
      return;
    }
    const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
    if (ok) {
      record.status = "delivered";
      return;
    }
    const retriesSoFar = record.attempts.filter((a) => !a.duplicate).length - 1;
    if (retriesSoFar >= RETRY_COUNT) {
      record.status = "failed";
      return;
    }
    record.status = "retrying";
    this.schedule(record, RETRY_BASE_MS * 2 ** retriesSoFar * (this.options.timeScale ?? 1), false);
  }
}
