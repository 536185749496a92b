/**
 * The operations of the admin API and the CLI on keys, teams, credentials,
 * budgets and usage, over the store. After every change the instances are
 * told (the local copy reloads, and in shared mode a Redis message reaches
 * the others at once; the revision poll is the fallback).
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../api/errors.js';
import { nanoToUsd, usdToNano } from '../usage/compute-cost.js';
import type { CounterStore } from './counters/counter-types.js';
import { MasterKeyError, type CredentialCipher } from './credential-cipher.js';
import { displayPrefix, generateSecret, hashSecret, type RandomBytes } from './key-secret.js';
import { periodOf } from './periods.js';
import type { BudgetCreate, BudgetRecord, BudgetScope, BudgetUpdate, CredentialCreate, KeyCreate, KeyRecord, KeyUpdate, TeamCreate, TeamRecord, TeamUpdate, UsageQuery, UsageRow } from './records.js';
import type { GovernanceStore } from './store/governance-store.js';
import { budgetView, credentialView, keyView, teamView, type KeyView } from './views.js';

export interface ChangeNotice {
  /** Set when a key stopped being usable (revoked, disabled, deleted). */
  readonly revokedKeyHash?: string;
}

export interface GovernanceServiceOptions {
  readonly store: GovernanceStore;
  readonly cipher: CredentialCipher | undefined;
  /** Why there is no cipher, for the error when a credential is stored. */
  readonly cipherProblem?: string;
  readonly timeZone: string;
  readonly clock?: () => number;
  readonly random?: RandomBytes;
  readonly newId?: () => string;
  /** Tells the instances about a change. */
  readonly notify?: (notice: ChangeNotice) => Promise<void>;
  /** For budget status (spent and reserved now). */
  readonly counters?: CounterStore;
}

const dayMs = 24 * 3600_000;

function notFound(what: string, id: string): GatewayError {
  return new GatewayError('not_found', { message: `No ${what} '${id}'.` });
}

function badRequest(message: string, param: string | null = null): GatewayError {
  return new GatewayError('invalid_request', { message, param });
}

function parseTime(value: string | number, param: string): number {
  const at = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(at)) throw badRequest(`${param}: not a date`, param);
  return at;
}

