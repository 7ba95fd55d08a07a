import { describe, expect, it } from "vitest";
import { renderRoute } from "../../../test/support/render-route";
import { env } from "../../env.server";
import * as login from "./route";
import * as landing from "../_index/route";

// The login and landing pages are shown outside Shopify admin, so no `locale` comes with them
// unless a link carries it: the cookie an admin visit left, else the browser's languages.

const page = (path: string, headers: Record<string, string> = {}) => new Request(new URL(path, env().SHOPIFY_APP_URL), { headers });
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(new URL(path, env().SHOPIFY_APP_URL), {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });

describe("login page", () => {
  it("speaks Simplified Chinese to a browser that prefers it", async () => {
    const html = await renderRoute(login, page("/auth/login", { "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8" }));
    expect(html).toContain("店铺域名");
    expect(html).toContain("登录");
    expect(html).not.toMatch(/Log in|Shop domain/);
  });

  it("says what is wrong with the shop domain in Chinese, the language coming from the cookie", async () => {
    const html = await renderRoute(login, post("/auth/login", { shop: "" }, { Cookie: "patron_locale=zh-CN", "Accept-Language": "en" }));
    expect(html).toContain("请输入您的店铺域名以登录");
  });

  it("takes admin's `locale` on the URL over the browser's languages", async () => {
    const html = await renderRoute(login, page("/auth/login?locale=zh-CN", { "Accept-Language": "en-US" }));
    expect(html).toContain("店铺域名");
  });

  it("is English for a browser whose languages Patron does not speak", async () => {
    const html = await renderRoute(login, post("/auth/login", { shop: "" }, { "Accept-Language": "fr-FR,de;q=0.8" }));
    expect(html).toContain("Please enter your shop domain to log in");
    expect(html).not.toMatch(/\p{Script=Han}/u);
  });
});

describe("landing page", () => {
  it("speaks Simplified Chinese to a browser that prefers it, and English otherwise", async () => {
    const chinese = await renderRoute(landing, page("/", { "Accept-Language": "zh-Hans-CN" }));
    expect(chinese).toContain("区分您的高价值客户和走量客户");
    expect(chinese).not.toMatch(/Tell your valued customers|Shop domain|Log in/);
    const english = await renderRoute(landing, page("/", { "Accept-Language": "en-GB" }));
    expect(english).toContain("Tell your valued customers from your volume customers");
  });
});
