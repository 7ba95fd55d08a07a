import { describe, expect, it } from "vitest";
import { renderRoute, type RouteModule } from "../../test/support/render-route";
import { ErrorBoundary as CampaignsBoundary } from "../routes/app.campaigns._index";
import { ErrorBoundary as CustomerBoundary } from "../routes/app.customers.$id";
import { ErrorBoundary as SettingsBoundary } from "../routes/app.settings";

// An admin page whose loader failed: the merchant reads what happened and what to do in their
// language; the error's own (English, technical) text is there only as the detail under it.

const failing = (ErrorBoundary: RouteModule["ErrorBoundary"], thrown: unknown): RouteModule => ({
  default: () => null,
  ErrorBoundary,
  loader: () => {
    throw thrown;
  },
});
const zh = (path: string) => new Request(`https://app.test${path}`, { headers: { Cookie: "patron_locale=zh-CN" } });

describe("admin pages' error boundaries", () => {
  it("say what failed and what to do in Chinese, with the technical text only as labelled detail", async () => {
    const html = await renderRoute(failing(SettingsBoundary, new Error("connect ECONNREFUSED 127.0.0.1:5432")), zh("/app/settings"));
    expect(html).toContain("无法显示设置");
    expect(html).toContain("请刷新页面或稍后重试。");
    expect(html).toContain("详细信息：connect ECONNREFUSED 127.0.0.1:5432");
    expect(html).not.toMatch(/could not be shown|Try again|Detail:/);

    const list = await renderRoute(failing(CampaignsBoundary, new Error("timeout")), zh("/app/campaigns"));
    expect(list).toContain("无法加载营销活动");
    expect(list).toContain("详细信息：timeout");
  });

  it("give a thrown response's status as detail, and none for a plain not found", async () => {
    const badRequest = await renderRoute(failing(CampaignsBoundary, new Response("cursor is not valid", { status: 400 })), zh("/app/campaigns"));
    expect(badRequest).toContain("详细信息：400");
    expect(badRequest).toContain("cursor is not valid");

    const missing = await renderRoute(failing(CustomerBoundary, new Response("Not found", { status: 404 })), zh("/app/customers/1"));
    expect(missing).toContain("未找到客户");
    expect(missing).toContain("该客户可能已被删除，或此链接属于其他店铺。");
    expect(missing).not.toContain("详细信息");
  });

  it("speak English to an English admin", async () => {
    const html = await renderRoute(failing(SettingsBoundary, new Error("boom")), new Request("https://app.test/app/settings?locale=en"));
    expect(html).toContain("The settings could not be shown");
    expect(html).toContain("Detail: boom");
  });
});
