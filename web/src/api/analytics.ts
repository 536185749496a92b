/** Time-bucketed aggregates for the overview. */
import type { AdminClient } from './client';
import type { Analytics, Bucket, Dimension } from './types';

export interface AnalyticsQuery {
  from: number;
  to: number;
  bucket: Bucket;
  groupBy?: Dimension;
}

export function getAnalytics(client: AdminClient, query: AnalyticsQuery, signal?: AbortSignal): Promise<Analytics> {
  return client.getJson<Analytics>('/admin/analytics', { from: query.from, to: query.to, bucket: query.bucket, group_by: query.groupBy }, signal);
}
