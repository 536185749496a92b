/**
 * Virtual keys and their budgets. The one place that knows the governance
 * API's field names: a key lists its own budgets, its team's come from
 * /admin/budgets, and each budget's spend this period from its status.
 */
import type { AdminClient } from './client.js';
import type { Budget, BudgetPeriod, BudgetScope, KeyView, WireBudget, WireBudgetStatus, WireKey } from './types.js';
import { amount, stringRecord, text, time } from './wire-values.js';

const scopes: readonly BudgetScope[] = ['key', 'team', 'user'];
const periods: Readonly<Record<string, BudgetPeriod>> = { daily: 'day', weekly: 'week', monthly: 'month', lifetime: 'lifetime', day: 'day', week: 'week', month: 'month' };

export function toBudget(wire: WireBudget, status?: WireBudgetStatus): Budget {
  return {
    id: String(wire.id),
    scope: scopes.find((candidate) => candidate === wire.scope) ?? 'key',
    period: periods[wire.period] ?? 'lifetime',
    limitUsd: amount(wire.amount_usd) ?? 0,
    spentUsd: status ? (amount(status.spent_usd) ?? 0) : null,
    reservedUsd: status ? (amount(status.reserved_usd) ?? 0) : 0,
    resetsAt: status ? time(status.period_end) : null,
  };
}

export function toKeyView(wire: WireKey, budgets: Budget[] = []): KeyView {
  const limits = wire.limits ?? {};
  return {
    id: String(wire.id),
    name: text(wire.name) ?? String(wire.id),
    keyPrefix: text(wire.key_prefix),
    teamId: text(wire.team_id),
    teamName: text(wire.team),
    owner: text(wire.owner),
    enabled: wire.enabled !== false,
    revoked: wire.status === 'revoked' || text(wire.revoked_at) !== null,
    expiresAt: time(wire.expires_at),
    createdAt: time(wire.created_at),
    metadata: stringRecord(wire.metadata),
    limits: { rpm: amount(limits.rpm), tpm: amount(limits.tpm), maxConcurrent: amount(limits.max_concurrent) },
    budgets,
  };
}

/** A failure that is not the caller giving up becomes `fallback`. */
function unlessAborted<T>(signal: AbortSignal | undefined, fallback: T): (error: unknown) => T {
  return (error) => {
    if (signal?.aborted) throw error;
    return fallback;
  };
}

function fetchKeys(client: AdminClient, signal?: AbortSignal): Promise<WireKey[]> {
  return client.getJson<{ data?: WireKey[] }>('/admin/keys', { include_revoked: 'true' }, signal).then((page) => page.data ?? []);
}

/**
 * Every key, revoked ones included, with the budgets that cap it (its own
 * and its team's) and their spend this period. A budget whose status cannot
 * be read shows its limit without a spend.
 */
export async function listKeys(client: AdminClient, signal?: AbortSignal): Promise<KeyView[]> {
  const [keys, teamBudgets] = await Promise.all([
    fetchKeys(client, signal),
    client
      .getJson<{ data?: WireBudget[] }>('/admin/budgets', { scope: 'team' }, signal)
      .then((page) => page.data ?? [], unlessAborted<WireBudget[]>(signal, [])),
  ]);
  const budgetsOf = (key: WireKey) => [...(key.budgets ?? []), ...teamBudgets.filter((budget) => key.team_id !== null && budget.subject === key.team_id)].filter((budget) => budget.enabled !== false);
  const unique = new Map<string, WireBudget>();
  for (const key of keys) for (const budget of budgetsOf(key)) unique.set(budget.id, budget);
  const statuses = new Map<string, WireBudgetStatus | undefined>(
    await Promise.all(
      [...unique.keys()].map(async (id) => [id, await client.getJson<WireBudgetStatus>(`/admin/budgets/${encodeURIComponent(id)}/status`, undefined, signal).catch(unlessAborted(signal, undefined))] as const),
    ),
  );
  return keys.map((key) => toKeyView(key, budgetsOf(key).map((budget) => toBudget(budget, statuses.get(budget.id)))));
}

export interface Directory {
  /** Key id → key name. */
  keys: Map<string, string>;
  /** Team id → team name. */
  teams: Map<string, string>;
}

/** Names for the ids that logs and analytics carry. */
export async function getDirectory(client: AdminClient, signal?: AbortSignal): Promise<Directory> {
  const directory: Directory = { keys: new Map(), teams: new Map() };
  for (const key of await fetchKeys(client, signal)) {
    if (key.name) directory.keys.set(key.id, key.name);
    if (key.team_id && key.team) directory.teams.set(key.team_id, key.team);
  }
  return directory;
}
