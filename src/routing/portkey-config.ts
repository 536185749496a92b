/**
 * Portkey's config schema (the `x-portkey-config` header), translated into a
 * Switchyard route, so Portkey users can switch with no code change.
 * Fields with no Switchyard meaning yet (virtual keys, hooks) are refused by
 * name rather than ignored.
 */
import { z } from 'zod';
import { GatewayError } from '../api/errors.js';
import { conditionQuerySchema, type ConditionQuery } from './condition.js';
import { formatZodError } from './load-config.js';
import { routeNodeSchema, type RouteNode } from './route-schema.js';

/** Portkey's provider slugs → Switchyard's provider names. */
export const portkeyProviders: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gemini',
  'vertex-ai': 'vertex',
  bedrock: 'bedrock',
  'azure-openai': 'azure',
  cohere: 'cohere',
  'mistral-ai': 'mistral',
  groq: 'groq',
  'together-ai': 'together',
  'fireworks-ai': 'fireworks',
  deepseek: 'deepseek',
  'x-ai': 'xai',
  openrouter: 'openrouter',
  'perplexity-ai': 'perplexity',
  cerebras: 'cerebras',
  deepinfra: 'deepinfra',
  ollama: 'ollama',
  'lm-studio': 'lmstudio',
  'voyage-ai': 'voyage',
};

export function fromPortkeyProvider(slug: string): string {
  return portkeyProviders[slug] ?? slug;
}

interface PortkeyTarget {
  strategy?: { mode: 'single' | 'fallback' | 'loadbalance' | 'conditional'; on_status_codes?: number[]; conditions?: { query: ConditionQuery; then: string }[]; default?: string };
  targets?: PortkeyTarget[];
  provider?: string;
  api_key?: string;
  override_params?: Record<string, unknown>;
  weight?: number;
  name?: string;
  custom_host?: string;
  retry?: { attempts: number; on_status_codes?: number[]; use_retry_after_header?: boolean };
  request_timeout?: number;
  virtual_key?: string;
  cache?: unknown;
  input_guardrails?: unknown;
  output_guardrails?: unknown;
}

const portkeyTargetSchema: z.ZodType<PortkeyTarget> = z.lazy(() =>
  z.looseObject({
    strategy: z
      .looseObject({
        mode: z.enum(['single', 'fallback', 'loadbalance', 'conditional']),
        on_status_codes: z.array(z.number().int()).optional(),
        conditions: z.array(z.object({ query: conditionQuerySchema, then: z.string() })).optional(),
        default: z.string().optional(),
      })
      .optional(),
    targets: z.array(portkeyTargetSchema).min(1).optional(),
    provider: z.string().min(1).optional(),
    api_key: z.string().optional(),
    override_params: z.record(z.string(), z.unknown()).optional(),
    weight: z.number().nonnegative().optional(),
    name: z.string().optional(),
    custom_host: z.string().optional(),
    retry: z.looseObject({ attempts: z.number().int().min(0).max(10), on_status_codes: z.array(z.number().int()).optional(), use_retry_after_header: z.boolean().optional() }).optional(),
    request_timeout: z.number().int().positive().optional(),
    virtual_key: z.string().optional(),
    cache: z.unknown().optional(),
    input_guardrails: z.unknown().optional(),
    output_guardrails: z.unknown().optional(),
  }),
);

function translate(target: PortkeyTarget, path: string): RouteNode {
  if (target.virtual_key !== undefined) {
    throw new GatewayError('invalid_config', { message: `x-portkey-config ${path || '(root)'}.virtual_key: Portkey virtual keys are not supported; give provider and api_key.`, param: 'x-portkey-config' });
  }
  const node: RouteNode = {};
  if (target.name !== undefined) node.name = target.name;
  if (target.provider !== undefined) node.provider = fromPortkeyProvider(target.provider.replace(/^@/, ''));
  if (target.api_key !== undefined) node.api_key = target.api_key;
  if (target.override_params !== undefined) node.override_params = target.override_params;
  if (target.weight !== undefined) node.weight = target.weight;
  if (target.custom_host !== undefined) node.base_url = target.custom_host;
  if (target.retry !== undefined) {
    node.retry = { attempts: target.retry.attempts, use_retry_after: target.retry.use_retry_after_header ?? false };
    if (target.retry.on_status_codes) node.retry.on_status_codes = target.retry.on_status_codes;
  }
  if (target.cache !== undefined) node.cache = target.cache;
  if (target.input_guardrails !== undefined) node.input_guardrails = target.input_guardrails;
  if (target.output_guardrails !== undefined) node.output_guardrails = target.output_guardrails;
  if (target.request_timeout !== undefined) node.timeouts = { total_ms: target.request_timeout, first_byte_ms: target.request_timeout };
  if (target.targets) {
    const mode = target.strategy?.mode ?? 'single';
    if (mode === 'conditional') node.strategy = { mode, conditions: target.strategy?.conditions ?? [], default: target.strategy?.default };
    else if (mode === 'fallback') node.strategy = { mode, on_status_codes: target.strategy?.on_status_codes };
    else if (mode === 'loadbalance') node.strategy = { mode, policy: 'weighted' };
    else node.strategy = { mode };
    node.targets = target.targets.map((child, index) => translate(child, `${path ? `${path}.` : ''}targets[${index}]`));
  }
  return node;
}

/** Parses and translates a Portkey config (already JSON-decoded); errors name the path. */
export function portkeyConfigToRoute(value: unknown): RouteNode {
  const parsed = portkeyTargetSchema.safeParse(value);
  if (!parsed.success) throw new GatewayError('invalid_config', { message: formatZodError(parsed.error, 'x-portkey-config'), param: 'x-portkey-config' });
  const route = translate(parsed.data, '');
  const checked = routeNodeSchema.safeParse(route);
  if (!checked.success) throw new GatewayError('invalid_config', { message: formatZodError(checked.error, 'x-portkey-config'), param: 'x-portkey-config' });
  return checked.data;
}
