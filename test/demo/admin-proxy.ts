import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { APP_BRIDGE_STANDIN } from "./app-bridge-standin";

// The demo's stand-in for Shopify admin: a page that embeds the app in an iframe
// with a session token, as admin.shopify.com does, and a reverse proxy in front of
// the app that swaps App Bridge's CDN script for a local stand-in and lets this
// admin frame the app (Shopify's CSP names only admin.shopify.com).

export interface AdminProxyOptions {
  port: number;
  appOrigin: string; // where the app really listens, e.g. http://127.0.0.1:41234
  shop: string;
  apiKey: string;
  mintSessionToken: (shop: string) => string;
}

const APP_BRIDGE_CDN = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

// Shopify admin always names the merchant's admin language (`locale`) on the app URL; the
// demo admin passes `?locale=` from its own URL (e.g. /admin/customers?locale=zh-CN), else en.
function adminPage(options: AdminProxyOptions, path: string, locale: string): string {
  const host = Buffer.from(`admin.shopify.com/store/${options.shop.replace(".myshopify.com", "")}`).toString("base64url");
  const query = new URLSearchParams({ embedded: "1", shop: options.shop, host, id_token: options.mintSessionToken(options.shop), locale });
  const app = `${path}?${query}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Patron · ${options.shop} (demo admin)</title>
<style>body{margin:0;font:14px system-ui;display:grid;grid-template-columns:220px 1fr;height:100vh}
nav{background:#1a1a1a;color:#e3e3e3;padding:16px}nav a{display:block;color:#e3e3e3;text-decoration:none;padding:6px 8px;border-radius:6px}
nav a:hover{background:#333}nav h1{font-size:14px;margin:0 0 16px}iframe{border:0;width:100%;height:100%}</style></head>
<body><nav aria-label="Demo admin"><h1>${options.shop}</h1>
<a href="/admin">Patron: Dashboard</a><a href="/admin/customers">Customers</a><a href="/admin/campaigns">Campaigns</a><a href="/admin/settings">Settings</a>
<p style="margin-top:24px;color:#999">A local stand-in for Shopify admin. The app runs in the frame as it would in Shopify.</p></nav>
<iframe title="Patron" name="app-iframe" src="${app}"></iframe></body></html>`;
}

function forward(options: AdminProxyOptions, req: IncomingMessage, res: ServerResponse) {
  const target = new URL(req.url ?? "/", options.appOrigin);
  const upstream = httpRequest(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host, "accept-encoding": "identity" } },
    (up) => {
      const headers = { ...up.headers };
      if (headers["content-security-policy"]) headers["content-security-policy"] = "frame-ancestors 'self';";
      delete headers.link;
      const isHtml = String(headers["content-type"] ?? "").includes("text/html");
      if (!isHtml) {
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on("data", (c: Buffer) => chunks.push(c));
      up.on("end", () => {
        const html = Buffer.concat(chunks).toString("utf8").replaceAll(APP_BRIDGE_CDN, "/__demo/app-bridge.js");
        delete headers["content-length"];
        delete headers["transfer-encoding"];
        res.writeHead(up.statusCode ?? 502, { ...headers, "content-length": Buffer.byteLength(html) });
        res.end(html);
      });
    },
  );
  // An upload the app refuses early (a webhook body over 2 MB gets 413, then the app closes
  // the connection) can end here in EPIPE before this proxy has read the 413, as it can for
  // any client still sending: the client then gets this 502 (README, failure table).
  upstream.on("error", (error) => {
    if (res.headersSent) return void res.destroy(error);
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`The app is not answering: ${error.message}`);
  });
  req.pipe(upstream);
}

export async function startAdminProxy(options: AdminProxyOptions) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://demo.local");
    if (url.pathname === "/__demo/app-bridge.js") {
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
      return res.end(APP_BRIDGE_STANDIN);
    }
    if (url.pathname === "/__demo/session-token") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      return res.end(JSON.stringify({ token: options.mintSessionToken(options.shop) }));
    }
    if (url.pathname === "/" || url.pathname === "/admin" || url.pathname.startsWith("/admin/")) {
      const page = url.pathname.replace(/^\/admin/, "") || "";
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(adminPage(options, `/app${page}`, url.searchParams.get("locale") || "en"));
    }
    forward(options, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === "EADDRINUSE" ? `port ${options.port} is in use: choose another with --port N` : error.message)),
    );
    server.listen(options.port, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
