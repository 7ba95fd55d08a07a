import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { analyze, main, parseArgs } from "./analyze";
import { formatReport } from "./report";
import { readCdnowHistories } from "./testCdnow";

const path = (name: string) => fileURLToPath(new URL(`../orders/fixtures/${name}`, import.meta.url));
const fixture = (name: string) => createReadStream(path(name));
const options = { asOf: new Date("2025-06-30T23:59:59Z"), preset: "balanced" as const, defaultMarginRate: 0.5 };

function captureOutput() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("analyze CLI arguments", () => {
  it("reads every option", () => {
    const parsed = parseArgs([
      "--orders",
      "o.csv",
      "--products",
      "p.csv",
      "--as-of",
      "2025-06-30",
      "--preset",
      "luxury",
      "--default-margin",
      "0.4",
      "--json",
    ]);
    expect(parsed).toEqual({
      ok: true,
      options: {
        orders: "o.csv",
        products: "p.csv",
        asOf: new Date("2025-06-30T23:59:59Z"),
        preset: "luxury",
        defaultMarginRate: 0.4,
        json: true,
      },
    });
  });

  it("refuses missing, unknown and malformed arguments with a message", () => {
    expect(parseArgs([])).toMatchObject({ ok: false, message: expect.stringMatching(/^--orders is required/) });
    expect(parseArgs(["--orders", "o.csv", "--preset", "cheap"])).toMatchObject({ ok: false });
    expect(parseArgs(["--orders", "o.csv", "--as-of", "30/06/2025"])).toMatchObject({ ok: false });
    expect(parseArgs(["--orders", "o.csv", "--verbose"])).toMatchObject({ ok: false });
    expect(parseArgs(["--orders"])).toMatchObject({ ok: false, message: expect.stringMatching(/needs a value/) });
  });
});

