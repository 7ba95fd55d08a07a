import { GROUPS, type Group } from "../scoring/types";
import { describePersona } from "./describe";
import { msg, type RenderMessage } from "../i18n/message";
import type { GroupPersonas, PersonaFigures, Share } from "./persona";
import { playsFor, type PlayId } from "./plays";

// What the dashboard card and `analyze` show of a persona: the same rows, sentences and
// plays, rendered from the figures and the locale files (keys under `personas`) by `render`.

export interface PersonaFormat {
  money(amount: number): string;
  percent(share: number): string;
  decimal(value: number, digits: number): string;
}

/** Intl formatting for a locale (English by default) and the shop's currency. */
export function intlFormat(currency: string, locale = "en"): PersonaFormat {
  const money = new Intl.NumberFormat(locale, { style: "currency", currency });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  return {
    money: (amount) => money.format(amount),
    percent: (share) => percent.format(share),
    decimal: (value, digits) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value),
  };
}

export interface PersonaRow {
  /** The figure: a key under personas.figure. */
  key: FigureKey;
  label: string;
  group: string;
  store: string;
}

export interface PersonaPlayView {
  id: PlayId;
  title: string;
  body: string;
  href: string;
  shopify: boolean;
}

export interface PersonaView {
  group: Group;
  name: string;
  title: string;
  customers: string;
  sentences: string[];
  rows: PersonaRow[];
  plays: PersonaPlayView[];
}

type FigureKey =
  | "medianOrderValue"
  | "ordersPerYear"
  | "medianDaysBetweenOrders"
  | "medianTenureDays"
  | "productTypes"
  | "vendors"
  | "discountedOrderShare"
  | "discountDepth"
  | "channels"
  | "emailSubscribedShare"
  | "smsSubscribedShare"
  | "refundedOrderShare";

function rows(f: PersonaFigures, overall: PersonaFigures, fmt: PersonaFormat, render: RenderMessage): PersonaRow[] {
  const none = render(msg("common.none"));
  const value = (v: number | null, show: (v: number) => string) => (v === null ? none : show(v));
  const shares = (list: readonly Share[]) =>
    list.length === 0 ? none : list.map((s) => render(msg("personas.figure.share", { name: s.name, percent: fmt.percent(s.share) }))).join(render(msg("list.itemsSeparator")));
  const channels = (c: PersonaFigures["channels"]) => (c === null ? none : [c.online_store, c.pos, c.other].map(fmt.percent).join(" / "));
  const row = (key: FigureKey, show: (x: PersonaFigures) => string): PersonaRow => ({ key, label: render(msg(`personas.figure.${key}`)), group: show(f), store: show(overall) });
  return [
    row("medianOrderValue", (x) => value(x.medianOrderValue, fmt.money)),
    row("ordersPerYear", (x) => value(x.ordersPerYear, (v) => fmt.decimal(v, 1))),
    row("medianDaysBetweenOrders", (x) => value(x.medianDaysBetweenOrders, (v) => fmt.decimal(v, 0))),
    row("medianTenureDays", (x) => value(x.medianTenureDays, (v) => fmt.decimal(v, 0))),
    row("productTypes", (x) => shares(x.productTypes)),
    row("vendors", (x) => shares(x.vendors)),
    row("discountedOrderShare", (x) => value(x.discountedOrderShare, fmt.percent)),
    row("discountDepth", (x) => value(x.discountDepth, fmt.percent)),
    row("channels", (x) => channels(x.channels)),
    row("emailSubscribedShare", (x) => value(x.emailSubscribedShare, fmt.percent)),
    row("smsSubscribedShare", (x) => value(x.smsSubscribedShare, fmt.percent)),
    row("refundedOrderShare", (x) => value(x.refundedOrderShare, fmt.percent)),
  ];
}

/** Every group's persona as shown, in GROUPS order, its words in `render`'s language (the `analyze` CLI renders English). */
export function personaViews(personas: GroupPersonas, fmt: PersonaFormat, render: RenderMessage): PersonaView[] {
  return GROUPS.map((group) => {
    const figures = personas.groups[group];
    const name = render(msg(`groups.${group}`));
    return {
      group,
      name,
      title: render(msg("personas.card.title", { group: name })),
      customers: render(msg("personas.card.customers", { count: figures.customers })),
      sentences: describePersona(group, figures, render),
      rows: rows(figures, personas.overall, fmt, render),
      plays: playsFor(group, render).map((p) => ({ id: p.id, title: render(p.title), body: render(p.body), href: p.href, shopify: p.shopify })),
    };
  });
}
