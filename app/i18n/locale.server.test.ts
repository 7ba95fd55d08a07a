import { describe, expect, it } from "vitest";
import { requestLocale } from "./locale.server";

const get = (url: string, cookie?: string, acceptLanguage?: string) =>
  new Request(url, { headers: { ...(cookie ? { cookie } : {}), ...(acceptLanguage ? { "accept-language": acceptLanguage } : {}) } });

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

  it("outside admin (login, landing) is the browser's preferred language Patron speaks, by q-value", () => {
    expect(requestLocale(get("https://app.test/auth/login", undefined, "zh-CN,zh;q=0.9,en;q=0.8"))).toEqual({ locale: "zh-CN", setCookie: null });
    expect(requestLocale(get("https://app.test/", undefined, "fr-FR, en;q=0.5, zh-Hans;q=0.8"))).toEqual({ locale: "zh-CN", setCookie: null });
    expect(requestLocale(get("https://app.test/", undefined, "fr, zh-TW;q=0.9, en-GB;q=0.4"))).toEqual({ locale: "en", setCookie: null });
    expect(requestLocale(get("https://app.test/", undefined, "de, fr;q=0.5"))).toEqual({ locale: "en", setCookie: null });
  });

  it("prefers the URL and the cookie over Accept-Language", () => {
    expect(requestLocale(get("https://app.test/auth/login?locale=en", undefined, "zh-CN")).locale).toBe("en");
    expect(requestLocale(get("https://app.test/auth/login", "patron_locale=en", "zh-CN")).locale).toBe("en");
  });
});
