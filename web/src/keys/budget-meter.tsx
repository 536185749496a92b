/** One budget: spent and reserved against its limit, and when it resets. */
import type { Budget } from '../api/types';
import { UsageBar, usageTone } from '../components/usage-bar';
import { formatCost, formatPercent, formatRelative } from '../format';

const periodLabel: Record<Budget['period'], string> = { day: 'Daily', week: 'Weekly', month: 'Monthly', lifetime: 'Lifetime' };

function resets(budget: Budget): string {
  if (budget.resetsAt) return `resets ${formatRelative(budget.resetsAt)}`;
  return budget.period === 'lifetime' ? 'never resets' : '';
}

export function BudgetMeter({ budget }: { budget: Budget }) {
  const spent = budget.spentUsd ?? 0;
  const ratio = budget.limitUsd > 0 ? spent / budget.limitUsd : 0;
  const tone = usageTone(ratio);
  return (
    <div class="budget" data-testid="budget" data-budget-id={budget.id}>
      <div class="budget-line">
        <span class="budget-name">
          {periodLabel[budget.period]} <span class="faint">· {budget.scope} budget</span>
        </span>
        <span class={`budget-ratio${tone === 'normal' ? '' : ` text-${tone}`}`}>{budget.spentUsd === null ? '—' : formatPercent(ratio)}</span>
      </div>
      <UsageBar used={spent} reserved={budget.reservedUsd} limit={budget.limitUsd} label={`${periodLabel[budget.period]} ${budget.scope} budget`} />
      <div class="budget-line faint">
        <span>
          {budget.spentUsd === null ? (
            <span title="The gateway did not report this budget's spend">{formatCost(budget.limitUsd)} limit · spend unknown</span>
          ) : (
            <>
              <span class="budget-spent">{formatCost(budget.spentUsd)}</span> of {formatCost(budget.limitUsd)}
              {budget.reservedUsd > 0 ? ` · ${formatCost(budget.reservedUsd)} reserved` : ''}
            </>
          )}
        </span>
        <span>{resets(budget)}</span>
      </div>
    </div>
  );
}
