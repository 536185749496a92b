/**
 * Guardrails: named checks with parameters, attached to routes, keys, teams
 * or requests, run on the input before the provider is called and on the
 * output (complete answers and streams). See README.md.
 */
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { RouteNode } from '../routing/route-schema.js';
import type { Stage } from '../server/pipeline.js';
import { JudgeRunner, type Judge } from './checks/llm-judge.js';
import { WebhookClient } from './checks/webhook.js';
import { systemClock, type Clock } from './clock.js';
import { guardrailsConfigSchema, type GuardrailsConfig, type GuardrailsConfigInput } from './config-schema.js';
import { createGuardrailResolver, parseGuardrailList } from './resolve-guardrails.js';
import { createGuardrailStage } from './stage.js';

export { guardrailsConfigSchema, guardrailDefinitionSchema, type GuardrailsConfig, type GuardrailsConfigInput, type GuardrailDefinition, type GuardrailDefinitionInput } from './config-schema.js';
export { checkSchema, type Check, type CheckInput } from './checks/check-schemas.js';
export type { Judge } from './checks/llm-judge.js';
export type { Clock } from './clock.js';
export { failedHeader } from './exchange-state.js';
export { inputHeader, outputHeader } from './resolve-guardrails.js';
export { defaultBenchmarkGuardrails } from './benchmark-set.js';

export interface GuardrailsOptions {
  readonly config: GuardrailsConfig;
  readonly logger: Logger;
  /** Asks a gateway route a question, for `llm_judge` checks (required when one is configured). */
  readonly judge?: Judge;
  readonly clock?: Clock;
  /** The undici dispatcher webhooks are sent through (a keep-alive Agent of their own by default). */
  readonly webhookDispatcher?: Dispatcher;
  /** The gateway's config routes and saved configs, so a bad `input_guardrails` / `output_guardrails` on one stops the start. */
  readonly routes?: Readonly<Record<string, RouteNode>>;
}

export interface Guardrails {
  readonly stage: Stage;
  stop(): Promise<void>;
}

/** Builds the stage; throws (an Error naming the path) on a config that cannot run. */
export function createGuardrails(options: GuardrailsOptions): Guardrails {
  const config = options.config;
  const fromRoutes = Object.entries(options.routes ?? {}).flatMap(([name, route]) => [
    ...parseGuardrailList(route.input_guardrails, `route ${name} input_guardrails`, 'input_guardrails', config, false),
    ...parseGuardrailList(route.output_guardrails, `route ${name} output_guardrails`, 'output_guardrails', config, false),
  ]);
  const definitions = [...Object.values(config.definitions), ...fromRoutes.map((guardrail) => guardrail.definition)];
  if (!options.judge && definitions.some((definition) => definition.checks.some((check) => check.type === 'llm_judge'))) {
    throw new Error('guardrails: an llm_judge check is configured but the gateway gave no judge');
  }
  const clock = options.clock ?? systemClock;
  const webhooks = new WebhookClient(options.logger, options.webhookDispatcher);
  const judges = options.judge ? new JudgeRunner(options.judge, clock, options.logger, config.judge_cache_size) : undefined;
  const stage = createGuardrailStage(config, createGuardrailResolver(config), { services: { webhooks, judges }, clock, logger: options.logger });
  return {
    stage,
    async stop() {
      judges?.stop();
      await webhooks.close();
    },
  };
}

/** Parses a guardrails config (defaults filled in); for callers that hold the raw input. */
export function parseGuardrailsConfig(input: GuardrailsConfigInput | undefined): GuardrailsConfig {
  return guardrailsConfigSchema.parse(input ?? {});
}
