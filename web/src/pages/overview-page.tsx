/** Traffic, cost, latency and errors over a time range, and where they come from. */
import { useMemo, useState } from 'preact/hooks';
import { getAnalytics } from '../api/analytics';
import { Icon } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { SegmentedControl } from '../components/segmented-control';
import { StatCard } from '../components/stat-card';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { formatCost, formatCount, formatDuration, formatPercent } from '../format';
import { useAdminClient } from '../hooks/admin-client-context';
import { useResource } from '../hooks/use-resource';
import { BreakdownCard } from '../overview/breakdown-card';
import { OverviewCharts } from '../overview/overview-charts';
import { toTimeline, totalsOf } from '../overview/summarize';
import { rangeNamed, ranges, windowFor, type RangeName } from '../overview/time-range';
import type { Theme } from '../theme';

const rangeSegments = ranges.map((range) => ({ value: range.name, label: range.name, title: range.label }));

export function OverviewPage({ theme }: { theme: Theme }) {
  const client = useAdminClient();
  const [rangeName, setRangeName] = useState<RangeName>('24h');
  const [refreshes, setRefreshes] = useState(0);
  const range = rangeNamed(rangeName);
  const timeWindow = useMemo(() => windowFor(range, Date.now()), [range, refreshes]);
  const analytics = useResource((signal) => getAnalytics(client, { from: timeWindow.from, to: timeWindow.to, bucket: timeWindow.bucket }, signal), [client, timeWindow]);
  const buckets = analytics.data?.buckets;
  const timeline = useMemo(() => (buckets ? toTimeline(buckets, timeWindow) : undefined), [buckets, timeWindow]);
  const totals = useMemo(() => (buckets ? totalsOf(buckets) : undefined), [buckets]);

  let body;
  if (analytics.state === 'error') {
    body = (
      <div class="card">
        <ErrorState error={analytics.error} what="Analytics" onRetry={analytics.reload} />
      </div>
    );
  } else if (!timeline || !totals) {
    body = (
      <div class="card">
        <LoadingState label="Loading analytics…" />
      </div>
    );
  } else if (totals.requests === 0) {
    body = (
      <div class="card">
        <EmptyState icon="overview" title={`No requests in the ${range.label.toLowerCase()}`}>
          Send a request through the gateway, or pick a longer range.
        </EmptyState>
      </div>
    );
  } else {
    body = (
      <>
        <div class="grid grid-stats">
          <StatCard label="Requests" value={formatCount(totals.requests)} hint={`${formatCount(totals.promptTokens + totals.completionTokens)} tokens`} />
          <StatCard label="Cost" value={formatCost(totals.costUsd)} hint={totals.cacheSavingsUsd > 0 ? `${formatCost(totals.cacheSavingsUsd)} saved by cache` : `${formatCount(totals.cacheHits)} cache hits`} />
          <StatCard label="Latency p50 / p95" value={`${formatDuration(totals.p50Ms)} / ${formatDuration(totals.p95Ms)}`} hint="Request-weighted across buckets" />
          <StatCard label="Error rate" value={formatPercent(totals.errorRate)} hint={`${formatCount(totals.errors)} failed`} tone={totals.errorRate !== null && totals.errorRate >= 0.05 ? 'danger' : undefined} />
        </div>
        <OverviewCharts timeline={timeline} totals={totals} stepSeconds={timeWindow.stepMs / 1000} theme={theme} />
      </>
    );
  }

  return (
    <div class="page" data-testid="overview-page">
      <PageHeader title="Overview" description={`${range.label} of traffic through the gateway`}>
        <SegmentedControl<RangeName> label="Time range" segments={rangeSegments} value={rangeName} onChange={setRangeName} />
        <button type="button" class="button" onClick={() => setRefreshes((count) => count + 1)} disabled={analytics.state === 'loading'}>
          <Icon name="refresh" size={14} />
          Refresh
        </button>
      </PageHeader>
      {body}
      <BreakdownCard timeWindow={timeWindow} />
    </div>
  );
}
