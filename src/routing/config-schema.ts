/** The gateway config file, in zod: the one source of truth for its shape. */
import { z } from 'zod';
import { routeNodeSchema, routingConfigSchema } from './route-schema.js';
import { governanceConfigSchema } from '../governance/config-schema.js';
import { telemetryConfigSchema } from '../telemetry/config-schema.js';
import { guardrailsConfigSchema } from '../guardrails/config-schema.js';
import { cacheConfigSchema } from '../cache/config-schema.js';
import type { DialectId } from '../providers/contract.js';

const serviceAccountSchema = z.looseObject({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  token_uri: z.string().optional(),
});

export const providerConfigSchema = z.strictObject({
  /** A native dialect (openai, azure, anthropic, gemini, vertex, bedrock, cohere, mistral) or a catalog id (groq, ...). Defaults to the provider's name. */
  type: z.string().min(1).optional(),
  api_key: z.string().optional(),
  base_url: z.url({ message: 'expected an absolute http(s) URL' }).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Model ids listed by GET /v1/models. */
  models: z.array(z.string()).optional(),
  /**
   * OpenAI-dialect providers (openai, azure, the catalog): `send` the `reasoning_content` of history messages,
   * `drop` it, or `require` it (an empty one on tool-call turns that have none), over the catalog row's choice
   * (e.g. `send` for a server that reads it back, `drop` for one that refuses it; see `providers/catalog.ts`).
   */
  reasoning_history: z.enum(['send', 'drop', 'require']).optional(),
  // Azure OpenAI
  api_version: z.string().optional(),
  // AWS Bedrock
  region: z.string().optional(),
  access_key_id: z.string().optional(),
  secret_access_key: z.string().optional(),
  session_token: z.string().optional(),
  // Google Vertex AI
  project: z.string().optional(),
  location: z.string().optional(),
  /** The service-account key: an object, a JSON string, or a path to the JSON file. */
  service_account: z.union([serviceAccountSchema, z.string().min(1)]).optional(),
  token_url: z.url().optional(),
});
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** Native dialects that turn reasoning into their own blocks (or leave it out): `reasoning_history` means nothing to them. */
const ownReasoningDialects = ['anthropic', 'gemini', 'vertex', 'bedrock', 'cohere', 'mistral'] as const satisfies readonly DialectId[];

export const aliasConfigSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  /** Default params merged under the client's own. */
  params: z.record(z.string(), z.unknown()).optional(),
});
export type AliasConfig = z.infer<typeof aliasConfigSchema>;

export const serverConfigSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().optional(),
  body_limit_bytes: z.number().int().positive().default(10 * 1024 * 1024),
  shutdown_grace_ms: z.number().int().nonnegative().default(10_000),
});

export const imageFetchConfigSchema = z.strictObject({
  /** Allow image URLs that resolve to private, loopback or link-local addresses. */
  allow_private_addresses: z.boolean().default(false),
  max_bytes: z.number().int().positive().default(20 * 1024 * 1024),
  timeout_ms: z.number().int().positive().default(10_000),
});

export const timeoutConfigSchema = z.strictObject({
  connect_ms: z.number().int().positive().default(10_000),
  /** Time to the response headers. */
  first_byte_ms: z.number().int().positive().default(120_000),
  total_ms: z.number().int().positive().default(600_000),
  /** The longest gap allowed between two chunks of a stream. */
  stream_idle_ms: z.number().int().positive().default(120_000),
});

export const gatewayConfigSchema = z.strictObject({
  server: serverConfigSchema.default({ body_limit_bytes: 10 * 1024 * 1024, shutdown_grace_ms: 10_000 }),
  providers: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'provider names are lower-case letters, digits, - and _'), providerConfigSchema)
    .default({})
    .superRefine((providers, context) => {
      for (const [name, provider] of Object.entries(providers)) {
        const type = provider.type ?? name;
        if (provider.reasoning_history === undefined || !(ownReasoningDialects as readonly string[]).includes(type)) continue;
        context.addIssue({ code: 'custom', path: [name, 'reasoning_history'], message: `only OpenAI-dialect providers take it; ${type} maps reasoning by itself` });
      }
    }),
  models: z.record(z.string(), aliasConfigSchema).default({}),
  images: imageFetchConfigSchema.default({ allow_private_addresses: false, max_bytes: 20 * 1024 * 1024, timeout_ms: 10_000 }),
  /** Named routes: what a client sends as `model`. */
  routes: z.record(z.string(), routeNodeSchema).default({}),
  /** Saved configs, referred to by id in `x-switchyard-config`. */
  configs: z.record(z.string(), routeNodeSchema).default({}),
  routing: routingConfigSchema.default(routingConfigSchema.parse({})),
  storage: z
    .strictObject({
      /** The embedded SQLite file: keys, budgets, the ledger and the cache when DATABASE_URL is not set. */
      sqlite_path: z.string().min(1).default('./data/switchyard.db'),
      /** The request log's SQLite file when DATABASE_URL is not set; default: `sqlite_path` with `-log` before the extension. */
      log_sqlite_path: z.string().min(1).optional(),
    })
    .default({ sqlite_path: './data/switchyard.db' }),
  governance: governanceConfigSchema.default(governanceConfigSchema.parse({})),
  telemetry: telemetryConfigSchema.default(telemetryConfigSchema.parse({})),
  guardrails: guardrailsConfigSchema.default(guardrailsConfigSchema.parse({})),
  cache: cacheConfigSchema.default(cacheConfigSchema.parse({})),
  timeouts: timeoutConfigSchema.default({ connect_ms: 10_000, first_byte_ms: 120_000, total_ms: 600_000, stream_idle_ms: 120_000 }),
});
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
