import type { FakeDiscountAllocation, FakeDiscountApplication } from "../store/model";
import { allocate, formatCents, percentOf } from "./money";

export interface PricedLine {
  readonly unitCents: number;
  quantity: number;
  readonly allocations: FakeDiscountAllocation[];
  discountCents: number;
}

interface ProductCode {
  readonly application: FakeDiscountApplication;
  readonly percent: number | null;
  readonly fixedCents: number | null;
  readonly minSubtotalCents: number;
}

function codeApplication(code: string, valueType: "PERCENTAGE" | "FIXED_AMOUNT", value: string): FakeDiscountApplication {
  return Object.freeze({ type: "DISCOUNT_CODE", code, title: null, valueType, value, allocationMethod: "ACROSS", targetType: "LINE_ITEM" });
}

// Discount descriptions are identical on every order that uses them, so one frozen
// object each is shared by all orders: a million-order store stays small.
export const PRODUCT_CODES = {
  WELCOME10: { application: codeApplication("WELCOME10", "PERCENTAGE", "10.0"), percent: 10, fixedCents: null, minSubtotalCents: 0 },
  SALE20: { application: codeApplication("SALE20", "PERCENTAGE", "20.0"), percent: 20, fixedCents: null, minSubtotalCents: 0 },
  BFCM30: { application: codeApplication("BFCM30", "PERCENTAGE", "30.0"), percent: 30, fixedCents: null, minSubtotalCents: 0 },
  TAKE5: { application: codeApplication("TAKE5", "FIXED_AMOUNT", "5.00"), percent: null, fixedCents: 500, minSubtotalCents: 2500 },
} as const satisfies Record<string, ProductCode>;
export type ProductCodeName = keyof typeof PRODUCT_CODES;

export const FREESHIP: FakeDiscountApplication = Object.freeze({
  type: "DISCOUNT_CODE",
  code: "FREESHIP",
  title: null,
  valueType: "PERCENTAGE",
  value: "100.0",
  allocationMethod: "EACH",
  targetType: "SHIPPING_LINE",
});

export const BUNDLE_AND_SAVE: FakeDiscountApplication = Object.freeze({
  type: "AUTOMATIC",
  code: null,
  title: "Bundle & save 15%",
  valueType: "PERCENTAGE",
  value: "15.0",
  allocationMethod: "EACH",
  targetType: "LINE_ITEM",
});
export const BUNDLE_PERCENT = 15;
export const BUNDLE_MIN_ITEMS = 2;

export const SPEND_AND_SAVE: FakeDiscountApplication = Object.freeze({
  type: "AUTOMATIC",
  code: null,
  title: "Spend $75, save 10%",
  valueType: "PERCENTAGE",
  value: "10.0",
  allocationMethod: "ACROSS",
  targetType: "LINE_ITEM",
});
export const SPEND_PERCENT = 10;
export const SPEND_MIN_CENTS = 7500;

export function lineTotal(line: PricedLine): number {
  return line.unitCents * line.quantity;
}

function linesNet(lines: readonly PricedLine[]): number[] {
  return lines.map((line) => lineTotal(line) - line.discountCents);
}

function record(line: PricedLine, amount: number, applicationIndex: number): void {
  if (amount <= 0) return;
  line.discountCents += amount;
  line.allocations.push({ amount: formatCents(amount), discountApplicationIndex: applicationIndex });
}

/** One amount spread over the lines by their remaining value, in whole cents. */
export function allocateAcross(lines: readonly PricedLine[], amountCents: number, applicationIndex: number): number {
  const net = linesNet(lines);
  const total = Math.min(amountCents, net.reduce((s, x) => s + x, 0));
  allocate(total, net).forEach((share, i) => record(lines[i], share, applicationIndex));
  return total;
}

/** The same percentage taken off each line on its own. */
export function allocateEach(lines: readonly PricedLine[], percent: number, applicationIndex: number): number {
  let total = 0;
  linesNet(lines).forEach((net, i) => {
    const share = percentOf(net, percent);
    record(lines[i], share, applicationIndex);
    total += share;
  });
  return total;
}

export function applyProductCode(lines: readonly PricedLine[], code: ProductCode, applicationIndex: number): number {
  const subtotal = linesNet(lines).reduce((s, x) => s + x, 0);
  const amount = code.percent !== null ? percentOf(subtotal, code.percent) : (code.fixedCents ?? 0);
  return allocateAcross(lines, amount, applicationIndex);
}
