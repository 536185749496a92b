/** Tokens by kind and what the request cost. */
import type { LogDetail } from '../api/types';
import { formatCost, formatCount } from '../format';

function costHint(record: LogDetail): string {
  if (record.cost_unpriced) return 'No price is known for this model';
  if (record.cost_usd === null) return 'Nothing was charged: no usage was reported';
  if (record.cost_estimated) return 'Estimated from counted tokens';
  return 'From the provider’s usage';
}

export function UsageSummary({ record }: { record: LogDetail }) {
  const prompt = record.prompt_tokens ?? 0;
  const completion = record.completion_tokens ?? 0;
  const total = prompt + completion;
  const promptShare = total > 0 ? (prompt / total) * 100 : 0;
  const completionShare = total > 0 ? 100 - promptShare : 0;
  return (
    <div class="usage-summary" data-testid="usage-summary">
      <div class="usage-cost">
        <span class="stat-label">Cost</span>
        <span class="stat-value">{record.cost_unpriced ? 'Unpriced' : formatCost(record.cost_usd)}</span>
        <span class="stat-hint">{costHint(record)}</span>
      </div>
      <div class="token-split" aria-hidden="true">
        <span class="token-prompt" style={{ width: `${promptShare}%` }} />
        <span class="token-completion" style={{ width: `${completionShare}%` }} />
      </div>
      <dl class="details details-tight">
        <div>
          <dt>
            <span class="legend-swatch token-prompt" /> Prompt
          </dt>
          <dd>{formatCount(record.prompt_tokens)}</dd>
        </div>
        <div>
          <dt>
            <span class="legend-swatch token-completion" /> Completion
          </dt>
          <dd>{formatCount(record.completion_tokens)}</dd>
        </div>
        <div>
          <dt>Cached</dt>
          <dd>{formatCount(record.cached_tokens)}</dd>
        </div>
        <div>
          <dt>Reasoning</dt>
          <dd>{formatCount(record.reasoning_tokens)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{record.prompt_tokens === null && record.completion_tokens === null ? '—' : formatCount(total)}</dd>
        </div>
      </dl>
    </div>
  );
}
