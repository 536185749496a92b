/** The `governance` config key, in zod: keys, limits, budgets and prices. An empty object is valid. */
import { z } from 'zod';
import { modelPriceSchema } from '../usage/price-schema.js';

export const limitsSchema = z.strictObject({
  /** Requests per minute (sliding 60 s window). */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute (sliding 60 s window): input plus output. */
  tpm: z.number().int().positive().optional(),
  /** Requests in flight at once. */
  max_concurrent: z.number().int().positive().optional(),
});
export type Limits = z.infer<typeof limitsSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const governanceConfigSchema = z.strictObject({
  /**
   * `auto`: requests need a virtual key once one exists (open until then, with a warning at start-up);
   * `required`: always; `off`: never (a presented virtual key still applies, and a wrong one is still refused).
   */
  auth: z.enum(['auto', 'required', 'off']).default('auto'),
  /** IANA time zone in which daily, weekly (Monday) and monthly budget periods begin. */
  time_zone: z.string().refine(isTimeZone, { message: 'not an IANA time zone' }).default('UTC'),
  /** When the database is unreachable: keep serving from the cached keys (true), or refuse with 503 (false). */
  fail_open_on_database_error: z.boolean().default(true),
  /** When Redis is unreachable in shared mode: admit without limits and budgets (`allow`), or refuse with 503 (`deny`). */
  redis_failure_policy: z.enum(['allow', 'deny']).default('allow'),
  /** Budget alerts (threshold crossings) are POSTed here as JSON. */
  alert_webhook_url: z.url().optional(),
  /** Prices that replace or add to the price table, keyed `provider/model` (USD per 1M tokens). */
  prices: z.record(z.string(), modelPriceSchema).default({}),
  /** Another price table file instead of the bundled data/prices.json. */
  price_file: z.string().optional(),
  /** Cache hits are free and not counted against limits unless this is on. */
  charge_cache_hits: z.boolean().default(false),
  /** A request under a budget to a model without a price: refused (`deny`, 403 model_unpriced) or let through and recorded as unpriced (`allow`). */
  unpriced_models: z.enum(['allow', 'deny']).default('deny'),
  /** The worst-case output when the request sets no max_tokens and the model's output limit is unknown. */
  default_max_output_tokens: z.number().int().positive().default(4096),
  /** Counted input tokens are multiplied by this for the worst case (other tokenizers count more). */
  input_token_margin: z.number().min(1).default(1.1),
  /** Rate limits per requested model (or `provider/*` pattern), shared by every caller. */
  model_limits: z.record(z.string(), limitsSchema).default({}),
  /** How long a budget reservation or concurrency slot of a crashed instance lives before it is reclaimed. */
  reservation_ttl_ms: z.number().int().positive().default(15 * 60_000),
  /** How often every instance checks the store's revision for changed keys (a revocation's upper bound without Redis). */
  poll_interval_ms: z.number().int().positive().default(1000),
  /** A full reload of keys, teams, budgets and credentials, whatever the revision says. */
  refresh_interval_ms: z.number().int().positive().default(60_000),
  /** Redis key prefix and pub/sub channel prefix. */
  redis_prefix: z.string().min(1).default('sy:gov'),
  /** A Redis command slower than this counts as a Redis failure. */
  redis_timeout_ms: z.number().int().positive().default(1000),
  /**
   * Settled spend is written to the local ledger (embedded) or journal (shared) in groups, at most this long
   * after the request ends; the response does not wait for it. A hard crash can lose this interval's entries.
   */
  ledger_commit_interval_ms: z.number().int().min(0).default(20),
  /** How often buffered ledger entries go to PostgreSQL (shared mode). */
  ledger_flush_interval_ms: z.number().int().positive().default(250),
  ledger_batch_size: z.number().int().positive().default(500),
});
export type GovernanceConfig = z.output<typeof governanceConfigSchema>;
export type GovernanceConfigInput = z.input<typeof governanceConfigSchema>;
