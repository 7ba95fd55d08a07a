/**
 * Analyse a Shopify orders export from the command line:
 *   npx tsx app/scoring/analyze.ts --orders orders_export.csv [--products products_export.csv]
 *     [--as-of YYYY-MM-DD] [--preset balanced] [--default-margin 0.5] [--json]
 * Exit codes: 0 done, 2 bad arguments or bad input, 1 anything else.
 */
import { createReadStream } from "node:fs";
import { pathToFileURL } from "node:url";
import { scoreShop } from "./index";
import { computePersonas } from "../personas/persona";
import { describeExportError, parseOrdersExport, parseProductsExport, type ProductCost } from "../orders/export";
import { PRESET_NAMES, type PresetName } from "./presets";
import { buildReport, formatReport, type AnalysisReport } from "./report";

export interface CliOptions {
  orders: string;
  products: string | null;
  asOf: Date | null;
  preset: PresetName;
  defaultMarginRate: number;
  json: boolean;
}

export type ParsedArgs = { ok: true; options: CliOptions } | { ok: false; message: string };

const USAGE =
  "usage: analyze --orders orders_export.csv [--products products_export.csv] [--as-of YYYY-MM-DD] " +
  `[--preset ${PRESET_NAMES.join("|")}] [--default-margin 0.5] [--json]`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options: CliOptions = {
    orders: "",
    products: null,
    asOf: null,
    preset: "balanced",
    defaultMarginRate: 0.5,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--json") {
      options.json = true;
      continue;
    }
    const value = argv[i + 1];
    if (!["--orders", "--products", "--as-of", "--preset", "--default-margin"].includes(flag)) {
      return { ok: false, message: `unknown argument ${flag}\n${USAGE}` };
    }
    if (value === undefined || value.startsWith("--")) return { ok: false, message: `${flag} needs a value\n${USAGE}` };
    i++;
    if (flag === "--orders") options.orders = value;
    else if (flag === "--products") options.products = value;
    else if (flag === "--as-of") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T23:59:59Z`))) {
        return { ok: false, message: `--as-of must be a date YYYY-MM-DD` };
      }
      options.asOf = new Date(`${value}T23:59:59Z`);
    } else if (flag === "--preset") {
      if (!(PRESET_NAMES as readonly string[]).includes(value)) {
        return { ok: false, message: `--preset must be one of ${PRESET_NAMES.join(", ")}` };
      }
      options.preset = value as PresetName;
    } else {
      const rate = Number(value);
      if (!Number.isFinite(rate) || rate < 0 || rate > 1) return { ok: false, message: "--default-margin must be between 0 and 1" };
      options.defaultMarginRate = rate;
    }
  }
  if (options.orders === "") return { ok: false, message: `--orders is required\n${USAGE}` };
  return { ok: true, options };
}

export type AnalysisOutcome = { ok: true; report: AnalysisReport } | { ok: false; message: string };

type Source = AsyncIterable<string | Uint8Array>;

/** Everything but the file system: sources in, report out. */
export async function analyze(
  orders: Source,
  products: Source | null,
  options: Omit<CliOptions, "orders" | "products" | "json">,
): Promise<AnalysisOutcome> {
  let costs = new Map<string, ProductCost>();
  if (products !== null) {
    const parsed = await parseProductsExport(products);
    if (!parsed.ok) return { ok: false, message: describeExportError(parsed.error) };
    costs = parsed.value;
  }
  const parsed = await parseOrdersExport(orders, costs);
  if (!parsed.ok) return { ok: false, message: describeExportError(parsed.error) };
  const { histories, stats } = parsed.value;
  // Without --as-of: the end of the latest order's day as the export writes it (the shop's day).
  let latestDay: number | null = null;
  for (const h of histories) for (const o of h.orders) if (o.day !== undefined && (latestDay === null || o.day > latestDay)) latestDay = o.day;
  const asOf = options.asOf ?? (latestDay === null ? new Date(0) : new Date((latestDay + 1) * 86_400_000 - 1000));
  const scores = scoreShop(histories, {
    asOf,
    preset: options.preset,
    defaultMarginRate: options.defaultMarginRate,
  });
  const groupOf = new Map(scores.customers.map((c) => [c.customerId, c.group]));
  // An orders export knows email consent (Accepts Marketing) but not SMS consent.
  const personas = computePersonas(
    histories.flatMap((h) => {
      const group = groupOf.get(h.customerId);
      return group === undefined ? [] : [{ group, emailSubscribed: h.acceptsMarketing, smsSubscribed: null, orders: h.orders }];
    }),
    asOf,
  );
  return { ok: true, report: buildReport(scores, stats, { asOf, defaultMarginRate: options.defaultMarginRate, personas }) };
}

function openFile(path: string): Promise<Source | string> {
  return new Promise((resolve) => {
    const stream = createReadStream(path);
    stream.once("open", () => resolve(stream));
    stream.once("error", (e: NodeJS.ErrnoException) => resolve(`cannot read ${path}: ${e.code ?? "error"}`));
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.ok) {
    process.stderr.write(`error: ${args.message}\n`);
    return 2;
  }
  const { options } = args;
  const orders = await openFile(options.orders);
  if (typeof orders === "string") {
    process.stderr.write(`error: ${orders}\n`);
    return 2;
  }
  const products = options.products === null ? null : await openFile(options.products);
  if (typeof products === "string") {
    process.stderr.write(`error: ${products}\n`);
    return 2;
  }
  const outcome = await analyze(orders, products, options);
  if (!outcome.ok) {
    process.stderr.write(`error: ${outcome.message}\n`);
    return 2;
  }
  process.stdout.write(options.json ? `${JSON.stringify(outcome.report, null, 2)}\n` : `${formatReport(outcome.report)}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
