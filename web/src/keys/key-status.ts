import type { KeyView } from '../api/types';

export type KeyStatus = 'active' | 'disabled' | 'revoked' | 'expired';

export function keyStatus(key: KeyView, now: number): KeyStatus {
  if (key.revoked) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  if (!key.enabled) return 'disabled';
  return 'active';
}

export const statusBadgeClass: Record<KeyStatus, string> = {
  active: 'badge badge-success',
  disabled: 'badge',
  revoked: 'badge badge-danger',
  expired: 'badge badge-warning',
};

/** The budget closest to its limit, as a ratio of spent (and reserved) to limit. */
export function highestUse(key: KeyView): number {
  return key.budgets.reduce((highest, budget) => (budget.limitUsd > 0 ? Math.max(highest, ((budget.spentUsd ?? 0) + budget.reservedUsd) / budget.limitUsd) : highest), 0);
}
