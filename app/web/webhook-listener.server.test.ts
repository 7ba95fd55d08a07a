import { readdirSync, readFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookRoute } from "../sync/webhook-guard";
import type { LoadGate } from "./load-gate.server";
import { type Ingestion, WEBHOOK_PATHS, webhookListener } from "./webhook-listener.server";

describe("the webhook URLs", () => {
  it("are the Remix webhook routes, each feeding the same ingest route", () => {
    const fromRoutes: Record<string, string> = {};
    for (const file of readdirSync("app/routes").filter((f) => /^webhooks\..+\.tsx$/.test(f))) {
      const path = "/" + file.replace(/\.tsx$/, "").split(".").join("/");
      const route = /webhookIngestion\(request, "(\w+)"\)/.exec(readFileSync(`app/routes/${file}`, "utf8"))?.[1];
      fromRoutes[path] = route ?? `(${file} does not call webhookIngestion)`;
    }
    expect(WEBHOOK_PATHS).toEqual(fromRoutes);
  });
});

const gateOf = (busy: boolean): LoadGate => ({ busy: () => busy, delayMs: () => (busy ? 1000 : 0), close: () => undefined });

async function serve(ingest: Ingestion, busy = false): Promise<{ server: Server; port: number }> {
  const listener = webhookListener(ingest, gateOf(busy));
  const server = createServer((req, res) => {
    if (!listener(req, res)) res.writeHead(404).end("remix");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function send(port: number, method: string, path: string, body = ""): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { "content-type": "application/json", "x-shopify-topic": "orders/create" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the webhook listener", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("hands a delivery to ingest with its route, headers and exact body, and answers with ingest's response", async () => {
    const seen: { route: WebhookRoute; topic: string | null; body: string }[] = [];
    const started = await serve(async (request, route) => {
      seen.push({ route, topic: request.headers.get("x-shopify-topic"), body: await request.text() });
      return new Response("accepted", { status: 200 });
    });
    server = started.server;
    const body = JSON.stringify({ id: 9007199254740993n.toString(), note: "é".repeat(70_000) });
    expect(await send(started.port, "POST", "/webhooks/orders", body)).toEqual({ status: 200, body: "accepted" });
    expect(await send(started.port, "POST", "/webhooks/refunds/create?x=1", "{}")).toEqual({ status: 200, body: "accepted" });
    expect(seen).toEqual([
      { route: "orders", topic: "orders/create", body },
      { route: "refunds", topic: "orders/create", body: "{}" },
    ]);
  });

  it("leaves every other request to Remix", async () => {
    let calls = 0;
    const started = await serve(async () => {
      calls++;
      return new Response(null, { status: 200 });
    });
    server = started.server;
    expect((await send(started.port, "GET", "/webhooks/orders")).body).toBe("remix");
    expect((await send(started.port, "POST", "/webhooks/unknown", "{}")).body).toBe("remix");
    expect((await send(started.port, "POST", "/app/customers", "{}")).body).toBe("remix");
    expect(calls).toBe(0);
  });

  it("answers 503 without reading the delivery while the process lags, so Shopify retries it", async () => {
    let calls = 0;
    const started = await serve(async () => {
      calls++;
      return new Response(null, { status: 200 });
    }, true);
    server = started.server;
    const answers = await Promise.all([1, 2, 3].map(() => send(started.port, "POST", "/webhooks/orders", "x".repeat(100_000))));
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(calls).toBe(0);
  });

  it("answers 500 when ingest throws, and keeps serving", async () => {
    let fail = true;
    const started = await serve(async () => {
      if (fail) throw new Error("boom");
      return new Response(null, { status: 200 });
    });
    server = started.server;
    expect((await send(started.port, "POST", "/webhooks/customers", "{}")).status).toBe(500);
    fail = false;
    expect((await send(started.port, "POST", "/webhooks/customers", "{}")).status).toBe(200);
  });
});
