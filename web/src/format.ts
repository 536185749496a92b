/** How numbers, money, durations and times read across the dashboard. */

const integer = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const dollars = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Math.abs(value) >= 100_000 ? compact.format(value) : integer.format(value);
}

/** Dollars with enough digits to show small per-request costs. */
export function formatCost(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '$0.00';
  const size = Math.abs(value);
  if (size >= 1_000_000) return `$${compact.format(value)}`;
  if (size >= 0.1) return `$${dollars.format(value)}`;
  if (size >= 0.01) return `$${value.toFixed(3)}`;
  if (size >= 0.0001) return `$${value.toFixed(5)}`;
  return `$${value.toPrecision(2)}`;
}

export function formatDuration(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined) return '—';
  if (milliseconds === 0) return '0 ms';
  if (milliseconds < 1) return '<1 ms';
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(milliseconds / 60_000)} m ${Math.round((milliseconds % 60_000) / 1000)} s`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  const percent = ratio * 100;
  if (percent === 0) return '0%';
  if (percent < 0.1) return '<0.1%';
  return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Time of day for today's records, date and time for older ones. */
export function formatTimestamp(epochMs: number, now = Date.now()): string {
  const sameDay = new Date(epochMs).toDateString() === new Date(now).toDateString();
  return sameDay ? timeOfDay.format(epochMs) : dayAndTime.format(epochMs);
}

export function formatFullDate(epochMs: number | null | undefined): string {
  return epochMs === null || epochMs === undefined ? '—' : fullDate.format(epochMs);
}

export function formatRelative(epochMs: number, now = Date.now()): string {
  const seconds = Math.round((epochMs - now) / 1000);
  const size = Math.abs(seconds);
  const phrase = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  const amount =
    size < 60 ? phrase(size, 'second') : size < 3600 ? phrase(Math.round(size / 60), 'minute') : size < 86_400 ? phrase(Math.round(size / 3600), 'hour') : phrase(Math.round(size / 86_400), 'day');
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}
