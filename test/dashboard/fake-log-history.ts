/**
 * A deterministic day of traffic for the fake admin API, so the overview has
 * something to draw: several models, providers, keys and teams, a few
 * failures and fallbacks, cache hits, and stored bodies on some records.
 */
import type { Attempt, LogDetail } from '../../web/src/api/types.js';
import { priceOf } from './fake-prices.js';
import type { FakeDirectory } from './fake-keys.js';
import { seededRandom } from '../helpers/seeded-random.js';


const models = [
  { provider: 'openai', model: 'gpt-4.1-mini', weight: 5, latency: 900 },
  { provider: 'openai', model: 'gpt-4.1-nano', weight: 3, latency: 450 },
  { provider: 'anthropic', model: 'claude-sonnet-4', weight: 3, latency: 2200 },
  { provider: 'google', model: 'gemini-2.5-flash', weight: 2, latency: 700 },
  { provider: 'groq', model: 'llama-3.3-70b', weight: 1, latency: 350 },
] as const;

function pick<T extends { weight: number }>(random: () => number, entries: readonly T[]): T {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
  let point = random() * total;
  for (const entry of entries) {
    point -= entry.weight;
    if (point <= 0) return entry;
  }
  return entries[entries.length - 1]!;
}

/** Requests per hour follow a daily curve, busier in the afternoon (UTC). */
function hourlyVolume(hourOfDay: number): number {
  return Math.round(6 + 14 * Math.max(0, Math.sin(((hourOfDay - 6) / 24) * 2 * Math.PI)));
}

export function fakeLogHistory(now: number, directory: FakeDirectory, seed = 7): LogDetail[] {
  const random = seededRandom(seed);
  const liveKeys = directory.keys.filter((key) => key.revokedAt === null).map((key, index) => ({ key, weight: [5, 3, 2, 1][index] ?? 1 }));
  const rows: LogDetail[] = [];
  const hour = 60 * 60_000;
  for (let hoursAgo = 47; hoursAgo >= 0; hoursAgo -= 1) {
    const hourStart = Math.floor(now / hour) * hour - hoursAgo * hour;
    const count = hourlyVolume(new Date(hourStart).getUTCHours());
    for (let index = 0; index < count; index += 1) {
      const startedAt = hourStart + Math.floor(random() * hour);
      if (startedAt > now - 60_000) continue;
      const roll = random();
      const fellBack = roll < 0.05;
      // A fallback moves from the overloaded first target to another provider's model.
      const target = pick(random, fellBack ? models.filter((model) => model.provider !== 'anthropic') : models);
      const { key } = pick(random, liveKeys);
      const failed = !fellBack && roll < 0.085;
      const cacheHit = !failed && random() < 0.08;
      const streamed = random() < 0.35;
      const latency = cacheHit ? 4 + random() * 10 : target.latency * (0.5 + random() * random() * 2.5);
      const promptTokens = Math.round(200 + random() * 1800);
      const completionTokens = failed ? 0 : Math.round(40 + random() * 600);
      const status = failed ? (random() < 0.5 ? 429 : 502) : 200;
      const attempts: Attempt[] = cacheHit
        ? []
        : fellBack
          ? [
              { target: 'targets[0]', provider: 'anthropic', model: 'claude-sonnet-4', status: 529, latency_ms: Math.round(300 + random() * 900), error: 'Overloaded', code: 'overloaded_error', retry: 0 },
              { target: 'targets[1]', provider: target.provider, model: target.model, status: 200, latency_ms: Math.round(latency * 0.8), error: null, code: null, retry: 0 },
            ]
          : [{ target: 'targets[0]', provider: target.provider, model: target.model, status, latency_ms: Math.round(latency), error: failed ? (status === 429 ? 'Rate limit reached for requests' : 'Bad gateway') : null, code: failed ? (status === 429 ? 'rate_limit_exceeded' : 'upstream_error') : null, retry: 0 }];
      const cost = failed || cacheHit ? 0 : priceOf(target.model, promptTokens, completionTokens);
      const storeBodies = random() < 0.3;
      const errorCode = failed ? (status === 429 ? 'rate_limit_exceeded' : 'upstream_error') : null;
      rows.push({
        id: `req_${startedAt.toString(36)}${Math.floor(random() * 1e6).toString(36)}`,
        trace_id: startedAt.toString(16).padStart(32, '0'),
        started_at: startedAt,
        kind: 'chat',
        method: 'POST',
        endpoint: '/v1/chat/completions',
        latency_ms: Math.round(fellBack ? attempts.reduce((sum, attempt) => sum + attempt.latency_ms, 0) + 5 : latency),
        ttft_ms: streamed && !failed ? Math.round(latency * 0.3) : null,
        key_id: key.id,
        key_name: key.name,
        team_id: key.teamId,
        user_id: random() < 0.5 ? `user-${Math.floor(random() * 12) + 1}` : null,
        route: fellBack ? 'chat-default' : null,
        model_requested: fellBack ? 'claude-sonnet-4' : target.model,
        model_served: failed ? null : target.model,
        provider: target.provider,
        status,
        streamed,
        error_code: errorCode,
        error_message: attempts.at(-1)?.error ?? null,
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        cached_tokens: random() < 0.2 ? Math.round(promptTokens * 0.5) : 0,
        reasoning_tokens: 0,
        tokens_estimated: false,
        cost_usd: cost,
        cost_estimated: streamed && random() < 0.2,
        cost_unpriced: false,
        cache_status: cacheHit ? 'HIT' : 'MISS',
        cache_savings_usd: cacheHit ? 0.0021 : null,
        attempt_count: attempts.length,
        fallback: fellBack,
        metadata: { environment: String(key.metadata.environment ?? 'development'), ...(random() < 0.3 ? { feature: 'summaries' } : {}) },
        attempts,
        body_mode: storeBodies ? 'full' : 'none',
        guardrails: random() < 0.25 ? [{ name: 'pii-redaction', stage: 'input', passed: true, action: 'redact', latency_ms: 2, explanation: null }] : [],
        request_body: storeBodies ? { model: target.model, messages: [{ role: 'user', content: 'Summarise the attached ticket in two sentences.' }] } : null,
        response_body: storeBodies && !failed ? { id: 'chatcmpl-history', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'The customer cannot sign in after a password reset. Support re-sent the link and it worked.' }, finish_reason: 'stop' }] } : null,
      });
    }
  }
  return rows;
}
