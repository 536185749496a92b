/** The four charts: requests (with errors), cost, latency percentiles, error rate. */
import { useMemo } from 'preact/hooks';
import { Card } from '../components/card';
import { TimeSeriesChart, type ChartSeries } from '../components/time-series-chart';
import { formatCost, formatCount, formatDuration, formatPercent } from '../format';
import type { Theme } from '../theme';
import type { Timeline, Totals } from './summarize';

const axisPercent = (ratio: number) => formatPercent(ratio);
const axisCount = (value: number) => formatCount(Math.round(value * 100) / 100);

export function OverviewCharts({ timeline, totals, stepSeconds, theme }: { timeline: Timeline; totals: Totals; stepSeconds: number; theme: Theme }) {
  const requestSeries = useMemo<ChartSeries[]>(
    () => [
      { label: 'Requests', values: timeline.requests, color: 0 },
      { label: 'Errors', values: timeline.errors, color: 1 },
    ],
    [timeline],
  );
  const costSeries = useMemo<ChartSeries[]>(() => [{ label: 'Cost', values: timeline.cost, color: 2 }], [timeline]);
  const latencySeries = useMemo<ChartSeries[]>(
    () => [
      { label: 'p50', values: timeline.p50, color: 0 },
      { label: 'p95', values: timeline.p95, color: 3 },
    ],
    [timeline],
  );
  const errorSeries = useMemo<ChartSeries[]>(() => [{ label: 'Error rate', values: timeline.errorRate, color: 1 }], [timeline]);
  const common = { timestamps: timeline.timestamps, theme, step: stepSeconds };

  return (
    <div class="grid grid-charts">
      <Card class="chart-card" title="Requests" actions={<span class="chart-headline">{formatCount(totals.requests)}</span>}>
        <TimeSeriesChart {...common} label="Requests and errors over time" kind="bars" series={requestSeries} formatValue={axisCount} />
      </Card>
      <Card class="chart-card" title="Cost" actions={<span class="chart-headline">{formatCost(totals.costUsd)}</span>}>
        <TimeSeriesChart {...common} label="Cost over time" kind="bars" series={costSeries} formatValue={formatCost} />
      </Card>
      <Card class="chart-card" title="Latency" actions={<span class="chart-headline">p95 {formatDuration(totals.p95Ms)}</span>}>
        <TimeSeriesChart {...common} label="p50 and p95 latency over time" kind="lines" series={latencySeries} formatValue={formatDuration} />
      </Card>
      <Card class="chart-card" title="Error rate" actions={<span class="chart-headline">{formatPercent(totals.errorRate)}</span>}>
        <TimeSeriesChart {...common} label="Error rate over time" kind="lines" series={errorSeries} formatValue={axisPercent} />
      </Card>
    </div>
  );
}
