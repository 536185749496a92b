/** Rows of the governance tables to records and back (JSON columns, 0/1 booleans, BIGINT strings). */
import type { BudgetRecord, CredentialRecord, KeyRecord, LedgerEntry, TeamRecord } from '../records.js';
import type { SqlRow, SqlValue } from './sql-adapter.js';

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const json = <T>(value: unknown, fallback: T): T => (typeof value === 'string' && value.length > 0 ? (JSON.parse(value) as T) : fallback);
const jsonOrNull = <T>(value: unknown): T | null => (typeof value === 'string' && value.length > 0 ? (JSON.parse(value) as T) : null);

export function keyFromRow(row: SqlRow): KeyRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    keyHash: String(row.key_hash),
    keyPrefix: String(row.key_prefix),
    teamId: strOrNull(row.team_id),
    owner: strOrNull(row.owner),
    metadata: json(row.metadata, {}),
    expiresAt: numOrNull(row.expires_at),
    enabled: num(row.enabled) === 1,
    revokedAt: numOrNull(row.revoked_at),
    allowedModels: jsonOrNull(row.allowed_models),
    allowedRoutes: jsonOrNull(row.allowed_routes),
    defaultRoute: strOrNull(row.default_route),
    defaultConfig: strOrNull(row.default_config),
    limits: json(row.limits, {}),
    modelLimits: json(row.model_limits, {}),
    credentials: json(row.credentials, []),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

/** Column values of a key, by column name. */
export function keyColumns(key: Partial<KeyRecord>): Record<string, SqlValue> {
  const columns: Record<string, SqlValue> = {};
  const set = (column: string, value: SqlValue | undefined): void => {
    if (value !== undefined) columns[column] = value;
  };
  set('id', key.id);
  set('name', key.name);
  set('key_hash', key.keyHash);
  set('key_prefix', key.keyPrefix);
  set('team_id', key.teamId);
  set('owner', key.owner);
  set('metadata', key.metadata && JSON.stringify(key.metadata));
  set('expires_at', key.expiresAt);
  set('enabled', key.enabled === undefined ? undefined : key.enabled ? 1 : 0);
  set('revoked_at', key.revokedAt);
  set('allowed_models', key.allowedModels === undefined ? undefined : key.allowedModels && JSON.stringify(key.allowedModels));
  set('allowed_routes', key.allowedRoutes === undefined ? undefined : key.allowedRoutes && JSON.stringify(key.allowedRoutes));
  set('default_route', key.defaultRoute);
  set('default_config', key.defaultConfig);
  set('limits', key.limits && JSON.stringify(key.limits));
  set('model_limits', key.modelLimits && JSON.stringify(key.modelLimits));
  set('credentials', key.credentials && JSON.stringify(key.credentials));
  set('created_at', key.createdAt);
  set('updated_at', key.updatedAt);
  return columns;
}

export function teamFromRow(row: SqlRow): TeamRecord {
  return { id: String(row.id), name: String(row.name), metadata: json(row.metadata, {}), limits: json(row.limits, {}), createdAt: num(row.created_at), updatedAt: num(row.updated_at) };
}

export function teamColumns(team: Partial<TeamRecord>): Record<string, SqlValue> {
  const columns: Record<string, SqlValue> = {};
  if (team.id !== undefined) columns.id = team.id;
  if (team.name !== undefined) columns.name = team.name;
  if (team.metadata !== undefined) columns.metadata = JSON.stringify(team.metadata);
  if (team.limits !== undefined) columns.limits = JSON.stringify(team.limits);
  if (team.createdAt !== undefined) columns.created_at = team.createdAt;
  if (team.updatedAt !== undefined) columns.updated_at = team.updatedAt;
  return columns;
}

export function credentialFromRow(row: SqlRow): CredentialRecord {
  return { name: String(row.name), provider: String(row.provider), ciphertext: String(row.ciphertext), metadata: json(row.metadata, {}), createdAt: num(row.created_at), updatedAt: num(row.updated_at) };
}

export function budgetFromRow(row: SqlRow): BudgetRecord {
  return {
    id: String(row.id),
    scope: String(row.scope) as BudgetRecord['scope'],
    subject: String(row.subject),
    amountNano: num(row.amount_nano),
    period: String(row.period) as BudgetRecord['period'],
    alertThresholds: json(row.alert_thresholds, []),
    enabled: num(row.enabled) === 1,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function budgetColumns(budget: Partial<BudgetRecord>): Record<string, SqlValue> {
  const columns: Record<string, SqlValue> = {};
  if (budget.id !== undefined) columns.id = budget.id;
  if (budget.scope !== undefined) columns.scope = budget.scope;
  if (budget.subject !== undefined) columns.subject = budget.subject;
  if (budget.amountNano !== undefined) columns.amount_nano = budget.amountNano;
  if (budget.period !== undefined) columns.period = budget.period;
  if (budget.alertThresholds !== undefined) columns.alert_thresholds = JSON.stringify(budget.alertThresholds);
  if (budget.enabled !== undefined) columns.enabled = budget.enabled ? 1 : 0;
  if (budget.createdAt !== undefined) columns.created_at = budget.createdAt;
  if (budget.updatedAt !== undefined) columns.updated_at = budget.updatedAt;
  return columns;
}

export const ledgerColumnNames = [
  'id', 'request_id', 'at', 'kind', 'key_id', 'team_id', 'user_id', 'provider', 'model', 'cost_nano', 'estimated', 'cache_hit', 'saved_nano',
  'prompt_tokens', 'completion_tokens', 'cached_tokens', 'cache_write_tokens', 'reasoning_tokens', 'status',
] as const;

export function ledgerValues(entry: LedgerEntry): SqlValue[] {
  return [
    entry.id, entry.requestId, entry.at, entry.kind, entry.keyId, entry.teamId, entry.userId, entry.provider, entry.model, entry.costNano,
    entry.estimated ? 1 : 0, entry.cacheHit ? 1 : 0, entry.savedNano, entry.promptTokens, entry.completionTokens, entry.cachedTokens,
    entry.cacheWriteTokens, entry.reasoningTokens, entry.status,
  ];
}

export function ledgerFromRow(row: SqlRow): LedgerEntry {
  return {
    id: String(row.id),
    requestId: String(row.request_id),
    at: num(row.at),
    kind: String(row.kind) as LedgerEntry['kind'],
    keyId: strOrNull(row.key_id),
    teamId: strOrNull(row.team_id),
    userId: strOrNull(row.user_id),
    provider: strOrNull(row.provider),
    model: strOrNull(row.model),
    costNano: numOrNull(row.cost_nano),
    estimated: num(row.estimated) === 1,
    cacheHit: num(row.cache_hit) === 1,
    savedNano: num(row.saved_nano),
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    cachedTokens: num(row.cached_tokens),
    cacheWriteTokens: num(row.cache_write_tokens),
    reasoningTokens: num(row.reasoning_tokens),
    status: num(row.status),
  };
}
