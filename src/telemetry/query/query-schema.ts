/**
 * The query strings of /admin/logs, /admin/logs/stream and /admin/analytics,
 * in zod: times as ISO 8601 or epoch ms, `status` as a code or a class
 * (`2xx`, `4xx`, `5xx`, `error`, `success`), and `metadata.<name>=<value>`
 * pairs that must all match.
 */
import { z } from 'zod';
import { GatewayError } from '../../api/errors.js';
import { validate } from '../../server/http-io.js';

const timeSchema = z.string().transform((value, context) => {
  const milliseconds = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(milliseconds)) {
    context.addIssue({ code: 'custom', message: 'expected an ISO 8601 time or epoch milliseconds' });
    return z.NEVER;
  }
  return milliseconds;
});

const statusSchema = z.string().transform((value, context): StatusRange => {
  const classes: Record<string, StatusRange> = { '1xx': { min: 100, max: 199 }, '2xx': { min: 200, max: 299 }, '3xx': { min: 300, max: 399 }, '4xx': { min: 400, max: 499 }, '5xx': { min: 500, max: 599 }, error: { min: 400, max: 999 }, success: { min: 100, max: 399 } };
  const named = classes[value];
  if (named) return named;
  if (/^\d{1,3}$/.test(value)) return { min: Number(value), max: Number(value) };
  context.addIssue({ code: 'custom', message: 'expected a status code, 2xx, 4xx, 5xx, error or success' });
  return z.NEVER;
});

const costSchema = z.coerce.number().nonnegative();

const filterFields = {
  from: timeSchema.optional(),
  to: timeSchema.optional(),
  key: z.string().min(1).optional(),
  team: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  route: z.string().min(1).optional(),
  kind: z.enum(['chat', 'embeddings', 'models', 'passthrough']).optional(),
  status: statusSchema.optional(),
  error_code: z.string().min(1).optional(),
  cache_status: z.enum(['HIT', 'SEMANTIC_HIT', 'MISS', 'REFRESH', 'BYPASS']).optional(),
  min_cost: costSchema.optional(),
  max_cost: costSchema.optional(),
};

export interface StatusRange {
  readonly min: number;
  readonly max: number;
}

const logQuerySchema = z.strictObject({
  ...filterFields,
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const streamQuerySchema = z.strictObject(filterFields);

export const bucketSizes = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type BucketName = keyof typeof bucketSizes;
export const groupColumns = { model: 'model', provider: 'provider', key: 'key_id', team: 'team_id' } as const;
export type GroupName = keyof typeof groupColumns;

const analyticsQuerySchema = z.strictObject({
  ...filterFields,
  bucket: z.enum(['minute', 'hour', 'day']).default('hour'),
  group_by: z.enum(['model', 'provider', 'key', 'team']).optional(),
});

/** At most this many time buckets per analytics answer. */
export const maxBuckets = 5000;

export interface LogFilter {
  readonly from?: number;
  readonly to?: number;
  readonly keyId?: string;
  readonly teamId?: string;
  readonly userId?: string;
  readonly model?: string;
  readonly provider?: string;
  readonly route?: string;
  readonly kind?: string;
  readonly status?: StatusRange;
  readonly errorCode?: string;
  readonly cacheStatus?: string;
  readonly minCost?: number;
  readonly maxCost?: number;
  /** Name/value pairs, all of which must match. */
  readonly metadata: readonly (readonly [string, string])[];
}

export interface LogQuery {
  readonly filter: LogFilter;
  readonly cursor?: string;
  readonly limit: number;
}

export interface AnalyticsQuery {
  readonly filter: LogFilter & { readonly from: number; readonly to: number };
  readonly bucket: BucketName;
  readonly groupBy?: GroupName;
}

function split(query: URLSearchParams): { plain: Record<string, string>; metadata: [string, string][] } {
  const plain: Record<string, string> = {};
  const metadata: [string, string][] = [];
  for (const [name, value] of query) {
    if (name.startsWith('metadata.') && name.length > 'metadata.'.length) metadata.push([name.slice('metadata.'.length), value]);
    else plain[name] = value;
  }
  return { plain, metadata };
}

function toFilter(parsed: z.infer<typeof streamQuerySchema>, metadata: [string, string][]): LogFilter {
  return {
    from: parsed.from,
    to: parsed.to,
    keyId: parsed.key,
    teamId: parsed.team,
    userId: parsed.user,
    model: parsed.model,
    provider: parsed.provider,
    route: parsed.route,
    kind: parsed.kind,
    status: parsed.status,
    errorCode: parsed.error_code,
    cacheStatus: parsed.cache_status,
    minCost: parsed.min_cost,
    maxCost: parsed.max_cost,
    metadata,
  };
}

export function parseLogQuery(query: URLSearchParams): LogQuery {
  const { plain, metadata } = split(query);
  const parsed = validate(logQuerySchema, plain);
  return { filter: toFilter(parsed, metadata), cursor: parsed.cursor, limit: parsed.limit };
}

export function parseStreamQuery(query: URLSearchParams): LogFilter {
  const { plain, metadata } = split(query);
  return toFilter(validate(streamQuerySchema, plain), metadata);
}

/** Without `from`/`to`, the last 24 hours up to `now`. */
export function parseAnalyticsQuery(query: URLSearchParams, now: number): AnalyticsQuery {
  const { plain, metadata } = split(query);
  const parsed = validate(analyticsQuerySchema, plain);
  const to = parsed.to ?? now;
  const from = parsed.from ?? to - bucketSizes.day;
  if (from >= to) throw new GatewayError('invalid_request', { message: 'Invalid request: from must be before to.', param: 'from' });
  if ((to - from) / bucketSizes[parsed.bucket] > maxBuckets) {
    throw new GatewayError('invalid_request', { message: `Invalid request: the range holds more than ${maxBuckets} ${parsed.bucket} buckets; use a larger bucket or a shorter range.`, param: 'bucket' });
  }
  return { filter: { ...toFilter(parsed, metadata), from, to }, bucket: parsed.bucket, groupBy: parsed.group_by };
}
