/** Tokens by kind and what the request cost. */
import type { LogDetail } from '../api/types';
import { formatCost, formatCount } from '../format';

export function UsageSummary({ record }: { record: LogDetail }) {
  const prompt = record.prompt_tokens ?? 0;
  const completion = record.completion_tokens ?? 0;
  const total = prompt + completion;
  const promptShare = total > 0 ? (prompt / total) * 100 : 0;
  return (
    <div class="usage-summary" data-testid="usage-summary">
      <div class="usage-cost">
        <span class="stat-label">Cost</span>
        <span class="stat-value">{record.cost_usd === null ? 'Unpriced' : formatCost(record.cost_usd)}</span>
        <span class="stat-hint">{record.cost_usd === null ? 'No price is known for this model' : record.cost_estimated ? 'Estimated from counted tokens' : 'From the provider’s usage'}</span>
      </div>
      <div class="token-split" aria-hidden="true">
        <span class="token-prompt" style={{ width: `${promptShare}%` }} />
        <span class="token-completion" style={{ width: `${100 - promptShare}%` }} />
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
