import { BarChart, LineChart } from "@shopify/polaris-viz";
import { Box, SkeletonBodyText } from "@shopify/polaris";
import { useSyncExternalStore } from "react";
import { GROUP_LABELS } from "./labels";
import type { Accuracy } from "./accuracy";
import type { GroupStat, Movement } from "./shape";

// Polaris Viz measures the DOM (window, ResizeObserver) while rendering, so charts
// render only in the browser; the server sends a placeholder of the same height.
const subscribe = () => () => {};
function useInBrowser(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

const CHART_HEIGHT = "260px";

function ClientChart({ children, label }: { children: () => React.ReactNode; label: string }) {
  const inBrowser = useInBrowser();
  return (
    <div style={{ height: CHART_HEIGHT }} aria-label={label} role="figure">
      {inBrowser ? (
        children()
      ) : (
        <Box paddingBlockStart="400">
          <SkeletonBodyText lines={6} />
        </Box>
      )}
    </div>
  );
}

const percent = (value: string | number | null) => (value === null ? "" : `${Math.round(Number(value))}%`);

export function ShareChart({ groups }: { groups: GroupStat[] }) {
  const series = (name: string, pick: (g: GroupStat) => number | null) => ({
    name,
    data: groups.map((g) => ({ key: GROUP_LABELS[g.group], value: Math.round(1000 * (pick(g) ?? 0)) / 10 })),
  });
  return (
    <ClientChart label="Share of customers, revenue and gross margin by group">
      {() => (
        <BarChart
          data={[series("Customers", (g) => g.customerShare), series("Revenue", (g) => g.revenueShare), series("Gross margin", (g) => g.marginShare)]}
          yAxisOptions={{ labelFormatter: percent }}
          tooltipOptions={{ valueFormatter: (v) => percent(v) }}
        />
      )}
    </ClientChart>
  );
}

export function MovementChart({ weekly }: { weekly: Movement["weekly"] }) {
  const week = (iso: string | number | null) =>
    iso === null ? "" : new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
  return (
    <ClientChart label="Customers moving into valued and into at risk, per week">
      {() => (
        <LineChart
          data={[
            { name: "Into valued", data: weekly.map((w) => ({ key: w.weekStart, value: w.intoValued })) },
            { name: "Into at risk", data: weekly.map((w) => ({ key: w.weekStart, value: w.intoAtRisk })) },
          ]}
          xAxisOptions={{ labelFormatter: week }}
          yAxisOptions={{ integersOnly: true }}
        />
      )}
    </ClientChart>
  );
}

type Calibration = Extract<Accuracy, { state: "measured" }>["calibration"];

/** Mean holdout purchases per customer, forecast and actual, by repeat purchases before the holdout. */
export function CalibrationChart({ rows }: { rows: Calibration }) {
  const round = (v: number) => Math.round(v * 100) / 100;
  return (
    <ClientChart label="Forecast and actual purchases per customer in the weeks checked, by repeat purchases before them">
      {() => (
        <BarChart
          data={[
            { name: "Forecast", data: rows.map((r) => ({ key: r.label, value: round(r.predicted) })) },
            { name: "Actual", data: rows.map((r) => ({ key: r.label, value: round(r.actual) })) },
          ]}
          xAxisOptions={{ labelFormatter: (v) => `${v ?? ""} repeat` }}
        />
      )}
    </ClientChart>
  );
}

export function MonthlyMovementChart({ monthly }: { monthly: Movement["monthly"] }) {
  const month = (key: string | number | null) =>
    key === null ? "" : new Date(`${key}-01T00:00:00Z`).toLocaleDateString(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });
  return (
    <ClientChart label="Customers moving into valued, and from volume to valued, per month">
      {() => (
        <BarChart
          data={[
            { name: "Into valued", data: monthly.map((m) => ({ key: m.month, value: m.intoValued })) },
            { name: "Volume → valued", data: monthly.map((m) => ({ key: m.month, value: m.volumeToValued })) },
          ]}
          xAxisOptions={{ labelFormatter: month }}
          yAxisOptions={{ integersOnly: true }}
        />
      )}
    </ClientChart>
  );
}
