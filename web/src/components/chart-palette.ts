/** Chart colors come from the theme's CSS variables, read when a chart is drawn. */
export interface ChartPalette {
  series: string[];
  grid: string;
  axis: string;
  font: string;
}

export function readChartPalette(): ChartPalette {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return {
    series: [read('--chart-1'), read('--chart-2'), read('--chart-3'), read('--chart-4'), read('--chart-5')],
    grid: read('--chart-grid'),
    axis: read('--chart-axis'),
    font: `11px ${read('--font-sans')}`,
  };
}

/** `#rrggbb` with an alpha channel, for area fills. */
export function withAlpha(hex: string, alpha: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return hex;
  const channel = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0');
  return `${hex}${channel}`;
}
