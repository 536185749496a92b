/**
 * The request log in SQLite: one table of rows (what lists and analytics
 * read, indexed for the admin filters), the bodies in a table of their own,
 * and metadata pairs in a table indexed for `metadata.<name>=<value>`.
 */
export const sqliteMigrations: readonly string[] = [
  `CREATE TABLE request_log (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    trace_id TEXT,
    started_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    method TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    key_id TEXT,
    key_name TEXT,
    team_id TEXT,
    user_id TEXT,
    metadata TEXT NOT NULL,
    route TEXT,
    model TEXT,
    model_requested TEXT,
    model_served TEXT,
    provider TEXT,
    status INTEGER NOT NULL,
    error_code TEXT,
    error_message TEXT,
    streamed INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    ttft_ms REAL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    cached_tokens INTEGER,
    reasoning_tokens INTEGER,
    tokens_estimated INTEGER NOT NULL,
    cost_usd REAL,
    cost_estimated INTEGER NOT NULL,
    cost_unpriced INTEGER NOT NULL,
    cache_status TEXT,
    cache_savings_usd REAL,
    attempt_count INTEGER NOT NULL,
    fallback INTEGER NOT NULL,
    attempts TEXT NOT NULL,
    guardrails TEXT NOT NULL,
    body_mode TEXT NOT NULL
  );
  CREATE INDEX request_log_time ON request_log (started_at, seq);
  CREATE INDEX request_log_key ON request_log (key_id, started_at, seq);
  CREATE INDEX request_log_team ON request_log (team_id, started_at, seq);
  CREATE INDEX request_log_model ON request_log (model, started_at, seq);
  CREATE INDEX request_log_provider ON request_log (provider, started_at, seq);
  CREATE INDEX request_log_status ON request_log (status, started_at, seq);
  CREATE INDEX request_log_request_id ON request_log (id);
  CREATE TABLE request_log_metadata (seq INTEGER NOT NULL, started_at INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL);
  CREATE INDEX request_log_metadata_match ON request_log_metadata (name, value, started_at, seq);
  CREATE INDEX request_log_metadata_time ON request_log_metadata (started_at);
  CREATE TABLE request_log_bodies (seq INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, request_body TEXT, response_body TEXT);
  CREATE INDEX request_log_bodies_time ON request_log_bodies (started_at);`,
];
