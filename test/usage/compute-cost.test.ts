import { describe, expect, it } from 'vitest';
import { convertUsage as anthropicUsage } from '../../src/providers/anthropic/convert-usage.js';
import { convertUsage as geminiUsage } from '../../src/providers/gemini/convert-usage.js';
import { computeCost, formatUsd, usageParts, worstCaseCost } from '../../src/usage/compute-cost.js';
import { modelPriceSchema } from '../../src/usage/price-schema.js';
import { loadPriceTable } from '../../src/usage/price-table.js';

const at = Date.parse('2025-09-20T12:00:00Z');
const table = loadPriceTable();
const priceOf = (provider: string, model: string) => table.lookup({ provider, model, at })!.price;

describe('cost of one request, each usage part at its own rate', () => {
  it('OpenAI: cached reads are part of prompt_tokens, reasoning part of completion_tokens', () => {
    // o4-mini: input 1.10, cached 0.275, output 4.40 per 1M
    const usage = { prompt_tokens: 10_000, completion_tokens: 3_000, total_tokens: 13_000, prompt_tokens_details: { cached_tokens: 8_000 }, completion_tokens_details: { reasoning_tokens: 2_000 } };
    const cost = computeCost(priceOf('openai', 'o4-mini'), usageParts(usage));
    // 2000 × 1.10 + 8000 × 0.275 + 1000 × 4.40 + 2000 × 4.40 (per 1M) = 0.0022 + 0.0022 + 0.0044 + 0.0088
    expect(cost.lines).toEqual({ input: 2_200_000, cachedRead: 2_200_000, cacheWrite: 0, output: 4_400_000, reasoning: 8_800_000, images: 0, audio: 0 });
    expect(cost.nano).toBe(17_600_000);
    expect(formatUsd(cost.nano)).toBe('0.0176');
  });

  it('Anthropic: cache reads and writes (separate in its API) are priced apart and never twice', () => {
    // claude-sonnet-4: input 3, cache read 0.30, cache write 3.75, output 15
    const usage = anthropicUsage({ input_tokens: 1_000, cache_read_input_tokens: 20_000, cache_creation_input_tokens: 4_000, output_tokens: 500 });
    expect(usage.prompt_tokens).toBe(25_000);
    const cost = computeCost(priceOf('anthropic', 'claude-sonnet-4-20250514'), usageParts(usage));
    // 1000 × 3 + 20000 × 0.30 + 4000 × 3.75 + 500 × 15 = 3000 + 6000 + 15000 + 7500 (µ$ ×1e-3)
    expect(cost.lines.input).toBe(3_000_000);
    expect(cost.lines.cachedRead).toBe(6_000_000);
    expect(cost.lines.cacheWrite).toBe(15_000_000);
    expect(cost.lines.output).toBe(7_500_000);
    expect(cost.nano).toBe(31_500_000);
  });

  it('Anthropic with extended thinking: thinking tokens at the output rate, counted once', () => {
    const usage = anthropicUsage({ input_tokens: 100, output_tokens: 1_000, output_tokens_details: { thinking_tokens: 600 } });
    const cost = computeCost(priceOf('anthropic', 'claude-3-7-sonnet-20250219'), usageParts(usage));
    expect(cost.lines.output + cost.lines.reasoning).toBe(15_000_000);
    expect(cost.nano).toBe(300_000 + 15_000_000);
  });

  it('Gemini: cached content and thoughts, with the long-context tier above 200k prompt tokens', () => {
    const small = geminiUsage({ promptTokenCount: 10_000, cachedContentTokenCount: 4_000, candidatesTokenCount: 1_000, thoughtsTokenCount: 3_000 });
    expect(small.completion_tokens).toBe(4_000);
    const price = priceOf('gemini', 'gemini-2.5-pro');
    // 6000 × 1.25 + 4000 × 0.31 + 1000 × 10 + 3000 × 10
    expect(computeCost(price, usageParts(small)).nano).toBe(7_500_000 + 1_240_000 + 10_000_000 + 30_000_000);
    const large = geminiUsage({ promptTokenCount: 300_000, candidatesTokenCount: 1_000 });
    // 300000 × 2.50 + 1000 × 15
    expect(computeCost(price, usageParts(large)).nano).toBe(750_000_000 + 15_000_000);
  });

  it('a reasoning rate of its own applies only to reasoning tokens', () => {
    const price = modelPriceSchema.parse({ input: 2, output: 8, reasoning: 3 });
    const cost = computeCost(price, usageParts({ prompt_tokens: 0, completion_tokens: 1_000_000, total_tokens: 1_000_000, completion_tokens_details: { reasoning_tokens: 400_000 } }));
    expect(cost.nano).toBe(600_000 * 8 * 1000 + 400_000 * 3 * 1000);
  });

  it('details larger than their totals are clamped, never negative', () => {
    const parts = usageParts({ prompt_tokens: 100, completion_tokens: 10, total_tokens: 110, prompt_tokens_details: { cached_tokens: 150, cache_write_tokens: 20 }, completion_tokens_details: { reasoning_tokens: 50 } });
    expect(parts).toEqual({ uncachedInput: 0, cachedRead: 100, cacheWrite: 0, visibleOutput: 0, reasoning: 10, totalInput: 100 });
  });

  it('embeddings use the embedding price; images and audio seconds their own prices', () => {
    expect(computeCost(priceOf('openai', 'text-embedding-3-small'), usageParts({ prompt_tokens: 5_000, completion_tokens: 0, total_tokens: 5_000 }), {}, 'embeddings').nano).toBe(100_000);
    const price = modelPriceSchema.parse({ input: 1, output: 1, per_image: 0.04, per_audio_second: 0.0001 });
    expect(computeCost(price, usageParts({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }), { images: 2, audioSeconds: 30 }).nano).toBe(80_000_000 + 3_000_000);
  });

  it('the worst case takes the dearest input rate (cache write) and output rate (reasoning)', () => {
    // claude-sonnet-4: input 3 / cache write 3.75, output 15
    expect(worstCaseCost(priceOf('anthropic', 'claude-sonnet-4'), 1_000, 2_000)).toBe(3_750_000 + 30_000_000);
    expect(worstCaseCost(modelPriceSchema.parse({ input: 1, output: 2, reasoning: 5 }), 0, 1_000)).toBe(5_000_000);
  });

  it('formats USD without exponents or trailing zeros', () => {
    expect(formatUsd(1)).toBe('0.000000001');
    expect(formatUsd(1_500_000_000)).toBe('1.5');
    expect(formatUsd(2_000_000_000)).toBe('2');
    expect(formatUsd(0)).toBe('0');
  });
});
