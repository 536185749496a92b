/**
 * The governance tables, one migration list for SQLite and PostgreSQL alike
 * (module `governance`), and the local journal that only SQLite holds
 * (module `governance_journal`): ledger entries waiting for PostgreSQL.
 */
export const governanceMigrations: readonly string[] = [
  `CREATE TABLE gov_teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, metadata TEXT NOT NULL, limits TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE TABLE gov_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, key_prefix TEXT NOT NULL, team_id TEXT, owner TEXT, metadata TEXT NOT NULL,
     expires_at BIGINT, enabled INTEGER NOT NULL, revoked_at BIGINT, allowed_models TEXT, allowed_routes TEXT, default_route TEXT, default_config TEXT,
     limits TEXT NOT NULL, model_limits TEXT NOT NULL, credentials TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE INDEX gov_keys_team ON gov_keys (team_id);
   CREATE TABLE gov_credentials (name TEXT PRIMARY KEY, provider TEXT NOT NULL, ciphertext TEXT NOT NULL, metadata TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE TABLE gov_budgets (id TEXT PRIMARY KEY, scope TEXT NOT NULL, subject TEXT NOT NULL, amount_nano BIGINT NOT NULL, period TEXT NOT NULL, alert_thresholds TEXT NOT NULL,
     enabled INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE INDEX gov_budgets_subject ON gov_budgets (scope, subject);
   CREATE TABLE gov_ledger (id TEXT PRIMARY KEY, request_id TEXT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL, key_id TEXT, team_id TEXT, user_id TEXT, provider TEXT, model TEXT,
     cost_nano BIGINT, estimated INTEGER NOT NULL, cache_hit INTEGER NOT NULL, saved_nano BIGINT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
     cached_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, status INTEGER NOT NULL);
   CREATE INDEX gov_ledger_at ON gov_ledger (at);
   CREATE INDEX gov_ledger_key ON gov_ledger (key_id, at);
   CREATE INDEX gov_ledger_team ON gov_ledger (team_id, at);
   CREATE INDEX gov_ledger_user ON gov_ledger (user_id, at);
   CREATE TABLE gov_alerts (budget_id TEXT NOT NULL, subject TEXT NOT NULL, period_key TEXT NOT NULL, threshold TEXT NOT NULL, fired_at BIGINT NOT NULL, PRIMARY KEY (budget_id, subject, period_key, threshold));
   CREATE TABLE gov_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
   INSERT INTO gov_meta (name, value) VALUES ('revision', 0);`,
  // Requests without a key, team or user no longer touch those indexes (a query for one subject still uses them).
  `DROP INDEX gov_ledger_key;
   DROP INDEX gov_ledger_team;
   DROP INDEX gov_ledger_user;
   CREATE INDEX gov_ledger_key ON gov_ledger (key_id, at) WHERE key_id IS NOT NULL;
   CREATE INDEX gov_ledger_team ON gov_ledger (team_id, at) WHERE team_id IS NOT NULL;
   CREATE INDEX gov_ledger_user ON gov_ledger (user_id, at) WHERE user_id IS NOT NULL;`,
];

export const journalMigrations: readonly string[] = [
  `CREATE TABLE gov_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, entry TEXT NOT NULL, settlement TEXT, created_at INTEGER NOT NULL,
     ledger_done INTEGER NOT NULL DEFAULT 0, counters_done INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX gov_journal_pending ON gov_journal (ledger_done, counters_done);`,
];
