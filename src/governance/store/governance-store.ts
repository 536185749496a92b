/**
 * Keys, teams, credentials, budgets, the spend ledger and fired alerts, in
 * SQLite (embedded) or PostgreSQL (shared), through one SQL surface. Every
 * write to keys, teams, credentials or budgets bumps a revision number, which
 * every instance polls to reload its in-memory copy.
 */
import { migrateSqlite, type SqliteDatabase } from '../../storage/sqlite.js';
import { migratePostgres, type PostgresClient } from '../../storage/postgres.js';
import type { BudgetRecord, BudgetScope, CredentialRecord, KeyRecord, LedgerEntry, TeamRecord, UsageRow } from '../records.js';
import { budgetColumns, budgetFromRow, credentialFromRow, keyColumns, keyFromRow, ledgerColumnNames, ledgerValues, teamColumns, teamFromRow } from './row-mapping.js';
import { governanceMigrations } from './schema.js';
import { PostgresAdapter, SqliteAdapter, type SqlAdapter, type SqlValue } from './sql-adapter.js';

export interface DirectorySnapshot {
  readonly revision: number;
  /** Keys not revoked. */
  readonly keys: KeyRecord[];
  readonly teams: TeamRecord[];
  /** Enabled budgets. */
  readonly budgets: BudgetRecord[];
  readonly credentials: CredentialRecord[];
}

export interface SpendFilter {
  readonly scope: BudgetScope;
  readonly subject: string;
  readonly from: number;
  readonly to: number | null;
}

export interface UsageFilter {
  readonly groupBy: 'key' | 'team' | 'user' | 'model' | 'day';
  readonly from: number;
  readonly to: number;
  readonly keyId?: string;
  readonly teamId?: string;
  readonly userId?: string;
}

const scopeColumn: Record<BudgetScope, string> = { key: 'key_id', team: 'team_id', user: 'user_id' };
const groupColumn: Record<Exclude<UsageFilter['groupBy'], 'day'>, string> = { key: 'key_id', team: 'team_id', user: 'user_id', model: "provider || '/' || model" };

