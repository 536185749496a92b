/**
 * A request stage that turns each chat exchange through the test gateway
 * into a log record in the fake admin API, the way the telemetry stage will
 * for the real one: the caller's key (by its secret), the route's attempts,
 * usage, a cost from the fake price list, and the bodies.
 */
import type { Exchange, Stage } from '../../src/server/pipeline.js';
import type { LogDetail } from '../../web/src/api/types.js';
import type { FakeAdmin } from './fake-admin.js';
import { priceOf } from './fake-prices.js';

function metadataOf(exchange: Exchange): Record<string, string> {
  if (exchange.context.metadata) return { ...exchange.context.metadata };
  const header = exchange.context.request.headers['x-switchyard-metadata'];
  if (typeof header !== 'string') return {};
  try {
    return Object.fromEntries(Object.entries(JSON.parse(header) as Record<string, unknown>).map(([name, value]) => [name, String(value)]));
  } catch {
    return {};
  }
}

export function createLogRecorderStage(admin: FakeAdmin): Stage {
  return {
    name: 'fake-log-recorder',
    finish(exchange) {
      if (exchange.kind !== 'chat') return;
      const { context } = exchange;
      const key = admin.keyForSecret(exchange.clientProviderKey);
      const usage = exchange.usage;
      const served = exchange.served;
      const status = exchange.status ?? 0;
      const prompt = usage?.prompt_tokens ?? null;
      const completion = usage?.completion_tokens ?? null;
      const attempts = (context.route?.attempts ?? []).map((attempt) => ({
        target: attempt.target,
        provider: attempt.provider,
        model: attempt.model,
        status: attempt.status ?? null,
        latency_ms: Math.round(attempt.latencyMs),
        error: attempt.error ?? null,
        code: attempt.code ?? null,
        retry: attempt.retry,
      }));
      const cost = served && prompt !== null && completion !== null ? priceOf(served.model, prompt, completion) : null;
      const record: LogDetail = {
        id: context.id,
        trace_id: null,
        started_at: context.startedAtEpoch,
        kind: 'chat',
        method: context.request.method ?? 'POST',
        endpoint: (context.request.url ?? '/v1/chat/completions').split('?')[0]!,
        latency_ms: Math.round(performance.now() - context.startedAt),
        ttft_ms: exchange.firstTokenAt === undefined ? null : Math.round(exchange.firstTokenAt - context.startedAt),
        key_id: key?.id ?? null,
        key_name: key?.name ?? null,
        team_id: key?.teamId ?? null,
        user_id: exchange.chat?.user ?? null,
        route: context.routeName ?? null,
        model_requested: exchange.chat?.model ?? null,
        model_served: served?.model ?? null,
        provider: served?.provider ?? attempts[attempts.length - 1]?.provider ?? null,
        status,
        streamed: exchange.chat?.stream === true,
        error_code: exchange.error?.code ?? null,
        error_message: exchange.error?.message ?? null,
        prompt_tokens: prompt,
        completion_tokens: completion,
        cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? null,
        reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? null,
        tokens_estimated: exchange.usageEstimated === true,
        cost_usd: cost,
        cost_estimated: exchange.usageEstimated === true,
        cost_unpriced: served !== undefined && prompt !== null && cost === null,
        cache_status: exchange.cacheStatus ?? null,
        cache_savings_usd: null,
        attempt_count: attempts.length,
        fallback: new Set(attempts.map((attempt) => attempt.target)).size > 1,
        metadata: metadataOf(exchange),
        attempts,
        guardrails: [],
        body_mode: 'full',
        request_body: exchange.chat ?? null,
        response_body: exchange.completion ?? null,
      };
      admin.add(record);
    },
  };
}
