import Negotiator from "negotiator";
import { DEFAULT_LOCALE, matchLocale, type Locale } from "./locales";

// Shopify admin opens an embedded app with the merchant's admin language on the URL
// (`locale=zh-CN`, beside `shop` and `host`). Only the first document request carries it:
// Remix's own navigations and data requests inside the iframe do not. So the locale is also
// kept in a cookie, partitioned (CHIPS) because the app runs in a third-party frame.
// Pages Shopify shows outside admin (login, landing) may have neither: the browser's
// Accept-Language decides there.

const COOKIE = "patron_locale";
const ONE_YEAR_S = 365 * 24 * 3600;

export interface RequestLocale {
  locale: Locale;
  /** A Set-Cookie value to send when the URL named a locale the cookie did not hold yet. */
  setCookie: string | null;
}

function cookieLocale(request: Request): Locale | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE) return matchLocale(decodeURIComponent(rest.join("=")));
  }
  return null;
}

/** The first language of the request's Accept-Language, by preference (q), that Patron speaks; null when none. */
export function acceptedLocale(request: Request): Locale | null {
  const header = request.headers.get("accept-language");
  if (!header) return null;
  for (const tag of new Negotiator({ headers: { "accept-language": header } }).languages()) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return null;
}

/**
 * The request's locale: the URL's `locale` (Shopify admin's language) when it is one Patron
 * speaks, else the one remembered in the cookie, else the browser's preferred language Patron
 * speaks (Accept-Language), else English. A `locale` Patron does not speak (`fr`) is English
 * and replaces a remembered one, as the merchant changed language.
 */
export function requestLocale(request: Request): RequestLocale {
  const param = new URL(request.url).searchParams.get("locale");
  const remembered = cookieLocale(request);
  if (param === null) return { locale: remembered ?? acceptedLocale(request) ?? DEFAULT_LOCALE, setCookie: null };
  const locale = matchLocale(param) ?? DEFAULT_LOCALE;
  return {
    locale,
    setCookie: locale === remembered ? null : `${COOKIE}=${encodeURIComponent(locale)}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=None; Secure; Partitioned`,
  };
}
