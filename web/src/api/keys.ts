/**
 * Virtual keys and their budgets. The one place that knows the keys API's
 * field names: if the wire shape changes, only `toKeyView` changes.
 */
import type { AdminClient } from './client';
import type { Budget, BudgetPeriod, BudgetScope, KeyView } from './types';

type Wire = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function amount(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function time(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Wire).map(([name, entry]) => [name, String(entry)]));
}

const scopes: readonly BudgetScope[] = ['key', 'team', 'user'];
const periods: readonly BudgetPeriod[] = ['day', 'week', 'month', 'lifetime'];

function toBudget(wire: Wire): Budget {
  const scope = scopes.find((candidate) => candidate === wire.scope) ?? 'key';
  const period = periods.find((candidate) => candidate === wire.period) ?? 'lifetime';
  return {
    scope,
    period,
    limitUsd: amount(wire.limit_usd) ?? 0,
    spentUsd: amount(wire.spent_usd) ?? 0,
    reservedUsd: amount(wire.reserved_usd) ?? 0,
    resetsAt: time(wire.resets_at),
  };
}

export function toKeyView(wire: Wire): KeyView {
  const limits = (wire.limits ?? {}) as Wire;
  const budgets = Array.isArray(wire.budgets) ? (wire.budgets as Wire[]) : [];
  return {
    id: String(wire.id),
    name: text(wire.name) ?? String(wire.id),
    teamId: text(wire.team_id),
    owner: text(wire.owner),
    enabled: wire.enabled !== false,
    revoked: wire.revoked === true,
    expiresAt: time(wire.expires_at),
    createdAt: time(wire.created_at),
    metadata: stringRecord(wire.metadata),
    limits: { rpm: amount(limits.rpm), tpm: amount(limits.tpm), maxConcurrent: amount(limits.max_concurrent) },
    budgets: budgets.map(toBudget),
  };
}

export async function listKeys(client: AdminClient, signal?: AbortSignal): Promise<KeyView[]> {
  const page = await client.getJson<{ data?: Wire[] }>('/admin/keys', undefined, signal);
  return (page.data ?? []).map(toKeyView);
}
