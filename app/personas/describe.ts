import type { Group } from "../scoring/types";
import { message } from "./messages";
import type { PersonaFigures, Share } from "./persona";

/** A share as words: "4 in 5", "almost all", "hardly any". `share` is 0–1. */
export function fractionWords(share: number): string {
  if (share >= 0.95) return message("persona.fraction.almostAll");
  if (share < 0.05) return message("persona.fraction.hardlyAny");
  let best = { numerator: 1, denominator: 2, error: Infinity };
  for (let denominator = 2; denominator <= 10; denominator++) {
    const numerator = Math.max(1, Math.min(denominator - 1, Math.round(share * denominator)));
    const error = Math.abs(numerator / denominator - share);
    // The smallest denominator that is close enough reads best.
    if (error < 0.021) return message("persona.fraction.ratio", { numerator, denominator });
    if (error < best.error) best = { numerator, denominator, error };
  }
  return message("persona.fraction.ratio", { numerator: best.numerator, denominator: best.denominator });
}

/** A number of days as the interval a person would say: days under two weeks, weeks under two months, else months. */
export function intervalWords(days: number): string {
  if (days < 13.5) return message("persona.interval.days", { count: Math.max(1, Math.round(days)) });
  if (days < 59.5) return message("persona.interval.weeks", { count: Math.round(days / 7) });
  return message("persona.interval.months", { count: Math.round(days / 30.44) });
}

function productWords(shares: readonly Share[]): string | null {
  if (shares.length === 0) return null;
  if (shares[0].share >= 0.5 || shares.length === 1) return shares[0].name;
  return message("persona.products.pair", { first: shares[0].name, second: shares[1].name });
}

function channelWords(channels: PersonaFigures["channels"]): string | null {
  if (channels === null) return null;
  if (channels.online_store >= 0.6) return message("persona.channel.online_store");
  if (channels.pos >= 0.6) return message("persona.channel.pos");
  if (channels.other >= 0.6) return message("persona.channel.other");
  return message("persona.channel.mixed");
}

/**
 * One or two sentences about a group from its figures, e.g. "Volume customers here buy every
 * 3 weeks, and 4 in 5 orders use a discount. They buy mostly Basics and order mostly online."
 * Empty for a group without customers.
 */
export function describePersona(group: Group, figures: PersonaFigures): string[] {
  if (figures.customers === 0 || figures.discountedOrderShare === null) return [];
  const name = message(`persona.group.${group}`);
  const fraction = fractionWords(figures.discountedOrderShare);
  const sentences = [
    figures.repeatCustomers * 2 >= figures.customers && figures.medianDaysBetweenOrders !== null
      ? message("persona.summary.cadence", { group: name, interval: intervalWords(figures.medianDaysBetweenOrders), fraction })
      : message("persona.summary.single", { group: name, fraction }),
  ];
  const products = productWords(figures.productTypes.length > 0 ? figures.productTypes : figures.vendors);
  const channel = channelWords(figures.channels);
  if (products !== null && channel !== null) sentences.push(message("persona.summary.products_channel", { products, channel }));
  else if (products !== null) sentences.push(message("persona.summary.products", { products }));
  else if (channel !== null) sentences.push(message("persona.summary.channel", { channel }));
  return sentences;
}