describe("analyzing the fixture export", () => {
  it("labels each customer and summarises groups by revenue and margin", async () => {
    const outcome = await analyze(fixture("orders_export.csv"), fixture("products_export.csv"), options);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const { report } = outcome;
    const groups = Object.fromEntries(report.customers.map((c) => [c.customer, c.group]));
    expect(groups).toEqual({
      "ada@example.com": "valued",
      "bob@example.com": "volume",
      "cleo@example.com": "volume",
      "dan@example.com": "occasional",
      "eve@example.com": "new",
      "fay@example.com": "occasional",
    });
    expect(report.customers.find((c) => c.customer === "ada@example.com")?.vip).toBe(true);
    expect(report.model.kind).toBe("fallback");
    const shares = report.groups.reduce((s, g) => s + g.revenueShare, 0);
    expect(shares).toBeCloseTo(1, 12);
    const bob = report.customers.find((c) => c.customer === "bob@example.com")!;
    expect(bob.reasons).toContain("100% of orders used a discount (codes 100%)");
    expect(bob.reasons).toContainEqual(expect.stringMatching(/^margin 25% vs store median \d+%$/));
    const text = formatReport(report);
    expect(text).toMatch(/^Patron analysis as of 2025-06-30 \(preset balanced\)/);
    expect(text).toContain("Fallback priors (too few repeat customers; 4 repeat customers)");
    expect(report.backtest).toMatchObject({ status: "insufficient", reason: "too_few_customers" });
    expect(text).toContain("Backtest\n  not enough history yet (too few customers: needed 100, found 3)");
    expect(text).toMatch(/ {2}valued {14}1 {8}384\.00/);

    // Bob (10 orders, all with SAVE20) and Cleo (4 orders) are the volume customers; every order came from the online store.
    const volume = report.personas.groups.find((p) => p.group === "volume")!;
    expect(volume.figures).toMatchObject({ customers: 2, orders: 14, channels: { online_store: 1, pos: 0, other: 0 }, smsSubscribedShare: null });
    expect(volume.figures.discountedOrderShare).toBeGreaterThanOrEqual(10 / 14);
    expect(report.personas.overall.customers).toBe(6);
    expect(volume.summary[0]).toMatch(/^Volume customers here buy every .+, and .+ orders use a discount\.$/);
    expect(volume.summary[1]).toMatch(/^They buy mostly .+ and order mostly online\.$/);
    expect(text).toContain("Personas (this group | whole store)\n  valued: 1 customer with orders\n    Valued customers here");
    expect(text).toMatch(/\n {4}Orders with a discount +100% \| \d+%\n/);
    expect(text).toContain("    > Run a streamlined offer with guardrails: /app/campaigns/new?title=Volume+offer&audience=group%3Avolume");
  });

  it("prints one JSON document with --json and exits 0", async () => {
    const { out, err } = captureOutput();
    const code = await main(["--orders", path("orders_export.csv"), "--as-of", "2025-06-30", "--json"]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const doc = JSON.parse(out.join(""));
    expect(doc.groups.map((g: { group: string }) => g.group)).toEqual([
      "valued",
      "rising",
      "at_risk",
      "volume",
      "occasional",
      "new",
    ]);
    expect(doc.model.params.r).toBeGreaterThan(0);
    expect(doc.customers).toHaveLength(6);
    expect(doc.personas.groups.map((p: { group: string }) => p.group)).toEqual(doc.groups.map((g: { group: string }) => g.group));
    expect(doc.personas.groups[0]).toMatchObject({ group: "valued", figures: { customers: 1 }, plays: [{ id: "vip_early_access" }, { id: "thank_you_flow" }] });
  });

  it("reports the backtest and the chosen ranking with --json, here on CDNOW written as an orders export", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patron-analyze-"));
    const file = join(dir, "cdnow_orders_export.csv");
    const rows = ["Name,Email,Created at,Lineitem quantity,Lineitem price"];
    let n = 0;
    for (const h of readCdnowHistories()) {
      for (const o of h.orders) {
        const d = o.processedAt.toISOString();
        rows.push(`#${++n},c${h.customerId}@cdnow.example,${d.slice(0, 10)} 12:00:00 +0000,1,${o.lines[0].unitPrice.toFixed(2)}`);
      }
    }
    writeFileSync(file, rows.join("\n"));
    const { out, err } = captureOutput();
    expect(await main(["--orders", file, "--as-of", "1998-06-30", "--json"])).toBe(0);
    expect(err).toEqual([]);
    const doc = JSON.parse(out.join(""));
    expect(doc.backtest).toMatchObject({ status: "measured", holdoutWeeks: 39, customers: 2357 });
    expect(doc.backtest.rankers.map((r: { name: string }) => r.name)).toEqual(["bgnbd", "pareto_nbd", "blend", "past_spend", "order_count", "rfm"]);
    expect(doc.model.ranking).toEqual(doc.backtest.choice.ranking);
    expect(doc.backtest.choice.topShare).toBeGreaterThanOrEqual(doc.backtest.choice.pastSpendTopShare);
    const text = formatReport(doc);
    expect(text).toMatch(/Backtest\n {2}held out the last 39 weeks \(after 1997-09-30\), 2357 customers/);
    expect(text).toMatch(/chosen: /);
    rmSync(dir, { recursive: true });
  }, 60_000);

  it("exits 2 naming the row and column of bad input, without customer emails", async () => {
    const { out, err } = captureOutput();
    const code = await main(["--orders", path("orders_bad_price.csv")]);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join("")).toBe('error: orders export, row 3, column "Lineitem price": not a number\n');
    expect(err.join("")).not.toContain("@");
  });

  it("exits 2 for a missing column and for a file that cannot be read", async () => {
    const { err } = captureOutput();
    expect(await main(["--orders", path("orders_missing_column.csv")])).toBe(2);
    expect(await main(["--orders", path("does_not_exist.csv")])).toBe(2);
    expect(await main(["--orders", path("orders_export.csv"), "--preset", "cheap"])).toBe(2);
    expect(err[0]).toBe('error: orders export, row 1, column "Lineitem price": missing required column "Lineitem price"\n');
    expect(err[1]).toMatch(/^error: cannot read .*does_not_exist\.csv: ENOENT\n$/);
  });

  it("runs as a command and sets the exit code", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "app/scoring/analyze.ts", "--orders", path("orders_bad_price.csv")],
      { cwd: root, encoding: "utf8" },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('row 3, column "Lineitem price"');
  });
});
