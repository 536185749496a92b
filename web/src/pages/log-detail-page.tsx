/** One request: who made it, where it went, what it cost, and its bodies when stored. */
import { getDirectory } from '../api/keys';
import { getLog } from '../api/logs';
import type { LogDetail } from '../api/types';
import { Card } from '../components/card';
import { CopyButton } from '../components/copy-button';
import { Icon } from '../components/icons';
import { JsonView } from '../components/json-view';
import { Link } from '../components/link';
import { StatusBadge } from '../components/status-badge';
import { ErrorState, LoadingState } from '../components/states';
import { AttemptTimeline } from '../detail/attempt-timeline';
import { GuardrailTable } from '../detail/guardrail-table';
import { UsageSummary } from '../detail/usage-summary';
import { formatDuration, formatFullDate } from '../format';
import { useAdminClient } from '../hooks/admin-client-context';
import { useResource } from '../hooks/use-resource';

function Value({ children }: { children: string | number | null | undefined }) {
  return children === null || children === undefined || children === '' ? <span class="faint">—</span> : <>{children}</>;
}

function Summary({ record, teamName }: { record: LogDetail; teamName: string | undefined }) {
  const entries: [string, string | number | null][] = [
    ['Started', formatFullDate(record.started_at)],
    ['Latency', formatDuration(record.latency_ms)],
    ['Time to first token', record.ttft_ms === null ? null : formatDuration(record.ttft_ms)],
    ['Provider', record.provider],
    ['Model requested', record.model_requested],
    ['Model served', record.model_served],
    ['Route', record.route],
    ['Key', record.key_name ? `${record.key_name}${record.key_id ? ` (${record.key_id})` : ''}` : record.key_id],
    ['Team', teamName && record.team_id ? `${teamName} (${record.team_id})` : record.team_id],
    ['User', record.user_id],
    ['Endpoint', record.endpoint ? `${record.method} ${record.endpoint}` : null],
    ['Cache', record.cache_status],
    ['Trace', record.trace_id],
    ['Error', record.error_code ? `${record.error_code}${record.error_message ? `: ${record.error_message}` : ''}` : record.error_message],
  ];
  return (
    <dl class="details" data-testid="request-summary">
      {entries.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            <Value>{value}</Value>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Metadata({ metadata }: { metadata: Record<string, string> | null }) {
  const entries = Object.entries(metadata ?? {});
  if (entries.length === 0) return <p class="muted">No metadata was attached to this request.</p>;
  return (
    <div class="chips">
      {entries.map(([name, value]) => (
        <span class="chip" key={name}>
          <span class="chip-name">{name}</span>
          <span class="chip-value">{value}</span>
        </span>
      ))}
    </div>
  );
}

export function LogDetailPage({ id }: { id: string }) {
  const client = useAdminClient();
  const record = useResource((signal) => getLog(client, id, signal), [client, id]);
  // The log keeps the team's id; its name comes from the keys API, when that answers.
  const directory = useResource((signal) => getDirectory(client, signal).catch(() => undefined), [client]);
  const back = (
    <Link to="/logs" class="back-link">
      <Icon name="arrowLeft" size={14} /> Logs
    </Link>
  );

  if (record.state === 'error') {
    return (
      <div class="page">
        {back}
        <div class="card">
          <ErrorState error={record.error} what="This request" onRetry={record.reload} />
        </div>
      </div>
    );
  }
  if (!record.data) {
    return (
      <div class="page">
        {back}
        <div class="card">
          <LoadingState label="Loading the request…" />
        </div>
      </div>
    );
  }

  const data = record.data;
  return (
    <div class="page" data-testid="log-detail-page">
      {back}
      <header class="page-header">
        <div class="page-header-text">
          <div class="title-row">
            <h1>{data.model_served ?? data.model_requested ?? 'Request'}</h1>
            <StatusBadge status={data.status} />
            {data.streamed ? <span class="badge">stream</span> : null}
            {data.cost_estimated ? <span class="badge">estimated cost</span> : null}
          </div>
          <p class="muted mono request-id">{data.id}</p>
        </div>
        <div class="page-actions">
          <CopyButton text={data.id} label="Copy id" />
        </div>
      </header>
      <div class="grid detail-grid">
        <Card title="Request">
          <Summary record={data} teamName={data.team_id ? directory.data?.teams.get(data.team_id) : undefined} />
        </Card>
        <Card title="Tokens and cost">
          <UsageSummary record={data} />
        </Card>
      </div>
      <Card title="Attempts" description={`${data.attempts.length} attempt${data.attempts.length === 1 ? '' : 's'} across the route`}>
        <AttemptTimeline attempts={data.attempts} />
      </Card>
      <Card flush title="Guardrails">
        <GuardrailTable guardrails={data.guardrails} />
      </Card>
      <Card title="Metadata">
        <Metadata metadata={data.metadata} />
      </Card>
      <div class="grid grid-two">
        <JsonView title="Request" value={data.request_body} bodyMode={data.body_mode} />
        <JsonView title="Response" value={data.response_body} bodyMode={data.body_mode} />
      </div>
    </div>
  );
}
