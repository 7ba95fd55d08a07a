import { BarChart, LineChart } from "@shopify/polaris-viz";
import { Box, SkeletonBodyText } from "@shopify/polaris";
import { useSyncExternalStore } from "react";
import { useFormat } from "../i18n/useFormat";
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

export function ShareChart({ groups }: { groups: GroupStat[] }) {
  const { t, f } = useFormat();
  const percent = (value: string | number | null) => (value === null ? "" : f.percent(Number(value) / 100));
  const series = (name: string, pick: (g: GroupStat) => number | null) => ({
    name,
    data: groups.map((g) => ({ key: t(`groups.${g.group}`), value: Math.round(1000 * (pick(g) ?? 0)) / 10 })),
  });
  return (
    <ClientChart label={t("dashboard.charts.shareLabel")}>
      {() => (
        <BarChart
          data={[
            series(t("dashboard.charts.customers"), (g) => g.customerShare),
            series(t("dashboard.charts.revenue"), (g) => g.revenueShare),
            series(t("dashboard.charts.grossMargin"), (g) => g.marginShare),
          ]}
          yAxisOptions={{ labelFormatter: percent }}
          tooltipOptions={{ valueFormatter: (v) => percent(v) }}
        />
      )}
    </ClientChart>
  );
}

export function MovementChart({ weekly }: { weekly: Movement["weekly"] }) {
  const { t, f } = useFormat();
  const week = (iso: string | number | null) => (iso === null ? "" : f.day(String(iso)));
  return (
    <ClientChart label={t("dashboard.charts.weeklyLabel")}>
      {() => (
        <LineChart
          data={[
            { name: t("dashboard.charts.intoValued"), data: weekly.map((w) => ({ key: w.weekStart, value: w.intoValued })) },
            { name: t("dashboard.charts.intoAtRisk"), data: weekly.map((w) => ({ key: w.weekStart, value: w.intoAtRisk })) },
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
  const { t } = useFormat();
  const round = (v: number) => Math.round(v * 100) / 100;
  return (
    <ClientChart label={t("dashboard.charts.calibrationLabel")}>
      {() => (
        <BarChart
          data={[
            { name: t("dashboard.charts.forecast"), data: rows.map((r) => ({ key: r.label, value: round(r.predicted) })) },
            { name: t("dashboard.charts.actual"), data: rows.map((r) => ({ key: r.label, value: round(r.actual) })) },
          ]}
          xAxisOptions={{ labelFormatter: (v) => t("dashboard.charts.repeat", { repeats: String(v ?? "") }) }}
        />
      )}
    </ClientChart>
  );
}

export function MonthlyMovementChart({ monthly }: { monthly: Movement["monthly"] }) {
  const { t, f } = useFormat();
  const month = (key: string | number | null) => (key === null ? "" : f.month(String(key), "short"));
  return (
    <ClientChart label={t("dashboard.charts.monthlyLabel")}>
      {() => (
        <BarChart
          data={[
            { name: t("dashboard.charts.intoValued"), data: monthly.map((m) => ({ key: m.month, value: m.intoValued })) },
            { name: t("dashboard.charts.volumeToValued"), data: monthly.map((m) => ({ key: m.month, value: m.volumeToValued })) },
          ]}
          xAxisOptions={{ labelFormatter: month }}
          yAxisOptions={{ integersOnly: true }}
        />
      )}
    </ClientChart>
  );
}
