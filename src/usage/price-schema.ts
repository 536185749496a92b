/**
 * The price table's shape, in zod: list prices in USD per 1M tokens (per image
 * and per audio second where a model bills that way), each with the date from
 * which it applies. The same model-price shape serves the config's overrides.
 */
import { z } from 'zod';

const usdPerMillion = z.number().nonnegative();

export const modelPriceSchema = z.strictObject({
  /** Input tokens that were neither read from nor written to a prompt cache. */
  input: usdPerMillion,
  output: usdPerMillion.default(0),
  /** Prompt-cache reads (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`); defaults to `input`. */
  cached_input: usdPerMillion.optional(),
  /** Prompt-cache writes (Anthropic `cache_creation_input_tokens`); defaults to `input`. */
  cache_write: usdPerMillion.optional(),
  /** Reasoning tokens; defaults to `output`. */
  reasoning: usdPerMillion.optional(),
  /** USD per input image, for models that bill images apart from tokens. */
  per_image: z.number().nonnegative().optional(),
  /** USD per second of input audio, for models that bill audio by time. */
  per_audio_second: z.number().nonnegative().optional(),
  /** Embedding input tokens; defaults to `input`. */
  embedding: usdPerMillion.optional(),
  /** The model's output limit: the worst case when a request sets no `max_tokens`. */
  max_output_tokens: z.number().int().positive().optional(),
  /** Higher rates once the prompt is over a size (Gemini Pro, Claude's 1M context). */
  long_context: z
    .strictObject({
      above_input_tokens: z.number().int().positive(),
      input: usdPerMillion,
      output: usdPerMillion,
      cached_input: usdPerMillion.optional(),
      cache_write: usdPerMillion.optional(),
    })
    .optional(),
});
export type ModelPrice = z.output<typeof modelPriceSchema>;
export type ModelPriceInput = z.input<typeof modelPriceSchema>;

export const datedPriceSchema = modelPriceSchema.extend({
  /** The first day (UTC) the price applies. */
  effective_from: z.iso.date(),
});
export type DatedPrice = z.output<typeof datedPriceSchema>;

export const priceFileSchema = z.strictObject({
  /** Bumped on every change of the file. */
  version: z.string().min(1),
  currency: z.literal('USD'),
  unit: z.literal('per_1m_tokens'),
  note: z.string().optional(),
  /** Providers whose models are priced like another provider's (azure → openai, vertex → gemini, anthropic). */
  provider_fallbacks: z.record(z.string(), z.array(z.string())).default({}),
  /** Providers whose model ids are `vendor/model` (OpenRouter): priced as that vendor's model. */
  routers: z.array(z.string()).default([]),
  /** Self-hosted providers: every model costs nothing (not unpriced). */
  free_providers: z.array(z.string()).default([]),
  /** Prefixes dropped from model ids before the lookup, per provider (Bedrock's `us.` inference profiles). */
  strip_model_prefixes: z.record(z.string(), z.array(z.string())).default({}),
  /** `provider/model` → its prices over time, oldest first. */
  models: z.record(z.string().regex(/^[a-z0-9_-]+\/.+$/, 'keys are provider/model'), z.array(datedPriceSchema).min(1)),
});
export type PriceFile = z.output<typeof priceFileSchema>;
