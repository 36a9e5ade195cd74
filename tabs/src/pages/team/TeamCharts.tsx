// The dashboard's charts; this module (and Fluent's chart library with d3) loads only when the
// team dashboard is opened.
import { DonutChart, LineChart, VerticalBarChart, type ChartDataPoint, type VerticalBarChartDataPoint } from "@fluentui/react-charts";
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { OutcomeStatus } from "../../api/types";
import { STATUS_LABEL, formatDay } from "../../components/format";
import type { WeekPoint } from "./team-data";

const useStyles = makeStyles({
  grid: { display: "grid", gap: tokens.spacingHorizontalL, gridTemplateColumns: "repeat(auto-fit, minmax(20rem, 1fr))" },
  figure: { margin: 0, display: "grid", gap: tokens.spacingVerticalS, minWidth: 0 },
});

const STATUS_COLORS: Partial<Record<OutcomeStatus, string>> = {
  proposed: tokens.colorPaletteBlueBorderActive,
  agreed: tokens.colorPaletteGreenBorderActive,
  at_risk: tokens.colorPaletteMarigoldBorderActive,
  done: tokens.colorPaletteTealBorderActive,
  missed: tokens.colorPaletteRedBorderActive,
  dropped: tokens.colorNeutralStroke1,
};

const LINES: { key: "checkIns" | "atRisk" | "ideas" | "nudges" | "coaching"; legend: string; color: string }[] = [
  { key: "checkIns", legend: "Check-ins", color: tokens.colorPaletteBlueBorderActive },
  { key: "atRisk", legend: "At risk or off track", color: tokens.colorPaletteMarigoldBorderActive },
  { key: "ideas", legend: "Ideas", color: tokens.colorPaletteGreenBorderActive },
  { key: "coaching", legend: "Coaching comments", color: tokens.colorPaletteGreenBorderActive },
  { key: "nudges", legend: "Nudges", color: tokens.colorPaletteRedBorderActive },
];

const WRAP = { enabledWrapLines: true };

/**
 * The figures a chart draws, as a table behind a disclosure: for people who do not see the chart,
 * and for anyone who wants the exact numbers.
 */
function ChartTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: (string | number)[][] }) {
  return (
    <details>
      <summary>Show as a table</summary>
      <Table aria-label={caption} size="extra-small">
        <TableHeader>
          <TableRow>
            {columns.map((c) => (
              <TableHeaderCell key={c}>{c}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={String(r[0])}>
              {r.map((v, i) => (
                <TableCell key={columns[i]}>{v}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </details>
  );
}

/** Cause categories as a heading would write them: "system" → "System". */
const causeLabel = (cause: string) => cause.charAt(0).toUpperCase() + cause.slice(1);

export interface TeamChartsProps {
  byStatus: Record<OutcomeStatus, number>;
  causes: Record<string, number> | null;
  weeks: WeekPoint[];
}

export default function TeamCharts({ byStatus, causes, weeks }: TeamChartsProps) {
  const s = useStyles();
  const statusData: ChartDataPoint[] = (Object.entries(byStatus) as [OutcomeStatus, number][])
    .filter(([, n]) => n > 0)
    .map(([status, n]) => ({ legend: STATUS_LABEL[status], data: n, color: STATUS_COLORS[status] }));
  // Only the causes reviews named: six bars, most of them empty, crowd their own labels.
  const causeData: VerticalBarChartDataPoint[] = Object.entries(causes ?? {})
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => ({ x: causeLabel(cause), y: n, legend: causeLabel(cause) }));
  const total = statusData.reduce((n, d) => n + (d.data ?? 0), 0);
  const weekLabel = (w: string) => new Date(`${w}T00:00:00Z`);
  const lines = LINES.filter((l) => weeks.some((w) => w[l.key] !== null));

  return (
    <div className={s.grid}>
      <figure className={s.figure} aria-label="Outcomes by status">
        <Text as="h3" weight="semibold">
          Outcomes by status
        </Text>
        {total > 0 ? (
          // The figure's heading names the chart; the legend wraps inside the figure rather than running under the next one.
          <>
            <DonutChart data={{ chartData: statusData }} innerRadius={55} height={220} valueInsideDonut={total} hideLabels={false} legendProps={WRAP} />
            <ChartTable caption="Outcomes by status" columns={["Status", "Outcomes"]} rows={statusData.map((d) => [d.legend ?? "", d.data ?? 0])} />
          </>
        ) : (
          <Text>No outcomes yet.</Text>
        )}
      </figure>
      <figure className={s.figure} aria-label="Week by week">
        <Text as="h3" weight="semibold">
          Week by week
        </Text>
        <LineChart
          height={220}
          legendProps={WRAP}
          data={{
            chartTitle: "Week by week",
            lineChartData: lines.map((l) => ({
              legend: l.legend,
              color: l.color,
              data: weeks.map((w) => ({ x: weekLabel(w.week), y: w[l.key] ?? 0 })),
            })),
          }}
        />
        <ChartTable caption="Week by week" columns={["Week of", ...lines.map((l) => l.legend)]} rows={weeks.map((w) => [formatDay(w.week), ...lines.map((l) => w[l.key] ?? 0)])} />
      </figure>
      {causeData.length > 0 && (
        <figure className={s.figure} aria-label="Causes named in reviews">
          <Text as="h3" weight="semibold">
            Causes named in reviews
          </Text>
          <VerticalBarChart data={causeData} height={220} hideLegend wrapXAxisLables />
          <ChartTable caption="Causes named in reviews" columns={["Cause", "Outcomes whose reviews name it"]} rows={causeData.map((d) => [String(d.x), d.y])} />
        </figure>
      )}
    </div>
  );
}
