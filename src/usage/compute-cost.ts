/**
 * Cost of one request from the usage the provider reported, each part at its
 * own rate and none counted twice. In the gateway's usage shape (see
 * src/providers/shared/usage.ts):
 * - `prompt_tokens` includes `prompt_tokens_details.cached_tokens` (cache reads)
 *   and `prompt_tokens_details.cache_write_tokens` (cache writes);
 * - `completion_tokens` includes `completion_tokens_details.reasoning_tokens`.
 * Amounts are integers in nano-USD (1e-9 USD), so sums are exact.
 */
import type { Usage } from '../api/chat-schema.js';
import type { ModelPrice } from './price-schema.js';

export const nanoPerUsd = 1_000_000_000;
/** Per-token nano-USD for a price in USD per 1M tokens. */
const nanoPerTokenPerUsdMillion = nanoPerUsd / 1_000_000;

export interface UsageParts {
  /** Input tokens billed at the plain input rate. */
  readonly uncachedInput: number;
  readonly cachedRead: number;
  readonly cacheWrite: number;
  /** Output tokens other than reasoning. */
  readonly visibleOutput: number;
  readonly reasoning: number;
  /** Every prompt token (for long-context tiers). */
  readonly totalInput: number;
}

export interface MediaCounts {
  readonly images?: number;
  readonly audioSeconds?: number;
}

export interface CostBreakdown {
  readonly nano: number;
  readonly lines: Readonly<Record<'input' | 'cachedRead' | 'cacheWrite' | 'output' | 'reasoning' | 'images' | 'audio', number>>;
}

const nonNegative = (value: number | undefined): number => (value !== undefined && Number.isFinite(value) && value > 0 ? value : 0);

/** Splits a usage object into disjoint parts. Details larger than their totals are clamped, never negative. */
export function usageParts(usage: Usage): UsageParts {
  const totalInput = nonNegative(usage.prompt_tokens);
  const cachedRead = Math.min(nonNegative(usage.prompt_tokens_details?.cached_tokens), totalInput);
  const cacheWrite = Math.min(nonNegative(usage.prompt_tokens_details?.cache_write_tokens), totalInput - cachedRead);
  const totalOutput = nonNegative(usage.completion_tokens);
  const reasoning = Math.min(nonNegative(usage.completion_tokens_details?.reasoning_tokens), totalOutput);
  return { uncachedInput: totalInput - cachedRead - cacheWrite, cachedRead, cacheWrite, visibleOutput: totalOutput - reasoning, reasoning, totalInput };
}

interface Rates {
  input: number;
  output: number;
  cachedInput: number;
  cacheWrite: number;
  reasoning: number;
}

function ratesFor(price: ModelPrice, totalInput: number, kind: 'chat' | 'embeddings'): Rates {
  const base = kind === 'embeddings' ? (price.embedding ?? price.input) : price.input;
  const long = price.long_context && totalInput > price.long_context.above_input_tokens ? price.long_context : undefined;
  const input = long?.input ?? base;
  const output = long?.output ?? price.output;
  return {
    input,
    output,
    cachedInput: long?.cached_input ?? price.cached_input ?? input,
    cacheWrite: long?.cache_write ?? price.cache_write ?? input,
    reasoning: price.reasoning ?? output,
  };
}

export function computeCost(price: ModelPrice, parts: UsageParts, media: MediaCounts = {}, kind: 'chat' | 'embeddings' = 'chat'): CostBreakdown {
  const rates = ratesFor(price, parts.totalInput, kind);
  const lines = {
    input: parts.uncachedInput * rates.input * nanoPerTokenPerUsdMillion,
    cachedRead: parts.cachedRead * rates.cachedInput * nanoPerTokenPerUsdMillion,
    cacheWrite: parts.cacheWrite * rates.cacheWrite * nanoPerTokenPerUsdMillion,
    output: parts.visibleOutput * rates.output * nanoPerTokenPerUsdMillion,
    reasoning: parts.reasoning * rates.reasoning * nanoPerTokenPerUsdMillion,
    images: nonNegative(media.images) * (price.per_image ?? 0) * nanoPerUsd,
    audio: nonNegative(media.audioSeconds) * (price.per_audio_second ?? 0) * nanoPerUsd,
  };
  const nano = Math.round(Object.values(lines).reduce((sum, value) => sum + value, 0));
  return { nano, lines };
}

/**
 * The most a request can cost: every input token at the dearest input rate
 * (plain or cache write), every possible output token at the dearest output
 * rate (plain or reasoning), plus per-image and per-second charges.
 */
export function worstCaseCost(price: ModelPrice, inputTokens: number, maxOutputTokens: number, media: MediaCounts = {}, kind: 'chat' | 'embeddings' = 'chat'): number {
  const rates = ratesFor(price, inputTokens, kind);
  const inputRate = Math.max(rates.input, kind === 'chat' ? rates.cacheWrite : 0);
  const outputRate = Math.max(rates.output, rates.reasoning);
  const tokens = nonNegative(inputTokens) * inputRate + nonNegative(maxOutputTokens) * outputRate;
  const extra = nonNegative(media.images) * (price.per_image ?? 0) * nanoPerUsd + nonNegative(media.audioSeconds) * (price.per_audio_second ?? 0) * nanoPerUsd;
  return Math.ceil(tokens * nanoPerTokenPerUsdMillion + extra);
}

export function nanoToUsd(nano: number): number {
  return nano / nanoPerUsd;
}

export function usdToNano(usd: number): number {
  return Math.round(usd * nanoPerUsd);
}

/** A USD amount for a header or log: plain decimal, no exponent, trailing zeros dropped. */
export function formatUsd(nano: number): string {
  const sign = nano < 0 ? '-' : '';
  const absolute = Math.abs(Math.round(nano));
  const whole = Math.floor(absolute / nanoPerUsd);
  const fraction = String(absolute % nanoPerUsd).padStart(9, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
