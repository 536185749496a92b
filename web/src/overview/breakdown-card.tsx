/** Requests, errors, latency, tokens and cost per model, provider, key or team over the same time window. */
import { useState } from 'preact/hooks';
import { getAnalytics } from '../api/analytics';
import { getDirectory, type Directory } from '../api/keys';
import type { Dimension } from '../api/types';
import { Card } from '../components/card';
import { SegmentedControl, type Segment } from '../components/segmented-control';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { formatCost, formatCount, formatDuration, formatPercent } from '../format';
import { useAdminClient } from '../hooks/admin-client-context';
import { useResource } from '../hooks/use-resource';
import { groupTotals } from './summarize';
import type { TimeWindow } from './time-range';

const dimensions: readonly Segment<Dimension>[] = [
  { value: 'model', label: 'Model' },
  { value: 'provider', label: 'Provider' },
  { value: 'key', label: 'Key' },
  { value: 'team', label: 'Team' },
];

export function BreakdownCard({ timeWindow }: { timeWindow: TimeWindow }) {
  const client = useAdminClient();
  const [dimension, setDimension] = useState<Dimension>('model');
  const breakdown = useResource(async (signal) => {
    // Keys and teams are grouped by id: their names come from the keys API, when it answers.
    const [analytics, directory] = await Promise.all([
      getAnalytics(client, { from: timeWindow.from, to: timeWindow.to, bucket: timeWindow.bucket, groupBy: dimension }, signal),
      dimension === 'key' || dimension === 'team' ? getDirectory(client, signal).catch((): Directory | undefined => undefined) : undefined,
    ]);
    const names = dimension === 'key' ? directory?.keys : dimension === 'team' ? directory?.teams : undefined;
    return groupTotals(analytics.buckets).map((row) => ({ ...row, id: row.group, label: names?.get(row.group) ?? row.group }));
  }, [client, timeWindow, dimension]);
  const dimensionLabel = dimensions.find((entry) => entry.value === dimension)!.label as string;

  let body;
  if (breakdown.state === 'error') body = <ErrorState error={breakdown.error} what="The breakdown" onRetry={breakdown.reload} />;
  else if (!breakdown.data) body = <LoadingState label="Loading breakdown…" />;
  else if (breakdown.data.length === 0) body = <EmptyState title="No requests in this range">Requests made through the gateway show up here, grouped by {dimensionLabel.toLowerCase()}.</EmptyState>;
  else
    body = (
      <div class="table-scroll">
        <table class="table" data-testid="breakdown-table">
          <thead>
            <tr>
              <th>{dimensionLabel}</th>
              <th class="align-end">Requests</th>
              <th class="align-end">Error rate</th>
              <th class="align-end">p50</th>
              <th class="align-end">p95</th>
              <th class="align-end">Tokens in / out</th>
              <th class="align-end">Cost</th>
            </tr>
          </thead>
          <tbody>
            {breakdown.data.map((row) => (
              <tr key={row.id}>
                <td class="cell-primary cell-truncate" title={row.id}>
                  {row.label}
                </td>
                <td class="align-end">
                  <div class="share-cell">
                    {formatCount(row.requests)}
                    <span class="share-bar" title={`${formatPercent(row.share)} of requests`}>
                      <span style={{ width: `${Math.max(2, row.share * 100)}%` }} />
                    </span>
                  </div>
                </td>
                <td class="align-end">
                  <span class={row.errorRate && row.errorRate >= 0.05 ? 'text-danger' : undefined}>{formatPercent(row.errorRate)}</span>
                </td>
                <td class="align-end">{formatDuration(row.p50Ms)}</td>
                <td class="align-end">{formatDuration(row.p95Ms)}</td>
                <td class="align-end muted">
                  {formatCount(row.promptTokens)} / {formatCount(row.completionTokens)}
                </td>
                <td class="align-end cell-primary">{formatCost(row.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <Card flush title="Breakdown" description="Over the selected range" actions={<SegmentedControl<Dimension> label="Group by" segments={dimensions} value={dimension} onChange={setDimension} />} data-testid="breakdown">
      {body}
    </Card>
  );
}
