import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { matchLocale, SUPPORTED_LOCALES } from "./locales";

// Every locale file read as JSON from disk (not through the bundle), flattened to
// `a.b.c` keys. Plural forms (`one`, `other`, …) are one key: languages have different
// plural categories (Chinese has only `other`), but every form must use the same placeholders.

const DIR = path.resolve(import.meta.dirname, "../locales");
const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other"]);
type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = "", out = new Map<string, string[]>()): Map<string, string[]> {
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, [value]);
    else if (Object.keys(value).every((k) => PLURAL_FORMS.has(k))) out.set(full, Object.values(value) as string[]);
    else flatten(value, full, out);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const files = Object.fromEntries(readdirSync(DIR).filter((f) => f.endsWith(".json")).map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Tree]));
const flat = Object.fromEntries(Object.entries(files).map(([locale, tree]) => [locale, flatten(tree)]));

describe("locale files", () => {
  it("exist for every supported locale, and only for those", () => {
    expect(Object.keys(files).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it.each(SUPPORTED_LOCALES.filter((l) => l !== "en"))("%s has exactly English's keys", (locale) => {
    const english = [...flat.en.keys()].sort();
    const other = [...flat[locale].keys()].sort();
    expect(other.filter((k) => !flat.en.has(k)), "keys English lacks").toEqual([]);
    expect(english.filter((k) => !flat[locale].has(k)), `keys ${locale} lacks`).toEqual([]);
  });

  it.each(SUPPORTED_LOCALES)("%s uses the same placeholders as English in every message and plural form", (locale) => {
    const wrong: string[] = [];
    for (const [key, forms] of flat[locale]) {
      const expected = JSON.stringify(placeholders(flat.en.get(key)!.at(-1)!));
      for (const form of forms) if (JSON.stringify(placeholders(form)) !== expected) wrong.push(`${key}: ${form}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(SUPPORTED_LOCALES)("%s gives every plural an `other` form and no message is empty", (locale) => {
    const walk = (tree: Tree, at: string): string[] =>
      Object.entries(tree).flatMap(([k, v]) => {
        if (typeof v === "string") return v.trim() === "" ? [`${at}${k} is empty`] : [];
        const plural = Object.keys(v).every((x) => PLURAL_FORMS.has(x));
        return plural && !("other" in v) ? [`${at}${k} has no other`] : walk(v, `${at}${k}.`);
      });
    expect(walk(files[locale], "")).toEqual([]);
  });
});

describe("matching Shopify admin's locale", () => {
  it("takes English in any region and Simplified Chinese however it is written", () => {
    expect(matchLocale("en")).toBe("en");
    expect(matchLocale("en-GB")).toBe("en");
    expect(matchLocale("zh-CN")).toBe("zh-CN");
    expect(matchLocale("zh_cn")).toBe("zh-CN");
    expect(matchLocale("zh-Hans")).toBe("zh-CN");
    expect(matchLocale("zh")).toBe("zh-CN");
  });

  it("has no match for Traditional Chinese, other languages or garbage", () => {
    expect(matchLocale("zh-TW")).toBeNull();
    expect(matchLocale("zh-Hant-HK")).toBeNull();
    expect(matchLocale("fr")).toBeNull();
    expect(matchLocale("not a locale!")).toBeNull();
    expect(matchLocale("")).toBeNull();
    expect(matchLocale(null)).toBeNull();
  });
});
