/**
 * A time series drawn by uPlot on a canvas: bars for counts, lines for rates
 * and latencies. Redrawn when its data or the theme changes, resized with
 * its container.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTimestamp } from '../format';
import type { Theme } from '../theme';
import { readChartPalette, withAlpha } from './chart-palette';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Index into the theme's chart colors. */
  color: number;
}

export interface TimeSeriesChartProps {
  /** Epoch seconds, one per bucket. */
  timestamps: number[];
  series: ChartSeries[];
  kind: 'bars' | 'lines';
  formatValue(value: number): string;
  theme: Theme;
  height?: number;
  /** The bucket width in seconds (bars are sized and padded to it). */
  step: number;
  label: string;
}

/**
 * Values with no neighbour to draw a line to (a single busy bucket, or one
 * between gaps): a line chart shows them as dots, or they would not show at all.
 */
function isolatedPoints(plot: uPlot, seriesIndex: number): number[] | null {
  const values = plot.data[seriesIndex] ?? [];
  const lone: number[] = [];
  for (let index = 0; index < values.length; index += 1) {
    if (values[index] === null || values[index] === undefined) continue;
    const before = index > 0 ? values[index - 1] : null;
    const after = index < values.length - 1 ? values[index + 1] : null;
    if ((before === null || before === undefined) && (after === null || after === undefined)) lone.push(index);
  }
  return lone.length > 0 ? lone : null;
}

function yRange(_plot: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  return [0, max !== null && max > 0 ? max * 1.12 : 1];
}

export function TimeSeriesChart({ timestamps, series, kind, formatValue, theme, height = 200, step, label }: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const palette = readChartPalette();
    const axis = { stroke: palette.axis, font: palette.font, grid: { stroke: palette.grid, width: 1 }, ticks: { show: false }, gap: 6 };
    const bars = uPlot.paths.bars?.({ size: [0.72, 28], gap: 1 });
    const first = timestamps[0] ?? 0;
    const last = timestamps[timestamps.length - 1] ?? first;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height,
      padding: [10, 8, 0, 0],
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7, fill: (plot, index) => String(plot.series[index]?.stroke ?? '') } },
      legend: { show: true, live: true },
      hooks: { setLegend: [(self) => (element.dataset.pointing = String(self.legend.idx !== null && self.legend.idx !== undefined))] },
      scales: {
        x: { time: true, range: kind === 'bars' ? () => [first - step / 2, last + step / 2] : undefined },
        y: { range: yRange },
      },
      axes: [
        { ...axis, space: 70 },
        { ...axis, size: 64, values: (_plot, splits) => splits.map((value) => formatValue(value)) },
      ],
      series: [
        { label: 'Time', value: (_plot, value) => (value === null || value === undefined ? '—' : formatTimestamp(value * 1000)) },
        ...series.map((entry, index): uPlot.Series => {
          const color = palette.series[entry.color % palette.series.length]!;
          return {
            label: entry.label,
            stroke: color,
            width: kind === 'bars' ? 0 : 2,
            fill: kind === 'bars' ? color : index === 0 ? withAlpha(color, 0.12) : undefined,
            paths: kind === 'bars' ? bars : undefined,
            points: kind === 'bars' ? { show: false } : { show: false, filter: isolatedPoints, size: 7, width: 2, stroke: color, fill: color },
            spanGaps: false,
            value: (_plot, value) => (value === null || value === undefined ? '—' : formatValue(value)),
          };
        }),
      ],
    };
    const plot = new uPlot(options, [timestamps, ...series.map((entry) => entry.values)] as uPlot.AlignedData, element);
    const observer = new ResizeObserver(() => {
      const width = Math.max(element.clientWidth, 200);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [timestamps, series, kind, formatValue, theme, height, step]);

  return <div class="chart" ref={container} role="img" aria-label={label} data-testid="chart" />;
}
