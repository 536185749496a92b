/** The request log as a table; a row opens the request's detail. */
import type { LogRow } from '../api/types';
import { StatusBadge } from '../components/status-badge';
import { formatCost, formatCount, formatDuration, formatFullDate, formatTimestamp } from '../format';
import { navigate } from '../router';

function Tokens({ row }: { row: LogRow }) {
  if (row.prompt_tokens === null && row.completion_tokens === null) return <span class="faint">—</span>;
  return (
    <span title={`${formatCount(row.prompt_tokens)} prompt, ${formatCount(row.completion_tokens)} completion`}>
      {formatCount(row.prompt_tokens ?? 0)} <span class="faint">→</span> {formatCount(row.completion_tokens ?? 0)}
    </span>
  );
}

function Cost({ row }: { row: LogRow }) {
  if (row.cost_unpriced) return <span class="faint" title="No price is known for this model">unpriced</span>;
  if (row.cost_usd === null) return <span class="faint">—</span>;
  return <span title={row.cost_estimated ? 'Estimated from counted tokens' : undefined}>{`${row.cost_estimated ? '~' : ''}${formatCost(row.cost_usd)}`}</span>;
}

function Flags({ row }: { row: LogRow }) {
  return (
    <span class="row-flags">
      {row.streamed ? <span class="badge">stream</span> : null}
      {row.cache_status === 'HIT' || row.cache_status === 'SEMANTIC_HIT' ? <span class="badge badge-accent">cache</span> : null}
      {row.attempt_count > 1 ? <span class="badge badge-warning" title={row.fallback ? 'Fell back to another target' : 'Retried'}>{row.attempt_count} attempts</span> : null}
    </span>
  );
}

/** The requested model when it is not the served one (`openai/gpt-4o` served as `gpt-4o` by openai is the same model). */
function requestedOther(row: LogRow, served: string): boolean {
  const requested = row.model_requested;
  return requested !== null && requested !== served && requested !== `${row.provider}/${served}`;
}

export function LogTable({ rows, fresh }: { rows: readonly LogRow[]; fresh: ReadonlySet<string> }) {
  return (
    <div class="table-scroll">
      <table class="table table-rows-link" data-testid="log-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Status</th>
            <th>Model</th>
            <th>Provider</th>
            <th>Key</th>
            <th class="align-end">Latency</th>
            <th class="align-end">Tokens</th>
            <th class="align-end">Cost</th>
            <th>
              <span class="visually-hidden">Flags</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const model = row.model_served ?? row.model_requested ?? '—';
            const open = () => navigate(`/logs/${encodeURIComponent(row.id)}`);
            return (
              <tr
                key={row.id}
                class={fresh.has(row.id) ? 'row-new' : undefined}
                data-log-id={row.id}
                tabIndex={0}
                onClick={open}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') open();
                }}
              >
                <td class="muted" title={formatFullDate(row.started_at)}>
                  {formatTimestamp(row.started_at)}
                </td>
                <td>
                  <StatusBadge status={row.status} />
                </td>
                <td class="cell-truncate" title={model}>
                  <span class="cell-primary">{model}</span>
                  {requestedOther(row, model) ? <span class="cell-note">requested {row.model_requested}</span> : null}
                </td>
                <td>{row.provider ?? <span class="faint">—</span>}</td>
                <td class="cell-truncate">{row.key_name ?? row.key_id ?? <span class="faint">—</span>}</td>
                <td class="align-end">{formatDuration(row.latency_ms)}</td>
                <td class="align-end">
                  <Tokens row={row} />
                </td>
                <td class="align-end cell-primary">
                  <Cost row={row} />
                </td>
                <td>
                  <Flags row={row} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
