import { z } from "zod";

/** The largest id PostgreSQL's bigint holds (2^63 - 1); Shopify's ids are far below it. */
export const MAX_SHOPIFY_ID = 9_223_372_036_854_775_807n;

/** A Shopify numeric id as it arrives in a URL or a form: 1 to 2^63 - 1, digits only. */
export const shopifyIdParam = z
  .string()
  .regex(/^\d{1,19}$/, "must be a numeric Shopify id")
  .refine((v) => !/^\d{1,19}$/.test(v) || (BigInt(v) >= 1n && BigInt(v) <= MAX_SHOPIFY_ID), "is outside the range of Shopify ids");
