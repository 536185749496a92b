/** Virtual keys, their limits, and how much of each budget is used. */
import { listKeys } from '../api/keys';
import { Icon } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { StatCard } from '../components/stat-card';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { formatCount } from '../format';
import { useAdminClient } from '../hooks/admin-client-context';
import { useResource } from '../hooks/use-resource';
import { KeyCard } from '../keys/key-card';
import { highestUse, keyStatus } from '../keys/key-status';

export function KeysPage() {
  const client = useAdminClient();
  const keys = useResource((signal) => listKeys(client, signal), [client]);
  const now = Date.now();

  let body;
  if (keys.state === 'error') {
    body = (
      <div class="card">
        <ErrorState error={keys.error} what="Keys" onRetry={keys.reload} />
      </div>
    );
  } else if (!keys.data) {
    body = (
      <div class="card">
        <LoadingState label="Loading keys…" />
      </div>
    );
  } else if (keys.data.length === 0) {
    body = (
      <div class="card">
        <EmptyState icon="keys" title="No keys yet">
          Virtual keys created through the admin API appear here, with their limits and budgets.
        </EmptyState>
      </div>
    );
  } else {
    const active = keys.data.filter((key) => keyStatus(key, now) === 'active').length;
    const nearLimit = keys.data.filter((key) => highestUse(key) >= 0.8).length;
    const budgeted = keys.data.filter((key) => key.budgets.length > 0).length;
    body = (
      <>
        <div class="grid grid-stats">
          <StatCard label="Keys" value={formatCount(keys.data.length)} hint={`${formatCount(keys.data.length - active)} inactive`} />
          <StatCard label="Active" value={formatCount(active)} hint="Enabled, not revoked or expired" />
          <StatCard label="With a budget" value={formatCount(budgeted)} hint={`${formatCount(keys.data.length - budgeted)} uncapped`} />
          <StatCard label="Near a limit" value={formatCount(nearLimit)} hint="80% or more of a budget" tone={nearLimit > 0 ? 'danger' : undefined} />
        </div>
        <div class="key-list">
          {keys.data.map((key) => (
            <KeyCard key={key.id} keyView={key} now={now} />
          ))}
        </div>
      </>
    );
  }

  return (
    <div class="page" data-testid="keys-page">
      <PageHeader title="Keys" description="Virtual keys, their rate limits, and spend against their budgets.">
        <button type="button" class="button" onClick={keys.reload} disabled={keys.state === 'loading'}>
          <Icon name="refresh" size={14} />
          Refresh
        </button>
      </PageHeader>
      {body}
    </div>
  );
}
