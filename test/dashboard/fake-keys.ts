/**
 * The fake admin API's virtual keys, teams and budgets, as governance keeps
 * them, shown through governance's own views: GET /admin/keys, GET
 * /admin/budgets and GET /admin/budgets/:id/status answer in the real shapes.
 */
import type { GovernanceService } from '../../src/governance/governance-service.js';
import { periodOf } from '../../src/governance/periods.js';
import type { BudgetRecord, KeyRecord, TeamRecord } from '../../src/governance/records.js';
import { budgetView, keyView, type KeyView } from '../../src/governance/views.js';
import { usdToNano } from '../../src/usage/compute-cost.js';

const day = 24 * 60 * 60_000;

export interface FakeKey extends KeyRecord {
  /** The bearer secret a client sends; the recorder maps it back to the key. */
  readonly secret: string;
}

export interface FakeBudget extends BudgetRecord {
  /** Settled spend in the current period. */
  readonly spentUsd: number;
  readonly reservedUsd: number;
}

export type BudgetStatus = Awaited<ReturnType<GovernanceService['budgetStatus']>>;

export interface FakeDirectory {
  keys: FakeKey[];
  teams: TeamRecord[];
  budgets: FakeBudget[];
}

function team(id: string, name: string, createdAt: number): TeamRecord {
  return { id, name, metadata: {}, limits: {}, createdAt, updatedAt: createdAt };
}

function key(fields: Pick<FakeKey, 'id' | 'name' | 'secret' | 'teamId' | 'owner' | 'metadata' | 'limits' | 'createdAt'> & Partial<FakeKey>): FakeKey {
  return {
    keyHash: `hash-of-${fields.secret}`,
    keyPrefix: `${fields.secret.slice(0, 10)}…`,
    expiresAt: null,
    enabled: true,
    revokedAt: null,
    allowedModels: null,
    allowedRoutes: null,
    defaultRoute: null,
    defaultConfig: null,
    modelLimits: {},
    credentials: [],
    updatedAt: fields.createdAt,
    ...fields,
  };
}

function budget(id: string, scope: 'key' | 'team', subject: string, period: BudgetRecord['period'], amountUsd: number, spentUsd: number, reservedUsd: number, createdAt: number): FakeBudget {
  return { id, scope, subject, amountNano: usdToNano(amountUsd), period, alertThresholds: [0.8], enabled: true, createdAt, updatedAt: createdAt, spentUsd, reservedUsd };
}

export function fakeDirectory(now: number): FakeDirectory {
  const teams = [team('team_support', 'support', now - 400 * day), team('team_platform', 'platform', now - 300 * day), team('team_data', 'data', now - 60 * day)];
  const keys = [
    key({
      id: 'key_support',
      name: 'support-assistant',
      secret: 'sk-sy-support',
      teamId: 'team_support',
      owner: 'maria@example.com',
      metadata: { environment: 'production' },
      limits: { rpm: 600, tpm: 200_000, max_concurrent: 20 },
      createdAt: now - 42 * day,
    }),
    key({
      id: 'key_search',
      name: 'search-indexer',
      secret: 'sk-sy-search',
      teamId: 'team_platform',
      owner: 'devon@example.com',
      metadata: { environment: 'production', service: 'indexer' },
      limits: { rpm: 1200, tpm: 1_000_000, max_concurrent: 50 },
      expiresAt: now + 60 * day,
      createdAt: now - 120 * day,
    }),
    key({ id: 'key_notebooks', name: 'analytics-notebooks', secret: 'sk-sy-notebooks', teamId: 'team_data', owner: 'sam@example.com', metadata: {}, limits: { rpm: 60 }, createdAt: now - 9 * day }),
    key({ id: 'key_evals', name: 'ci-evals', secret: 'sk-sy-evals', teamId: 'team_platform', owner: null, metadata: { environment: 'ci' }, limits: { max_concurrent: 4 }, enabled: false, createdAt: now - 200 * day }),
    key({
      id: 'key_legacy',
      name: 'legacy-chatbot',
      secret: 'sk-sy-legacy',
      teamId: 'team_support',
      owner: 'maria@example.com',
      metadata: {},
      limits: { rpm: 100, tpm: 50_000, max_concurrent: 5 },
      revokedAt: now - 30 * day,
      createdAt: now - 400 * day,
    }),
  ];
  const budgets = [
    budget('bud_support_month', 'key', 'key_support', 'monthly', 250, 118.42, 3.1, now - 42 * day),
    budget('bud_support_day', 'key', 'key_support', 'daily', 20, 17.6, 0.4, now - 42 * day),
    budget('bud_platform_month', 'team', 'team_platform', 'monthly', 1000, 1012.5, 0, now - 300 * day),
    budget('bud_data_week', 'team', 'team_data', 'weekly', 50, 12.9, 0, now - 60 * day),
    budget('bud_legacy_lifetime', 'key', 'key_legacy', 'lifetime', 500, 212.07, 0, now - 400 * day),
  ];
  return { keys, teams, budgets };
}

export function fakeKeyView(directory: FakeDirectory, fake: FakeKey): KeyView {
  const { secret: _secret, ...record } = fake;
  return keyView(
    record,
    directory.teams.find((candidate) => candidate.id === fake.teamId),
    directory.budgets.filter((candidate) => candidate.scope === 'key' && candidate.subject === fake.id),
  );
}

export function fakeBudgetStatus(fake: FakeBudget, now: number): BudgetStatus {
  const period = periodOf(fake.period, now, 'UTC');
  return {
    budget: budgetView(fake),
    subject: fake.subject,
    period_start: new Date(period.start).toISOString(),
    period_end: period.end === null ? null : new Date(period.end).toISOString(),
    spent_usd: fake.spentUsd,
    ledger_spent_usd: fake.spentUsd,
    reserved_usd: fake.reservedUsd,
    remaining_usd: Math.max(0, fake.amountNano / 1e9 - fake.spentUsd - fake.reservedUsd),
  };
}
