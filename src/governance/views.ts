/** Records as the admin API and the CLI show them: snake_case, ISO times, USD amounts; never a secret. */
import { formatUsd } from '../usage/compute-cost.js';
import type { BudgetRecord, CredentialRecord, KeyRecord, TeamRecord } from './records.js';

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

export function budgetView(budget: BudgetRecord) {
  return {
    id: budget.id,
    scope: budget.scope,
    subject: budget.subject,
    amount_usd: Number(formatUsd(budget.amountNano)),
    period: budget.period,
    alert_thresholds: budget.alertThresholds,
    enabled: budget.enabled,
    created_at: iso(budget.createdAt),
    updated_at: iso(budget.updatedAt),
  };
}

export function keyView(key: KeyRecord, team: TeamRecord | undefined, budgets: readonly BudgetRecord[]) {
  return {
    id: key.id,
    name: key.name,
    key_prefix: key.keyPrefix,
    team_id: key.teamId,
    team: team?.name ?? null,
    owner: key.owner,
    metadata: key.metadata,
    expires_at: iso(key.expiresAt),
    enabled: key.enabled,
    revoked_at: iso(key.revokedAt),
    status: key.revokedAt !== null ? 'revoked' : !key.enabled ? 'disabled' : 'active',
    models: key.allowedModels,
    routes: key.allowedRoutes,
    default_route: key.defaultRoute,
    default_config: key.defaultConfig,
    limits: key.limits,
    model_limits: key.modelLimits,
    credentials: key.credentials,
    budgets: budgets.map(budgetView),
    created_at: iso(key.createdAt),
    updated_at: iso(key.updatedAt),
  };
}
export type KeyView = ReturnType<typeof keyView>;

export function teamView(team: TeamRecord, budgets: readonly BudgetRecord[]) {
  return { id: team.id, name: team.name, metadata: team.metadata, limits: team.limits, budgets: budgets.map(budgetView), created_at: iso(team.createdAt), updated_at: iso(team.updatedAt) };
}

export function credentialView(credential: CredentialRecord) {
  return { name: credential.name, provider: credential.provider, metadata: credential.metadata, created_at: iso(credential.createdAt), updated_at: iso(credential.updatedAt) };
}
