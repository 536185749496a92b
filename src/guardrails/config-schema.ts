/** The guardrails config (the `guardrails` key of the gateway config), in zod. */
import { z } from 'zod';
import { checkSchema } from './checks/check-schemas.js';
import { isRedactingCheck } from './checks/run-check.js';

export const guardrailActions = ['deny', 'redact', 'log', 'fallback'] as const;
export type GuardrailAction = (typeof guardrailActions)[number];

/** Names go in headers and comma lists: letters, digits, `_`, `.`, `-`. */
export const guardrailNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'guardrail names are letters, digits, _, . and - (at most 100)');

export const guardrailDefinitionSchema = z
  .strictObject({
    /** Inline guardrails only; a configured one is named by its key. */
    name: guardrailNameSchema.optional(),
    checks: z.array(checkSchema).min(1),
    /** deny: refuse (446); redact: replace matches with placeholders; log: record and flag in a header; fallback: try the route's next target (output). */
    action: z.enum(guardrailActions).default('deny'),
    /** The HTTP status of a denial (the config's `deny_status` otherwise). */
    status: z.number().int().min(400).max(599).optional(),
    /** Which input messages are checked: every message, the last one, or the user's. */
    scope: z.enum(['all', 'last', 'user']).default('all'),
    /** Input redaction: put the original values back where the answer repeats a placeholder. */
    restore_output: z.boolean().default(false),
    /** Streams: `flow` checks as the text passes; `hold` sends nothing until the whole answer passed. */
    stream: z.enum(['flow', 'hold']).default('flow'),
    /** Streamed redaction keeps this many characters back, so a match split across chunks is still caught. */
    lookahead_chars: z.number().int().min(0).max(4096).default(64),
  })
  .superRefine((definition, context) => {
    if (definition.action === 'redact') {
      definition.checks.forEach((check, index) => {
        if (!isRedactingCheck(check)) {
          context.addIssue({ code: 'custom', path: ['checks', index, 'type'], message: `action 'redact' needs checks that find text to replace (pii, regex with not: true, contains with operator: none), not '${check.type}'` });
        }
      });
    }
    if (definition.restore_output && definition.action !== 'redact') context.addIssue({ code: 'custom', path: ['restore_output'], message: "restore_output needs action 'redact'" });
  });
export type GuardrailDefinition = z.infer<typeof guardrailDefinitionSchema>;
export type GuardrailDefinitionInput = z.input<typeof guardrailDefinitionSchema>;

const attachmentSchema = z.strictObject({
  input: z.array(guardrailNameSchema).default([]),
  output: z.array(guardrailNameSchema).default([]),
});

export const guardrailsConfigSchema = z
  .strictObject({
    /** Named guardrails, attached by name to routes, keys, teams, requests or every request. */
    definitions: z.record(guardrailNameSchema, guardrailDefinitionSchema).default({}),
    /** Virtual key id → the guardrails its requests run. */
    keys: z.record(z.string(), attachmentSchema).default({}),
    /** Team id → the guardrails its requests run. */
    teams: z.record(z.string(), attachmentSchema).default({}),
    /** Run on every request. */
    default_input: z.array(guardrailNameSchema).default([]),
    default_output: z.array(guardrailNameSchema).default([]),
    /** The status of a denial (Portkey's is 446). */
    deny_status: z.number().int().min(400).max(599).default(446),
    /** Honour `x-switchyard-input-guardrails` / `x-switchyard-output-guardrails` on requests. */
    request_headers: z.boolean().default(true),
    /**
     * Guardrails defined inline by the client (request headers, per-request configs):
     * none, offline checks only (no webhook or judge, the default), or all.
     */
    client_inline: z.enum(['none', 'offline', 'all']).default('offline'),
    /** LLM-judge answers kept in memory. */
    judge_cache_size: z.number().int().positive().default(1000),
  })
  .superRefine((config, context) => {
    const known = (name: string, path: (string | number)[]): void => {
      if (!Object.hasOwn(config.definitions, name)) context.addIssue({ code: 'custom', path, message: `no guardrail is named '${name}'` });
    };
    config.default_input.forEach((name, index) => known(name, ['default_input', index]));
    config.default_output.forEach((name, index) => known(name, ['default_output', index]));
    for (const group of ['keys', 'teams'] as const) {
      for (const [id, attachment] of Object.entries(config[group])) {
        attachment.input.forEach((name, index) => known(name, [group, id, 'input', index]));
        attachment.output.forEach((name, index) => known(name, [group, id, 'output', index]));
      }
    }
  });
export type GuardrailsConfig = z.infer<typeof guardrailsConfigSchema>;
export type GuardrailsConfigInput = z.input<typeof guardrailsConfigSchema>;

/** A guardrail ready to run: its name and its parsed definition. */
export interface ResolvedGuardrail {
  readonly name: string;
  readonly definition: GuardrailDefinition;
}
