import { GROUPS, type Group } from "../scoring/types";
import { describePersona } from "./describe";
import { message, type PersonaMessageName } from "./messages";
import type { GroupPersonas, PersonaFigures, Share } from "./persona";
import { playsFor, type PlayId } from "./plays";

// What the dashboard card and `analyze` show of a persona: the same rows, sentences and
// plays, rendered from the figures and the messages.

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
  key: PersonaMessageName;
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

function rows(f: PersonaFigures, overall: PersonaFigures, fmt: PersonaFormat): PersonaRow[] {
  const none = message("persona.figure.none");
  const value = (v: number | null, show: (v: number) => string) => (v === null ? none : show(v));
  const shares = (list: readonly Share[]) =>
    list.length === 0 ? none : list.map((s) => message("persona.figure.share", { name: s.name, percent: fmt.percent(s.share) })).join(", ");
  const channels = (c: PersonaFigures["channels"]) => (c === null ? none : [c.online_store, c.pos, c.other].map(fmt.percent).join(" / "));
  const row = (key: PersonaMessageName, show: (x: PersonaFigures) => string): PersonaRow => ({ key, label: message(key), group: show(f), store: show(overall) });
  return [
    row("persona.figure.medianOrderValue", (x) => value(x.medianOrderValue, fmt.money)),
    row("persona.figure.ordersPerYear", (x) => value(x.ordersPerYear, (v) => fmt.decimal(v, 1))),
    row("persona.figure.medianDaysBetweenOrders", (x) => value(x.medianDaysBetweenOrders, (v) => fmt.decimal(v, 0))),
    row("persona.figure.medianTenureDays", (x) => value(x.medianTenureDays, (v) => fmt.decimal(v, 0))),
    row("persona.figure.productTypes", (x) => shares(x.productTypes)),
    row("persona.figure.vendors", (x) => shares(x.vendors)),
    row("persona.figure.discountedOrderShare", (x) => value(x.discountedOrderShare, fmt.percent)),
    row("persona.figure.discountDepth", (x) => value(x.discountDepth, fmt.percent)),
    row("persona.figure.channels", (x) => channels(x.channels)),
    row("persona.figure.emailSubscribedShare", (x) => value(x.emailSubscribedShare, fmt.percent)),
    row("persona.figure.smsSubscribedShare", (x) => value(x.smsSubscribedShare, fmt.percent)),
    row("persona.figure.refundedOrderShare", (x) => value(x.refundedOrderShare, fmt.percent)),
  ];
}

/** Every group's persona as shown, in GROUPS order. */
export function personaViews(personas: GroupPersonas, fmt: PersonaFormat): PersonaView[] {
  return GROUPS.map((group) => {
    const figures = personas.groups[group];
    const name = message(`persona.group.${group}`);
    return {
      group,
      name,
      title: message("persona.card.title", { group: name }),
      customers: message("persona.card.customers", { count: figures.customers }),
      sentences: describePersona(group, figures),
      rows: rows(figures, personas.overall, fmt),
      plays: playsFor(group).map((p) => ({ id: p.id, title: message(p.title), body: message(p.body, p.values), href: p.href, shopify: p.shopify })),
    };
  });
}
