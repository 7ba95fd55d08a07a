import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import { webhookIngestion } from "../sync/webhook-route.server";
import { eventLoopGate } from "./load-gate.server";
import { webhookListener } from "./webhook-listener.server";

export interface WebServerOptions {
  /** The Remix server build, e.g. build/server/index.js. */
  buildPath: string;
  port: number;
  /** Interface to bind; all when absent. */
  host?: string;
}

/**
 * One web process: what remix-serve does (compression, the build's assets cached for a
 * year, public/ for an hour, a log line per request, Remix's handler), with webhook
 * deliveries taken before any of it by webhookListener, which answers 503 while this
 * process's event loop lags. Resolves once listening.
 * @throws when the build cannot be loaded or the port cannot be bound
 */
export async function startWebServer(options: WebServerOptions): Promise<Server> {
  const build = (await import(pathToFileURL(resolve(options.buildPath)).href)) as ServerBuild;
  installGlobals({ nativeFetch: build.future.v3_singleFetch });
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.use(morgan("tiny"));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const webhooks = webhookListener(webhookIngestion, eventLoopGate());
  const server = createServer((req, res) => {
    if (!webhooks(req, res)) app(req, res);
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port, options.host, () => done());
  });
  return server;
}
