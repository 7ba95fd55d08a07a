import { describe, expect, it } from "vitest";
import { requestLocale } from "./locale.server";

const get = (url: string, cookie?: string) => new Request(url, { headers: cookie ? { cookie } : {} });

describe("the locale of an admin request", () => {
  it("is the one Shopify admin put on the URL, remembered in a partitioned cookie", () => {
    const { locale, setCookie } = requestLocale(get("https://app.test/app?shop=s.myshopify.com&host=abc&locale=zh-CN"));
    expect(locale).toBe("zh-CN");
    expect(setCookie).toMatch(/^patron_locale=zh-CN; Path=\/; .*SameSite=None; Secure; Partitioned$/);
  });

  it("comes from the cookie when the URL has none (Remix's own navigations), and is not set again", () => {
    expect(requestLocale(get("https://app.test/app/customers?group=valued", "a=1; patron_locale=zh-CN"))).toEqual({ locale: "zh-CN", setCookie: null });
    expect(requestLocale(get("https://app.test/app?locale=zh-CN", "patron_locale=zh-CN"))).toEqual({ locale: "zh-CN", setCookie: null });
  });

  it("falls back to English: no locale anywhere, one Patron does not speak, or a forged cookie", () => {
    expect(requestLocale(get("https://app.test/app"))).toEqual({ locale: "en", setCookie: null });
    expect(requestLocale(get("https://app.test/app?locale=fr", "patron_locale=zh-CN"))).toMatchObject({ locale: "en", setCookie: expect.stringMatching(/^patron_locale=en;/) });
    expect(requestLocale(get("https://app.test/app", "patron_locale=%3Cscript%3E"))).toEqual({ locale: "en", setCookie: null });
  });
});
