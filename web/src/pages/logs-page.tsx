/** Every request the gateway logged, filterable, with new ones arriving live. */
import { useMemo, useState } from 'preact/hooks';
import type { LogRow } from '../api/types';
import { Card } from '../components/card';
import { Icon } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useAdminClient } from '../hooks/admin-client-context';
import { emptyFilters, FilterBar, type FilterSuggestions, type Suggestion } from '../logs/filter-bar';
import { activeFilterCount, filtersToSearch, readFilters, rowMatches, toLogQuery, type LogFilters } from '../logs/log-filters';
import { LogTable } from '../logs/log-table';
import { TailToggle } from '../logs/tail-toggle';
import { useLiveTail } from '../logs/use-live-tail';
import { useLogPages } from '../logs/use-log-pages';
import { navigate } from '../router';

/** Values seen in the loaded rows, in the form the filters take: keys and teams by id, a key labelled with its name. */
function suggestionsFrom(rows: readonly LogRow[]): FilterSuggestions {
  const collect = (pick: (row: LogRow) => string | null, label?: (row: LogRow) => string | null): Suggestion[] => {
    const found = new Map<string, string | undefined>();
    for (const row of rows) {
      const value = pick(row);
      if (value && !found.has(value)) found.set(value, label?.(row) ?? undefined);
    }
    return [...found].map(([value, text]) => ({ value, label: text })).sort((a, b) => (a.label ?? a.value).localeCompare(b.label ?? b.value)).slice(0, 50);
  };
  return {
    model: collect((row) => row.model_served ?? row.model_requested),
    provider: collect((row) => row.provider),
    key: collect((row) => row.key_id, (row) => row.key_name),
    team: collect((row) => row.team_id),
  };
}

export function LogsPage({ search }: { search: URLSearchParams }) {
  const client = useAdminClient();
  const searchKey = search.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(searchKey)), [searchKey]);
  const query = useMemo(() => toLogQuery(filters, Date.now()), [filters]);
  const pages = useLogPages(client, query, searchKey);
  const [live, setLive] = useState(true);
  const tail = useLiveTail(client, live, (row) => {
    if (rowMatches(filters, row)) pages.prepend(row);
  });
  const suggestions = useMemo(() => suggestionsFrom(pages.rows), [pages.rows]);
  const filtered = activeFilterCount(filters) > 0;

  function applyFilters(next: LogFilters) {
    navigate(`/logs${filtersToSearch(next)}`, { replace: true });
  }

  let body;
  if (pages.error && pages.rows.length === 0) body = <ErrorState error={pages.error} what="The request log" onRetry={pages.reload} />;
  else if (pages.loading) body = <LoadingState label="Loading requests…" />;
  else if (pages.rows.length === 0)
    body = filtered ? (
      <EmptyState
        icon="filter"
        title="No requests match these filters"
        action={
          <button type="button" class="button button-small" onClick={() => applyFilters(emptyFilters)}>
            Clear filters
          </button>
        }
      >
        Try a wider time range or fewer filters.
      </EmptyState>
    ) : (
      <EmptyState title="No requests yet">Requests made through the gateway appear here{live ? ' as they happen' : ''}.</EmptyState>
    );
  else
    body = (
      <>
        <LogTable rows={pages.rows} fresh={pages.fresh} />
        <div class="table-footer">
          <span class="muted">
            {pages.rows.length} request{pages.rows.length === 1 ? '' : 's'} shown
          </span>
          {pages.error ? <span class="text-danger">{pages.error.message}</span> : null}
          {pages.hasMore ? (
            <button type="button" class="button button-small" onClick={pages.loadMore} disabled={pages.loadingMore}>
              {pages.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : (
            <span class="faint">End of the log</span>
          )}
        </div>
      </>
    );

  return (
    <div class="page" data-testid="logs-page">
      <PageHeader title="Logs" description="Every request through the gateway, newest first.">
        <TailToggle state={tail} enabled={live} onToggle={() => setLive((value) => !value)} />
        <button type="button" class="button" onClick={pages.reload} disabled={pages.loading}>
          <Icon name="refresh" size={14} />
          Refresh
        </button>
      </PageHeader>
      <FilterBar filters={filters} suggestions={suggestions} onChange={applyFilters} />
      <Card flush>{body}</Card>
    </div>
  );
}