function insertSql(table: string, columns: Record<string, SqlValue>): [string, SqlValue[]] {
  const names = Object.keys(columns);
  return [`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, Object.values(columns)];
}

function updateSql(table: string, idColumn: string, id: string, columns: Record<string, SqlValue>): [string, SqlValue[]] {
  const names = Object.keys(columns);
  return [`UPDATE ${table} SET ${names.map((name) => `${name} = ?`).join(', ')} WHERE ${idColumn} = ?`, [...Object.values(columns), id]];
}

export class GovernanceStore {
  constructor(readonly adapter: SqlAdapter, private readonly migrateWith: () => Promise<void>) {}

  static sqlite(database: SqliteDatabase): GovernanceStore {
    return new GovernanceStore(new SqliteAdapter(database), async () => migrateSqlite(database, 'governance', governanceMigrations));
  }

  static postgres(sql: PostgresClient): GovernanceStore {
    return new GovernanceStore(new PostgresAdapter(sql), () => migratePostgres(sql, 'governance', governanceMigrations));
  }

  get kind(): 'sqlite' | 'postgres' {
    return this.adapter.dialect;
  }

  migrate(): Promise<void> {
    return this.migrateWith();
  }

  async revision(): Promise<number> {
    const rows = await this.adapter.all("SELECT value FROM gov_meta WHERE name = 'revision'");
    return Number(rows[0]?.value ?? 0);
  }

  private async bump(): Promise<void> {
    await this.adapter.run("UPDATE gov_meta SET value = value + 1 WHERE name = 'revision'");
  }

  async loadSnapshot(): Promise<DirectorySnapshot> {
    const revision = await this.revision();
    const [keys, teams, budgets, credentials] = await Promise.all([
      this.adapter.all('SELECT * FROM gov_keys WHERE revoked_at IS NULL'),
      this.adapter.all('SELECT * FROM gov_teams'),
      this.adapter.all('SELECT * FROM gov_budgets WHERE enabled = 1'),
      this.adapter.all('SELECT * FROM gov_credentials'),
    ]);
    return { revision, keys: keys.map(keyFromRow), teams: teams.map(teamFromRow), budgets: budgets.map(budgetFromRow), credentials: credentials.map(credentialFromRow) };
  }

  // Keys

  async insertKey(key: KeyRecord): Promise<void> {
    await this.adapter.run(...insertSql('gov_keys', keyColumns(key)));
    await this.bump();
  }

  async updateKey(id: string, patch: Partial<KeyRecord>): Promise<KeyRecord | undefined> {
    const columns = keyColumns({ ...patch, id: undefined });
    if (Object.keys(columns).length > 0) {
      await this.adapter.run(...updateSql('gov_keys', 'id', id, columns));
      await this.bump();
    }
    return this.getKey(id);
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    const rows = await this.adapter.all('SELECT * FROM gov_keys WHERE id = ?', [id]);
    return rows[0] ? keyFromRow(rows[0]) : undefined;
  }

  async findKeyByHash(hash: string): Promise<KeyRecord | undefined> {
    const rows = await this.adapter.all('SELECT * FROM gov_keys WHERE key_hash = ?', [hash]);
    return rows[0] ? keyFromRow(rows[0]) : undefined;
  }

  async listKeys(filter: { teamId?: string; includeRevoked?: boolean } = {}): Promise<KeyRecord[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (filter.teamId) {
      conditions.push('team_id = ?');
      params.push(filter.teamId);
    }
    if (!filter.includeRevoked) conditions.push('revoked_at IS NULL');
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    return (await this.adapter.all(`SELECT * FROM gov_keys${where} ORDER BY created_at, id`, params)).map(keyFromRow);
  }

  async countActiveKeys(): Promise<number> {
    const rows = await this.adapter.all('SELECT COUNT(*) AS n FROM gov_keys WHERE revoked_at IS NULL');
    return Number(rows[0]?.n ?? 0);
  }

  // Teams

  async insertTeam(team: TeamRecord): Promise<void> {
    await this.adapter.run(...insertSql('gov_teams', teamColumns(team)));
    await this.bump();
  }

  async updateTeam(id: string, patch: Partial<TeamRecord>): Promise<TeamRecord | undefined> {
    const columns = teamColumns({ ...patch, id: undefined });
    if (Object.keys(columns).length > 0) {
      await this.adapter.run(...updateSql('gov_teams', 'id', id, columns));
      await this.bump();
    }
    return this.getTeam(id);
  }

  /** By id, or else by name. */
  async getTeam(idOrName: string): Promise<TeamRecord | undefined> {
    const rows = await this.adapter.all('SELECT * FROM gov_teams WHERE id = ? OR name = ? ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END', [idOrName, idOrName, idOrName]);
    return rows[0] ? teamFromRow(rows[0]) : undefined;
  }

  async listTeams(): Promise<TeamRecord[]> {
    return (await this.adapter.all('SELECT * FROM gov_teams ORDER BY name')).map(teamFromRow);
  }

  async deleteTeam(id: string): Promise<boolean> {
    const changed = await this.adapter.run('DELETE FROM gov_teams WHERE id = ?', [id]);
    if (changed > 0) {
      await this.adapter.run("DELETE FROM gov_budgets WHERE scope = 'team' AND subject = ?", [id]);
      await this.bump();
    }
    return changed > 0;
  }

  // Credentials

  async upsertCredential(credential: CredentialRecord): Promise<void> {
    await this.adapter.run(
      'INSERT INTO gov_credentials (name, provider, ciphertext, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET provider = excluded.provider, ciphertext = excluded.ciphertext, metadata = excluded.metadata, updated_at = excluded.updated_at',
      [credential.name, credential.provider, credential.ciphertext, JSON.stringify(credential.metadata), credential.createdAt, credential.updatedAt],
    );
    await this.bump();
  }

  async getCredential(name: string): Promise<CredentialRecord | undefined> {
    const rows = await this.adapter.all('SELECT * FROM gov_credentials WHERE name = ?', [name]);
    return rows[0] ? credentialFromRow(rows[0]) : undefined;
  }

  async listCredentials(): Promise<CredentialRecord[]> {
    return (await this.adapter.all('SELECT * FROM gov_credentials ORDER BY name')).map(credentialFromRow);
  }

  async deleteCredential(name: string): Promise<boolean> {
    const changed = await this.adapter.run('DELETE FROM gov_credentials WHERE name = ?', [name]);
    if (changed > 0) await this.bump();
    return changed > 0;
  }

  // Budgets

  async insertBudget(budget: BudgetRecord): Promise<void> {
    await this.adapter.run(...insertSql('gov_budgets', budgetColumns(budget)));
    await this.bump();
  }

  async updateBudget(id: string, patch: Partial<BudgetRecord>): Promise<BudgetRecord | undefined> {
    const columns = budgetColumns({ ...patch, id: undefined });
    if (Object.keys(columns).length > 0) {
      await this.adapter.run(...updateSql('gov_budgets', 'id', id, columns));
      await this.bump();
    }
    return this.getBudget(id);
  }

  async getBudget(id: string): Promise<BudgetRecord | undefined> {
    const rows = await this.adapter.all('SELECT * FROM gov_budgets WHERE id = ?', [id]);
    return rows[0] ? budgetFromRow(rows[0]) : undefined;
  }

  async listBudgets(filter: { scope?: BudgetScope; subject?: string } = {}): Promise<BudgetRecord[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (filter.scope) {
      conditions.push('scope = ?');
      params.push(filter.scope);
    }
    if (filter.subject) {
      conditions.push('subject = ?');
      params.push(filter.subject);
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    return (await this.adapter.all(`SELECT * FROM gov_budgets${where} ORDER BY created_at, id`, params)).map(budgetFromRow);
  }

  async deleteBudget(id: string): Promise<boolean> {
    const changed = await this.adapter.run('DELETE FROM gov_budgets WHERE id = ?', [id]);
    if (changed > 0) await this.bump();
    return changed > 0;
  }

  // Ledger

  /** Idempotent: an entry whose id is already there is skipped. */
  async insertLedger(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const row = `(${ledgerColumnNames.map(() => '?').join(', ')})`;
    await this.adapter.run(
      `INSERT INTO gov_ledger (${ledgerColumnNames.join(', ')}) VALUES ${entries.map(() => row).join(', ')} ON CONFLICT (id) DO NOTHING`,
      entries.flatMap(ledgerValues),
    );
  }

  /** Settled spend of one budget subject in [from, to), in nano-USD. */
  async sumSpent(filter: SpendFilter): Promise<number> {
    const params: SqlValue[] = [filter.subject, filter.from];
    let sql = `SELECT COALESCE(SUM(cost_nano), 0) AS spent FROM gov_ledger WHERE ${scopeColumn[filter.scope]} = ? AND at >= ?`;
    if (filter.to !== null) {
      sql += ' AND at < ?';
      params.push(filter.to);
    }
    const rows = await this.adapter.all(sql, params);
    return Number(rows[0]?.spent ?? 0);
  }

  async ledgerCount(): Promise<number> {
    const rows = await this.adapter.all('SELECT COUNT(*) AS n FROM gov_ledger');
    return Number(rows[0]?.n ?? 0);
  }

  async usage(filter: UsageFilter): Promise<UsageRow[]> {
    const group = filter.groupBy === 'day' ? (this.kind === 'sqlite' ? "strftime('%Y-%m-%d', at / 1000, 'unixepoch')" : "to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')") : groupColumn[filter.groupBy];
    const conditions = ['at >= ?', 'at < ?'];
    const params: SqlValue[] = [filter.from, filter.to];
    for (const [column, value] of [['key_id', filter.keyId], ['team_id', filter.teamId], ['user_id', filter.userId]] as const) {
      if (value) {
        conditions.push(`${column} = ?`);
        params.push(value);
      }
    }
    const rows = await this.adapter.all(
      `SELECT ${group} AS grp, COUNT(*) AS requests, COALESCE(SUM(cost_nano), 0) AS cost, SUM(CASE WHEN cost_nano IS NULL THEN 1 ELSE 0 END) AS unpriced,
        SUM(estimated) AS estimated, SUM(cache_hit) AS hits, COALESCE(SUM(saved_nano), 0) AS saved, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion
       FROM gov_ledger WHERE ${conditions.join(' AND ')} GROUP BY ${group} ORDER BY cost DESC`,
      params,
    );
    return rows.map((row) => ({
      group: row.grp === null || row.grp === undefined ? null : String(row.grp),
      requests: Number(row.requests),
      costUsd: Number(row.cost) / 1e9,
      unpricedRequests: Number(row.unpriced ?? 0),
      estimatedRequests: Number(row.estimated ?? 0),
      cacheHits: Number(row.hits ?? 0),
      savedUsd: Number(row.saved ?? 0) / 1e9,
      promptTokens: Number(row.prompt ?? 0),
      completionTokens: Number(row.completion ?? 0),
    }));
  }

  // Alerts

  /** True for the one caller that records this crossing first: an alert fires once per budget, subject, period and threshold. */
  async claimAlert(budgetId: string, subject: string, periodKey: string, threshold: number, at: number): Promise<boolean> {
    const changed = await this.adapter.run('INSERT INTO gov_alerts (budget_id, subject, period_key, threshold, fired_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [budgetId, subject, periodKey, String(threshold), at]);
    return changed > 0;
  }
}
