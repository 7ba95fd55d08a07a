import { formatDecimal } from "../../util/money";
import { type Presentment, toPresentmentCents } from "../../store/order-math";

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

export interface MoneyBagView {
  shopMoney: MoneyV2View;
  presentmentMoney: MoneyV2View;
}

/** A MoneyBag: shop money as given; presentment money converted at the order's rate when it has one. */
export const moneyBag = (cents: bigint, currencyCode: string, presentment?: Presentment): MoneyBagView => ({
  shopMoney: moneyV2(cents, currencyCode),
  presentmentMoney: presentment ? moneyV2(toPresentmentCents(cents, presentment), presentment.currency) : moneyV2(cents, currencyCode),
});
