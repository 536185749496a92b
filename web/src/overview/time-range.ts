/** The overview's time ranges and the bucket size each one is drawn with. */
import type { Bucket } from '../api/types';

export type RangeName = '1h' | '24h' | '7d' | '30d';

export interface RangeDefinition {
  name: RangeName;
  label: string;
  durationMs: number;
  bucket: Bucket;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export const bucketMs: Record<Bucket, number> = { minute, hour, day };

export const ranges: readonly RangeDefinition[] = [
  { name: '1h', label: 'Last hour', durationMs: hour, bucket: 'minute' },
  { name: '24h', label: 'Last 24 hours', durationMs: day, bucket: 'hour' },
  { name: '7d', label: 'Last 7 days', durationMs: 7 * day, bucket: 'hour' },
  { name: '30d', label: 'Last 30 days', durationMs: 30 * day, bucket: 'day' },
];

export function rangeNamed(name: string | null): RangeDefinition {
  return ranges.find((range) => range.name === name) ?? ranges[1]!;
}

export interface TimeWindow {
  from: number;
  to: number;
  bucket: Bucket;
  stepMs: number;
}

/** Ends at the end of the current bucket, so the latest bucket is whole on the chart. */
export function windowFor(range: RangeDefinition, now: number): TimeWindow {
  const stepMs = bucketMs[range.bucket];
  const to = Math.floor(now / stepMs) * stepMs + stepMs;
  return { from: to - range.durationMs, to, bucket: range.bucket, stepMs };
}
