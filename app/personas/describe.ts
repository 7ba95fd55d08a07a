import { msg, type RenderMessage } from "../i18n/message";
import type { Group } from "../scoring/types";
import type { PersonaFigures, Share } from "./persona";

// Persona sentences in the reader's language: every word comes from the locale files
// (keys under `personas`), rendered by `render`.

/**
 * How many orders use a discount, as a clause: "4 in 5 orders use a discount", "almost all orders
 * use a discount". A whole clause rather than a number word, as languages put the count in different
 * places ("每 5 个订单中有 4 个使用折扣"). `share` is 0–1.
 */
export function discountWords(share: number, render: RenderMessage): string {
  if (share >= 0.95) return render(msg("personas.discounts.almostAll"));
  if (share < 0.05) return render(msg("personas.discounts.hardlyAny"));
  let best = { numerator: 1, denominator: 2, error: Infinity };
  for (let denominator = 2; denominator <= 10; denominator++) {
    const numerator = Math.max(1, Math.min(denominator - 1, Math.round(share * denominator)));
    const error = Math.abs(numerator / denominator - share);
    // The smallest denominator that is close enough reads best.
    if (error < 0.021) return render(msg("personas.discounts.ratio", { numerator, denominator }));
    if (error < best.error) best = { numerator, denominator, error };
  }
  return render(msg("personas.discounts.ratio", { numerator: best.numerator, denominator: best.denominator }));
}

/** A number of days as the interval a person would say ("every day", "every 10 days", "every 3 weeks", "every 3 months"): days under two weeks, weeks under two months, else months. */
export function intervalWords(days: number, render: RenderMessage): string {
  if (days < 13.5) {
    const count = Math.max(1, Math.round(days));
    return render(count === 1 ? msg("personas.interval.day") : msg("personas.interval.days", { count }));
  }
  if (days < 59.5) return render(msg("personas.interval.weeks", { count: Math.round(days / 7) }));
  return render(msg("personas.interval.months", { count: Math.round(days / 30.44) }));
}

function productWords(shares: readonly Share[], render: RenderMessage): string | null {
  if (shares.length === 0) return null;
  if (shares[0].share >= 0.5 || shares.length === 1) return shares[0].name;
  return render(msg("personas.products.pair", { first: shares[0].name, second: shares[1].name }));
}

function channelWords(channels: PersonaFigures["channels"], render: RenderMessage): string | null {
  if (channels === null) return null;
  if (channels.online_store >= 0.6) return render(msg("personas.channel.online_store"));
  if (channels.pos >= 0.6) return render(msg("personas.channel.pos"));
  if (channels.other >= 0.6) return render(msg("personas.channel.other"));
  return render(msg("personas.channel.mixed"));
}

/**
 * One or two sentences about a group from its figures, e.g. "Volume customers here buy every
 * 3 weeks, and 4 in 5 orders use a discount. They buy mostly Basics and order mostly online."
 * Empty for a group without customers.
 */
export function describePersona(group: Group, figures: PersonaFigures, render: RenderMessage): string[] {
  if (figures.customers === 0 || figures.discountedOrderShare === null) return [];
  const name = render(msg(`groups.${group}`));
  const discounts = discountWords(figures.discountedOrderShare, render);
  const sentences = [
    render(
      figures.repeatCustomers * 2 >= figures.customers && figures.medianDaysBetweenOrders !== null
        ? msg("personas.summary.cadence", { group: name, interval: intervalWords(figures.medianDaysBetweenOrders, render), discounts })
        : msg("personas.summary.single", { group: name, discounts }),
    ),
  ];
  const products = productWords(figures.productTypes.length > 0 ? figures.productTypes : figures.vendors, render);
  const channel = channelWords(figures.channels, render);
  if (products !== null && channel !== null) sentences.push(render(msg("personas.summary.productsChannel", { products, channel })));
  else if (products !== null) sentences.push(render(msg("personas.summary.products", { products })));
  else if (channel !== null) sentences.push(render(msg("personas.summary.channel", { channel })));
  return sentences;
}
