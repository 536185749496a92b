/**
 * The dashboard's admin API adapters (web/src/api) against the real API's
 * shapes: the wire types match the server's (checked by the type checker),
 * and the adapters turn ISO times, budget periods and statuses into what the
 * pages read.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { KeyView as ServerKeyView } from '../../src/governance/views.js';
import type { AnalyticsAnswer, LogDetail as ServerLogDetail, LogRow as ServerLogRow } from '../../src/telemetry/query/log-row-schema.js';
import { toAnalyticsBucket } from '../../web/src/api/analytics.js';
import { ApiError } from '../../web/src/api/api-error.js';
import type { AdminClient, Query } from '../../web/src/api/client.js';
import { listKeys, toKeyView } from '../../web/src/api/keys.js';
import { toLogDetail, toLogRow } from '../../web/src/api/logs.js';
import type { WireAnalytics, WireKey, WireLogDetail, WireLogRow } from '../../web/src/api/types.js';
import type { BudgetStatus } from './fake-keys.js';

const row: WireLogRow = {
  id: 'req_8f2c',
  trace_id: '0af7651916cd43dd8448eb211c80319c',
  started_at: '2025-01-15T12:00:00.000Z',
  kind: 'chat',
  method: 'POST',
  endpoint: '/v1/chat/completions',
  key_id: 'key-1',
  key_name: 'ci',
  team_id: 'team-1',
  user_id: 'user-1',
  metadata: { env: 'prod' },
  route: 'smart',
  model_requested: 'smart',
  model_served: 'gpt-4o',
  provider: 'openai',
  status: 200,
  error_code: null,
  error_message: null,
  streamed: false,
  latency_ms: 120,
  ttft_ms: 80,
  prompt_tokens: 10,
  completion_tokens: 5,
  cached_tokens: 2,
  reasoning_tokens: 1,
  tokens_estimated: false,
  cost_usd: 0.001,
  cost_estimated: false,
  cost_unpriced: false,
  cache_status: 'MISS',
  cache_savings_usd: null,
  attempt_count: 1,
  fallback: false,
};

describe("the dashboard's wire types", () => {
  it('are the shapes the telemetry and governance APIs answer with', () => {
    expectTypeOf<WireLogRow>().toEqualTypeOf<ServerLogRow>();
    expectTypeOf<WireLogDetail>().toEqualTypeOf<ServerLogDetail>();
    expectTypeOf<AnalyticsAnswer>().toExtend<WireAnalytics>();
    expectTypeOf<ServerKeyView>().toExtend<WireKey>();
  });
});

describe("the dashboard's admin API adapters", () => {
  it('reads a log row and a record with ISO times as epoch ms', () => {
    expect(toLogRow(row)).toMatchObject({ id: 'req_8f2c', started_at: Date.UTC(2025, 0, 15, 12), attempt_count: 1, metadata: { env: 'prod' } });
    const detail = toLogDetail({ ...row, attempts: [], guardrails: [], body_mode: 'metadata', request_body: { model: 'smart' }, response_body: null });
    expect(detail.started_at).toBe(Date.UTC(2025, 0, 15, 12));
    expect(detail.body_mode).toBe('metadata');
  });

  it('reads analytics buckets with ISO starts as epoch ms', () => {
    const bucket = toAnalyticsBucket({
      start: '2025-01-15T11:00:00.000Z',
      group: 'gpt-4o',
      requests: 120,
      errors: 3,
      error_rate: 0.025,
      prompt_tokens: 48000,
      completion_tokens: 9100,
      cached_tokens: 12000,
      reasoning_tokens: 0,
      cost_usd: 0.3125,
      p50_ms: 812.4,
      p95_ms: 2450,
      p50_ttft_ms: 310.2,
      cache_hits: 14,
      cache_savings_usd: 0.041,
      rate_limited: 1,
      fallbacks: 2,
    });
    expect(bucket?.start).toBe(Date.UTC(2025, 0, 15, 11));
  });

  const key: WireKey = {
    id: 'key_1',
    name: 'support-bot',
    key_prefix: 'sy-DSzGeZ5…',
    team_id: 'team_1',
    team: 'support',
    owner: null,
    metadata: {},
    expires_at: null,
    enabled: true,
    revoked_at: null,
    status: 'active',
    limits: { rpm: 600 },
    budgets: [{ id: 'bud_key', scope: 'key', subject: 'key_1', amount_usd: 25, period: 'monthly', alert_thresholds: [], enabled: true, created_at: null, updated_at: null }],
    created_at: '2025-01-15T12:00:00.000Z',
    updated_at: '2025-01-15T12:00:00.000Z',
  };

  it('reads a key: its team name, limits left unset as none, and revocation from `revoked_at`', () => {
    const view = toKeyView(key);
    expect(view).toMatchObject({ teamId: 'team_1', teamName: 'support', revoked: false, createdAt: Date.UTC(2025, 0, 15, 12), limits: { rpm: 600, tpm: null, maxConcurrent: null } });
    expect(toKeyView({ ...key, revoked_at: '2025-02-01T00:00:00.000Z', status: 'revoked' }).revoked).toBe(true);
  });

  it("lists keys with their own and their team's budgets, and each budget's spend this period", async () => {
    const status: BudgetStatus = {
      budget: { ...key.budgets[0]!, created_at: '2025-01-15T12:00:00.000Z', updated_at: '2025-01-15T12:00:00.000Z' },
      subject: 'key_1',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      spent_usd: 1.25,
      ledger_spent_usd: 1.25,
      reserved_usd: 0.5,
      remaining_usd: 23.25,
    };
    const asked: string[] = [];
    const client: AdminClient = {
      async getJson<T>(path: string, query?: Query): Promise<T> {
        asked.push(`${path}${query ? `?${new URLSearchParams(query as Record<string, string>)}` : ''}`);
        if (path === '/admin/keys') return { data: [key, { ...key, id: 'key_2', team_id: 'team_2', budgets: [] }] } as T;
        if (path === '/admin/budgets') return { data: [{ ...key.budgets[0]!, id: 'bud_team', scope: 'team', subject: 'team_1', amount_usd: 100, period: 'daily' }] } as T;
        if (path === '/admin/budgets/bud_key/status') return status as T;
        throw new ApiError('No such budget.', 404);
      },
      open: () => Promise.reject(new Error('not used')),
    };
    const [first, second] = await listKeys(client);
    expect(asked).toContain('/admin/keys?include_revoked=true');
    expect(first!.budgets).toEqual([
      { id: 'bud_key', scope: 'key', period: 'month', limitUsd: 25, spentUsd: 1.25, reservedUsd: 0.5, resetsAt: Date.UTC(2025, 1, 1) },
      // Its status could not be read: the limit shows without a spend.
      { id: 'bud_team', scope: 'team', period: 'day', limitUsd: 100, spentUsd: null, reservedUsd: 0, resetsAt: null },
    ]);
    expect(second!.budgets).toEqual([]);
  });
});
