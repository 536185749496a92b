/** Time-bucketed aggregates for the overview. */
import type { AdminClient } from './client.js';
import type { Analytics, AnalyticsBucket, Bucket, Dimension, WireAnalytics, WireAnalyticsBucket } from './types.js';
import { time } from './wire-values.js';

export interface AnalyticsQuery {
  from: number;
  to: number;
  bucket: Bucket;
  groupBy?: Dimension;
}

/** The wire bucket with its ISO start as epoch ms; a bucket whose start cannot be read is dropped. */
export function toAnalyticsBucket(wire: WireAnalyticsBucket): AnalyticsBucket | undefined {
  const start = time(wire.start);
  return start === null ? undefined : { ...wire, start };
}

export async function getAnalytics(client: AdminClient, query: AnalyticsQuery, signal?: AbortSignal): Promise<Analytics> {
  const answer = await client.getJson<WireAnalytics>('/admin/analytics', { from: query.from, to: query.to, bucket: query.bucket, group_by: query.groupBy }, signal);
  return { buckets: (answer.buckets ?? []).map(toAnalyticsBucket).filter((bucket): bucket is AnalyticsBucket => bucket !== undefined) };
}
