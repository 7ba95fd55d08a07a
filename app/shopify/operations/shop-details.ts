// The shop's currency (every amount sync stores is in it) and time zone (purchase days
// are days in it).
export const SHOP_DETAILS_QUERY = `#graphql
  query ShopDetails {
    shop { currencyCode ianaTimezone }
  }
`;

export interface ShopDetailsResult {
  shop: { currencyCode: string; ianaTimezone: string | null };
}
