// The cheapest authenticated call: whether Shopify still takes the shop's token.
export const SHOP_ID_QUERY = `#graphql
  query ShopId {
    shop { id }
  }
`;

export interface ShopIdResult {
  shop: { id: string };
}
