/**
 * The request log in PostgreSQL: the log table and the bodies table, both
 * partitioned by day on `started_at` (partitions are created ahead of the
 * writes and dropped whole by retention). Metadata is a jsonb column with a
 * GIN index for `metadata @> {...}` matches; the bodies are JSON text.
 */
const columns = `
    seq bigint NOT NULL,
    id text NOT NULL,
    trace_id text,
    started_at timestamptz NOT NULL,
    kind text NOT NULL,
    method text NOT NULL,
    endpoint text NOT NULL,
    key_id text,
    key_name text,
    team_id text,
    user_id text,
    metadata jsonb NOT NULL,
    route text,
    model text,
    model_requested text,
    model_served text,
    provider text,
    status integer NOT NULL,
    error_code text,
    error_message text,
    streamed boolean NOT NULL,
    latency_ms double precision NOT NULL,
    ttft_ms double precision,
    prompt_tokens bigint,
    completion_tokens bigint,
    cached_tokens bigint,
    reasoning_tokens bigint,
    tokens_estimated boolean NOT NULL,
    cost_usd double precision,
    cost_estimated boolean NOT NULL,
    cost_unpriced boolean NOT NULL,
    cache_status text,
    cache_savings_usd double precision,
    attempt_count integer NOT NULL,
    fallback boolean NOT NULL,
    attempts jsonb NOT NULL,
    guardrails jsonb NOT NULL,
    body_mode text NOT NULL,
    PRIMARY KEY (started_at, seq)`;

export const postgresMigrations: readonly string[] = [
  `CREATE SEQUENCE request_log_seq;
  CREATE TABLE request_log (${columns}
  ) PARTITION BY RANGE (started_at);
  CREATE INDEX request_log_key ON request_log (key_id, started_at, seq);
  CREATE INDEX request_log_team ON request_log (team_id, started_at, seq);
  CREATE INDEX request_log_model ON request_log (model, started_at, seq);
  CREATE INDEX request_log_provider ON request_log (provider, started_at, seq);
  CREATE INDEX request_log_status ON request_log (status, started_at, seq);
  CREATE INDEX request_log_request_id ON request_log (id);
  CREATE INDEX request_log_metadata ON request_log USING gin (metadata jsonb_path_ops);
  CREATE TABLE request_log_bodies (
    seq bigint NOT NULL,
    started_at timestamptz NOT NULL,
    request_body jsonb,
    response_body jsonb,
    PRIMARY KEY (started_at, seq)
  ) PARTITION BY RANGE (started_at);`,
  // Bodies compressed with lz4 rather than pglz: ~10% less server CPU a full-body record, measured. A server built without lz4 keeps pglz.
  `DO $$ BEGIN
    ALTER TABLE request_log_bodies ALTER COLUMN request_body SET COMPRESSION lz4, ALTER COLUMN response_body SET COMPRESSION lz4;
  EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN NULL;
  END $$;`,
  // Bodies as the JSON text they were captured as, not jsonb: the server no longer parses every body (measured with
  // full bench bodies, lz4 both: ~25-43 µs of server CPU a row as jsonb, ~14-28 as text), a body reads back exactly
  // as it was logged, as in SQLite, and NUL and lone surrogates (JSON escapes in the text) need no replacing.
  // An existing log's bodies table is rewritten once, here. The type change resets the columns' compression, and
  // SET COMPRESSION on a partitioned table does not reach its existing partitions (PostgreSQL 15), so lz4 is set
  // on the table (new partitions take it from there) and on each partition, where the server has lz4.
  `ALTER TABLE request_log_bodies ALTER COLUMN request_body TYPE text USING request_body::text, ALTER COLUMN response_body TYPE text USING response_body::text;
  DO $$ DECLARE part regclass; BEGIN
    ALTER TABLE request_log_bodies ALTER COLUMN request_body SET COMPRESSION lz4, ALTER COLUMN response_body SET COMPRESSION lz4;
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'request_log_bodies'::regclass LOOP
      EXECUTE format('ALTER TABLE %s ALTER COLUMN request_body SET COMPRESSION lz4, ALTER COLUMN response_body SET COMPRESSION lz4', part);
    END LOOP;
  EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN NULL;
  END $$;`,
];

/** The partitioned tables, each with one partition per UTC day. */
export const partitionedTables = ['request_log', 'request_log_bodies'] as const;
