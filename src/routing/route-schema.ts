/**
 * Routes: a named tree of targets. A leaf names a provider and a model; an
 * inner node has a strategy over its `targets`. Everything a node sets
 * (credentials, params, retry, time-outs, region) is inherited by its children.
 */
import { z } from 'zod';
import { circuitBreakerOptionsSchema } from './circuit-breaker.js';
import { conditionQuerySchema } from './condition.js';

const statusCodes = z.array(z.number().int().min(100).max(599));

export const retrySchema = z.strictObject({
  /** Retries after the first try (0 = no retry). */
  attempts: z.number().int().min(0).max(10),
  on_status_codes: statusCodes.optional(),
  base_ms: z.number().int().nonnegative().optional(),
  max_ms: z.number().int().positive().optional(),
  /** Honour Retry-After, retry-after-ms and x-ratelimit-reset-* (capped by max_ms). */
  use_retry_after: z.boolean().optional(),
});
export type RetryConfig = z.infer<typeof retrySchema>;

export const targetTimeoutsSchema = z.strictObject({
  first_byte_ms: z.number().int().positive().optional(),
  total_ms: z.number().int().positive().optional(),
  stream_idle_ms: z.number().int().positive().optional(),
});
export type TargetTimeouts = z.infer<typeof targetTimeoutsSchema>;

export const strategySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('single') }),
  z.strictObject({ mode: z.literal('fallback'), on_status_codes: statusCodes.optional() }),
  z.strictObject({ mode: z.literal('loadbalance'), policy: z.enum(['weighted', 'least-latency', 'least-busy']).default('weighted') }),
  z.strictObject({
    mode: z.literal('conditional'),
    /** `query` is a condition over metadata, params and headers; `then` names a target (by `name`). */
    conditions: z.array(z.strictObject({ query: conditionQuerySchema, then: z.string() })).min(1),
    default: z.string().optional(),
  }),
]);
export type Strategy = z.infer<typeof strategySchema>;

export const regionPolicySchema = z.strictObject({
  /** 'require': never serve a request outside its allowed regions; 'prefer': try them first. */
  mode: z.enum(['require', 'prefer']),
  /** The caller's region → the target regions allowed for it. A region not listed allows only itself. */
  allowed: z.record(z.string(), z.array(z.string()).min(1)).default({}),
});
export type RegionPolicy = z.infer<typeof regionPolicySchema>;

export interface RouteNode {
  name?: string;
  strategy?: Strategy;
  targets?: RouteNode[];
  provider?: string;
  model?: string;
  weight?: number;
  region?: string;
  region_policy?: RegionPolicy;
  override_params?: Record<string, unknown>;
  api_key?: string;
  base_url?: string;
  retry?: RetryConfig;
  timeouts?: TargetTimeouts;
  /** Settings read by the cache and guardrail stages, validated there (so a bad one is a 400 from that stage). */
  cache?: unknown;
  input_guardrails?: unknown;
  output_guardrails?: unknown;
}

export const routeNodeSchema: z.ZodType<RouteNode> = z.lazy(() =>
  z
    .strictObject({
      name: z.string().min(1).optional(),
      strategy: strategySchema.optional(),
      targets: z.array(routeNodeSchema).min(1).optional(),
      provider: z.string().min(1).optional(),
      model: z.string().min(1).optional(),
      weight: z.number().nonnegative().optional(),
      region: z.string().min(1).optional(),
      region_policy: regionPolicySchema.optional(),
      override_params: z.record(z.string(), z.unknown()).optional(),
      api_key: z.string().optional(),
      base_url: z.url().optional(),
      retry: retrySchema.optional(),
      timeouts: targetTimeoutsSchema.optional(),
      cache: z.unknown().optional(),
      input_guardrails: z.unknown().optional(),
      output_guardrails: z.unknown().optional(),
    })
    .superRefine((node, context) => {
      if (node.targets && node.strategy === undefined) {
        context.addIssue({ code: 'custom', path: ['strategy'], message: 'a node with targets needs a strategy' });
      }
      if (node.strategy?.mode === 'conditional' && node.targets) {
        const names = new Set(node.targets.map((target) => target.name));
        for (const [index, condition] of node.strategy.conditions.entries()) {
          if (!names.has(condition.then)) context.addIssue({ code: 'custom', path: ['strategy', 'conditions', index, 'then'], message: `no target is named '${condition.then}'` });
        }
        if (node.strategy.default !== undefined && !names.has(node.strategy.default)) {
          context.addIssue({ code: 'custom', path: ['strategy', 'default'], message: `no target is named '${node.strategy.default}'` });
        }
      }
    }),
);

export const circuitBreakerConfigSchema = circuitBreakerOptionsSchema.extend({ enabled: z.boolean().default(true) }).strict();

export const routingConfigSchema = z.strictObject({
  /** The default retry of every target (a route's own `retry` overrides it). */
  retry: retrySchema.default({ attempts: 0 }),
  /** The most retries one request may make across all its targets. */
  retry_budget: z.number().int().nonnegative().default(5),
  circuit_breaker: circuitBreakerConfigSchema.default(circuitBreakerConfigSchema.parse({})),
  /** Allow `x-portkey-custom-host` / per-request `base_url` to point at private or loopback addresses. */
  allow_private_custom_hosts: z.boolean().default(false),
});
export type RoutingConfig = z.infer<typeof routingConfigSchema>;
