import { formatDecimal } from "../../util/money";

export interface MoneyV2View {
  __typename: "MoneyV2";
  amount: string;
  currencyCode: string;
}

export const moneyV2 = (cents: bigint, currencyCode: string): MoneyV2View => ({
  __typename: "MoneyV2",
  amount: formatDecimal(cents),
  currencyCode,
});

export const moneyBag = (cents: bigint, currencyCode: string): { shopMoney: MoneyV2View; presentmentMoney: MoneyV2View } => ({
  shopMoney: moneyV2(cents, currencyCode),
  presentmentMoney: moneyV2(cents, currencyCode),
});
