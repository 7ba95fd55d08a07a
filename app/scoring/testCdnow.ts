import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CustomerHistory } from "./types";

// CI clones the repository beside `shared/`, so the data lives at ../shared relative to the repo root.
export const CDNOW_DIR = fileURLToPath(new URL("../../../shared/data/cdnow/", import.meta.url));

/** The 39-week calibration summaries (x, t_x, T in weeks, zbar) as the papers use them. */
export function readCdnowSummary() {
  const lines = readFileSync(`${CDNOW_DIR}cdnow_customers_summary_with_transactions.csv`, "utf8").trim().split("\n").slice(1);
  const cols = { x: [] as number[], tx: [] as number[], T: [] as number[], zbar: [] as number[] };
  for (const line of lines) {
    const [, x, tx, T, zbar] = line.split(",").map(Number);
    cols.x.push(x);
    cols.tx.push(tx);
    cols.T.push(T);
    cols.zbar.push(zbar);
  }
  return cols;
}

/**
 * The 1/10 sample's transaction log as order histories: one order per log row at noon UTC, its dollars
 * as one line without cost. Calibration ends 1997-09-30, the holdout 1998-06-30.
 */
export function readCdnowHistories(): CustomerHistory[] {
  const byCustomer = new Map<string, CustomerHistory>();
  let seq = 0;
  for (const row of readFileSync(`${CDNOW_DIR}CDNOW_sample.txt`, "utf8").trim().split("\n")) {
    const [, id, date, , dollars] = row.trim().split(/\s+/);
    const processedAt = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T12:00:00Z`);
    let h = byCustomer.get(id);
    if (!h) {
      h = { customerId: id, createdAt: processedAt, acceptsMarketing: false, orders: [] };
      byCustomer.set(id, h);
    }
    h.orders.push({
      id: `cdnow-${++seq}`,
      processedAt,
      cancelled: false,
      lines: [{ quantity: 1, unitPrice: Number(dollars), compareAtPrice: null, unitCost: null, discountAllocated: 0 }],
      discountCodes: [],
      hasAutomaticDiscount: false,
      totalDiscounts: 0,
      refunded: 0,
    });
  }
  return [...byCustomer.values()];
}

export const CDNOW_CALIBRATION_END = new Date("1997-09-30T23:59:59.999Z");
export const CDNOW_HOLDOUT_END = new Date("1998-06-30T23:59:59.999Z");
