/** One budget: spent and reserved against its limit, and when it resets. */
import type { Budget } from '../api/types';
import { UsageBar, usageTone } from '../components/usage-bar';
import { formatCost, formatPercent, formatRelative } from '../format';

const periodLabel: Record<Budget['period'], string> = { day: 'Daily', week: 'Weekly', month: 'Monthly', lifetime: 'Lifetime' };

export function BudgetMeter({ budget }: { budget: Budget }) {
  const ratio = budget.limitUsd > 0 ? budget.spentUsd / budget.limitUsd : 0;
  const tone = usageTone(ratio);
  return (
    <div class="budget" data-testid="budget">
      <div class="budget-line">
        <span class="budget-name">
          {periodLabel[budget.period]} <span class="faint">· {budget.scope} budget</span>
        </span>
        <span class={`budget-ratio${tone === 'normal' ? '' : ` text-${tone}`}`}>{formatPercent(ratio)}</span>
      </div>
      <UsageBar used={budget.spentUsd} reserved={budget.reservedUsd} limit={budget.limitUsd} label={`${periodLabel[budget.period]} ${budget.scope} budget`} />
      <div class="budget-line faint">
        <span>
          <span class="budget-spent">{formatCost(budget.spentUsd)}</span> of {formatCost(budget.limitUsd)}
          {budget.reservedUsd > 0 ? ` · ${formatCost(budget.reservedUsd)} reserved` : ''}
        </span>
        <span>{budget.resetsAt ? `resets ${formatRelative(budget.resetsAt)}` : 'never resets'}</span>
      </div>
    </div>
  );
}