export class GovernanceService {
  private readonly clock: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: GovernanceServiceOptions) {
    this.clock = options.clock ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  get store(): GovernanceStore {
    return this.options.store;
  }

  private async notify(notice: ChangeNotice = {}): Promise<void> {
    await this.options.notify?.(notice);
  }

  // Keys

  private async resolveTeam(team: string | null | undefined): Promise<string | null | undefined> {
    if (team === undefined || team === null) return team;
    const found = await this.store.getTeam(team);
    if (found) return found.id;
    const created = await this.createTeamRecord({ name: team });
    return created.id;
  }

  private async checkCredentials(names: readonly string[] | undefined): Promise<void> {
    for (const name of names ?? []) if (!(await this.store.getCredential(name))) throw badRequest(`No provider credential named '${name}'.`, 'credentials');
  }

  private async viewKey(key: KeyRecord): Promise<KeyView> {
    const team = key.teamId ? await this.store.getTeam(key.teamId) : undefined;
    return keyView(key, team, await this.store.listBudgets({ scope: 'key', subject: key.id }));
  }

  /** Returns the key and its secret, which is shown this once and stored only as a hash. */
  async createKey(input: KeyCreate): Promise<{ key: KeyView; secret: string }> {
    await this.checkCredentials(input.credentials);
    const teamId = (await this.resolveTeam(input.team)) ?? null;
    const secret = generateSecret(this.options.random);
    const now = this.clock();
    const key: KeyRecord = {
      id: `key_${this.newId().replace(/-/g, '').slice(0, 20)}`,
      name: input.name,
      keyHash: hashSecret(secret),
      keyPrefix: displayPrefix(secret),
      teamId,
      owner: input.owner ?? null,
      metadata: input.metadata ?? {},
      expiresAt: input.expires_at === undefined || input.expires_at === null ? null : parseTime(input.expires_at, 'expires_at'),
      enabled: input.enabled ?? true,
      revokedAt: null,
      allowedModels: input.models ?? null,
      allowedRoutes: input.routes ?? null,
      defaultRoute: input.default_route ?? null,
      defaultConfig: input.default_config ?? null,
      limits: input.limits ?? {},
      modelLimits: input.model_limits ?? {},
      credentials: input.credentials ?? [],
      createdAt: now,
      updatedAt: now,
    };
    // Budgets first: an instance that sees the key (its next reload) then sees its budgets too.
    for (const budget of input.budgets ?? []) await this.insertBudget({ ...budget, scope: 'key', subject: key.id }, true);
    await this.store.insertKey(key);
    await this.notify();
    return { key: await this.viewKey(key), secret };
  }

  async listKeys(filter: { team?: string; includeRevoked?: boolean } = {}): Promise<KeyView[]> {
    const teamId = filter.team ? ((await this.store.getTeam(filter.team))?.id ?? filter.team) : undefined;
    const keys = await this.store.listKeys({ teamId, includeRevoked: filter.includeRevoked });
    return Promise.all(keys.map((key) => this.viewKey(key)));
  }

  async getKey(id: string): Promise<KeyView> {
    const key = await this.store.getKey(id);
    if (!key) throw notFound('key', id);
    return this.viewKey(key);
  }

  async updateKey(id: string, input: KeyUpdate): Promise<KeyView> {
    const existing = await this.store.getKey(id);
    if (!existing) throw notFound('key', id);
    await this.checkCredentials(input.credentials);
    const patch: Partial<KeyRecord> = {
      name: input.name,
      teamId: await this.resolveTeam(input.team),
      owner: input.owner,
      metadata: input.metadata,
      expiresAt: input.expires_at === undefined ? undefined : input.expires_at === null ? null : parseTime(input.expires_at, 'expires_at'),
      enabled: input.enabled,
      allowedModels: input.models,
      allowedRoutes: input.routes,
      defaultRoute: input.default_route,
      defaultConfig: input.default_config,
      limits: input.limits,
      modelLimits: input.model_limits,
      credentials: input.credentials,
      updatedAt: this.clock(),
    };
    const updated = (await this.store.updateKey(id, patch))!;
    await this.notify(updated.enabled ? {} : { revokedKeyHash: updated.keyHash });
    return this.viewKey(updated);
  }

  async revokeKey(id: string): Promise<KeyView> {
    const existing = await this.store.getKey(id);
    if (!existing) throw notFound('key', id);
    const now = this.clock();
    const updated = existing.revokedAt === null ? (await this.store.updateKey(id, { revokedAt: now, updatedAt: now }))! : existing;
    await this.notify({ revokedKeyHash: existing.keyHash });
    return this.viewKey(updated);
  }

  // Teams

  private async createTeamRecord(input: { name: string; metadata?: Record<string, string>; limits?: TeamRecord['limits'] }): Promise<TeamRecord> {
    if (await this.store.getTeam(input.name)) throw new GatewayError('invalid_request', { message: `A team named '${input.name}' exists.`, param: 'name' });
    const now = this.clock();
    const team: TeamRecord = { id: `team_${this.newId().replace(/-/g, '').slice(0, 16)}`, name: input.name, metadata: input.metadata ?? {}, limits: input.limits ?? {}, createdAt: now, updatedAt: now };
    await this.store.insertTeam(team);
    return team;
  }

  async createTeam(input: TeamCreate): Promise<ReturnType<typeof teamView>> {
    const team = await this.createTeamRecord(input);
    for (const budget of input.budgets ?? []) await this.insertBudget({ ...budget, scope: 'team', subject: team.id });
    await this.notify();
    return this.getTeam(team.id);
  }

  async listTeams(): Promise<ReturnType<typeof teamView>[]> {
    const teams = await this.store.listTeams();
    return Promise.all(teams.map(async (team) => teamView(team, await this.store.listBudgets({ scope: 'team', subject: team.id }))));
  }

  async getTeam(idOrName: string): Promise<ReturnType<typeof teamView>> {
    const team = await this.store.getTeam(idOrName);
    if (!team) throw notFound('team', idOrName);
    return teamView(team, await this.store.listBudgets({ scope: 'team', subject: team.id }));
  }

  async updateTeam(idOrName: string, input: TeamUpdate): Promise<ReturnType<typeof teamView>> {
    const team = await this.store.getTeam(idOrName);
    if (!team) throw notFound('team', idOrName);
    await this.store.updateTeam(team.id, { name: input.name, metadata: input.metadata, limits: input.limits, updatedAt: this.clock() });
    await this.notify();
    return this.getTeam(team.id);
  }

  async deleteTeam(idOrName: string): Promise<{ deleted: true; id: string }> {
    const team = await this.store.getTeam(idOrName);
    if (!team) throw notFound('team', idOrName);
    if ((await this.store.listKeys({ teamId: team.id })).length > 0) throw badRequest(`The team '${team.name}' still has active keys: revoke or move them first.`);
    await this.store.deleteTeam(team.id);
    await this.notify();
    return { deleted: true, id: team.id };
  }

  // Credentials

  async putCredential(input: CredentialCreate): Promise<ReturnType<typeof credentialView>> {
    const cipher = this.options.cipher;
    if (!cipher) throw new GatewayError('invalid_request', { message: this.options.cipherProblem ?? new MasterKeyError('SWITCHYARD_MASTER_KEY is not set.').message });
    const now = this.clock();
    const existing = await this.store.getCredential(input.name);
    const record = { name: input.name, provider: input.provider, ciphertext: cipher.seal(input.name, input.api_key), metadata: input.metadata ?? {}, createdAt: existing?.createdAt ?? now, updatedAt: now };
    await this.store.upsertCredential(record);
    await this.notify();
    return credentialView(record);
  }

  async listCredentials(): Promise<ReturnType<typeof credentialView>[]> {
    return (await this.store.listCredentials()).map(credentialView);
  }

  async deleteCredential(name: string): Promise<{ deleted: true; name: string }> {
    const users = (await this.store.listKeys()).filter((key) => key.credentials.includes(name));
    if (users.length > 0) throw badRequest(`The credential '${name}' is used by ${users.map((key) => key.id).join(', ')}.`);
    if (!(await this.store.deleteCredential(name))) throw notFound('credential', name);
    await this.notify();
    return { deleted: true, name };
  }

  // Budgets

  private async subjectOf(scope: BudgetScope, subject: string): Promise<string> {
    if (scope === 'key') {
      if (!(await this.store.getKey(subject))) throw badRequest(`No key '${subject}'.`, 'subject');
      return subject;
    }
    if (scope === 'team') {
      const team = await this.store.getTeam(subject);
      if (!team) throw badRequest(`No team '${subject}'.`, 'subject');
      return team.id;
    }
    return subject;
  }

  /** `trusted`: the subject is known to be right (a key being created), so it is not looked up. */
  private async insertBudget(input: BudgetCreate, trusted = false): Promise<BudgetRecord> {
    const now = this.clock();
    const budget: BudgetRecord = {
      id: `bud_${this.newId().replace(/-/g, '').slice(0, 16)}`,
      scope: input.scope,
      subject: trusted ? input.subject : await this.subjectOf(input.scope, input.subject),
      amountNano: usdToNano(input.amount_usd),
      period: input.period,
      alertThresholds: [...input.alert_thresholds].sort((a, b) => a - b),
      enabled: input.enabled,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.insertBudget(budget);
    return budget;
  }

  async createBudget(input: BudgetCreate): Promise<ReturnType<typeof budgetView>> {
    const budget = await this.insertBudget(input);
    await this.notify();
    return budgetView(budget);
  }

  async listBudgets(filter: { scope?: BudgetScope; subject?: string } = {}): Promise<ReturnType<typeof budgetView>[]> {
    return (await this.store.listBudgets(filter)).map(budgetView);
  }

  async updateBudget(id: string, input: BudgetUpdate): Promise<ReturnType<typeof budgetView>> {
    if (!(await this.store.getBudget(id))) throw notFound('budget', id);
    const updated = await this.store.updateBudget(id, {
      amountNano: input.amount_usd === undefined ? undefined : usdToNano(input.amount_usd),
      period: input.period,
      alertThresholds: input.alert_thresholds && [...input.alert_thresholds].sort((a, b) => a - b),
      enabled: input.enabled,
      updatedAt: this.clock(),
    });
    await this.notify();
    return budgetView(updated!);
  }

  async deleteBudget(id: string): Promise<{ deleted: true; id: string }> {
    if (!(await this.store.deleteBudget(id))) throw notFound('budget', id);
    await this.notify();
    return { deleted: true, id };
  }

  /** The current period of a budget: settled spend (ledger), what the counters hold, and what is left. */
  async budgetStatus(id: string, user?: string) {
    const budget = await this.store.getBudget(id);
    if (!budget) throw notFound('budget', id);
    if (budget.subject === '*' && !user) throw badRequest('A budget for every end user needs ?user= to show one user.', 'user');
    const subject = budget.subject === '*' ? user! : budget.subject;
    const now = this.clock();
    const period = periodOf(budget.period, now, this.options.timeZone);
    const ledgerNano = await this.store.sumSpent({ scope: budget.scope, subject, from: period.start, to: period.end });
    const counterKey = `b:${budget.id}${budget.subject === '*' ? `:u:${subject}` : ''}:${period.key}`;
    const live = await this.options.counters?.budgetState(counterKey, now).catch(() => undefined);
    const spentNano = Math.max(ledgerNano, live?.spentNano ?? 0);
    return {
      budget: budgetView(budget),
      subject,
      period_start: new Date(period.start).toISOString(),
      period_end: period.end === null ? null : new Date(period.end).toISOString(),
      spent_usd: nanoToUsd(spentNano),
      ledger_spent_usd: nanoToUsd(ledgerNano),
      reserved_usd: nanoToUsd(live?.reservedNano ?? 0),
      remaining_usd: nanoToUsd(Math.max(0, budget.amountNano - spentNano - (live?.reservedNano ?? 0))),
    };
  }

  // Usage

  async usage(query: UsageQuery): Promise<{ from: string; to: string; group_by: UsageQuery['group_by']; rows: UsageRow[] }> {
    const to = query.to === undefined ? this.clock() + 1 : parseTime(query.to, 'to');
    const from = query.from === undefined ? to - 30 * dayMs : parseTime(query.from, 'from');
    const teamId = query.team ? ((await this.store.getTeam(query.team))?.id ?? query.team) : undefined;
    const rows = await this.store.usage({ groupBy: query.group_by, from, to, keyId: query.key, teamId, userId: query.user });
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: query.group_by, rows };
  }
}
