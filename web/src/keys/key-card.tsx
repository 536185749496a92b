/** A virtual key: who holds it, its rate limits, and its budgets. */
import type { KeyView } from '../api/types';
import { formatCount, formatFullDate, formatRelative } from '../format';
import { BudgetMeter } from './budget-meter';
import { keyStatus, statusBadgeClass } from './key-status';

function Limit({ label, value }: { label: string; value: number | null }) {
  return (
    <div class="limit">
      <dt>{label}</dt>
      <dd>{value === null ? <span class="faint">No limit</span> : formatCount(value)}</dd>
    </div>
  );
}

export function KeyCard({ keyView, now }: { keyView: KeyView; now: number }) {
  const status = keyStatus(keyView, now);
  const metadata = Object.entries(keyView.metadata);
  return (
    <article class="card key-card" data-testid="key-card" data-key-id={keyView.id}>
      <div class="key-identity">
        <div class="title-row">
          <h2>{keyView.name}</h2>
          <span class={statusBadgeClass[status]}>{status}</span>
        </div>
        <code class="faint">
          {keyView.id}
          {keyView.keyPrefix ? ` · ${keyView.keyPrefix}` : ''}
        </code>
        <dl class="key-facts">
          <div>
            <dt>Team</dt>
            <dd title={keyView.teamId ?? undefined}>{keyView.teamName ?? keyView.teamId ?? <span class="faint">—</span>}</dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd>{keyView.owner ?? <span class="faint">—</span>}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd title={formatFullDate(keyView.createdAt)}>{keyView.createdAt ? formatRelative(keyView.createdAt, now) : '—'}</dd>
          </div>
          <div>
            <dt>Expires</dt>
            <dd title={formatFullDate(keyView.expiresAt)}>{keyView.expiresAt ? formatRelative(keyView.expiresAt, now) : 'Never'}</dd>
          </div>
        </dl>
        {metadata.length > 0 ? (
          <div class="chips">
            {metadata.map(([name, value]) => (
              <span class="chip" key={name}>
                <span class="chip-name">{name}</span>
                <span class="chip-value">{value}</span>
              </span>
            ))}
          </div>
        ) : null}
      </div>
      <div class="key-limits">
        <h3 class="section-label">Limits</h3>
        <dl class="limit-list">
          <Limit label="Requests per minute" value={keyView.limits.rpm} />
          <Limit label="Tokens per minute" value={keyView.limits.tpm} />
          <Limit label="Concurrent requests" value={keyView.limits.maxConcurrent} />
        </dl>
      </div>
      <div class="key-budgets">
        <h3 class="section-label">Budgets</h3>
        {keyView.budgets.length === 0 ? <p class="muted">No budget: spend is not capped.</p> : keyView.budgets.map((budget) => <BudgetMeter key={budget.id} budget={budget} />)}
      </div>
    </article>
  );
}
