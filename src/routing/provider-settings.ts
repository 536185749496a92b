/**
 * Builds ProviderSettings for a provider name, from the config file when it
 * declares one, otherwise from the conventional environment variables
 * (zero-config mode).
 */
import { readFileSync } from 'node:fs';
import type { DialectId, ProviderOptions, ProviderSettings } from '../providers/contract.js';
import { catalogRow } from '../providers/catalog.js';
import { isDialect } from '../providers/registry.js';
import type { ProviderConfig } from './config-schema.js';
import { ConfigError } from './load-config.js';

interface NativeDefaults {
  baseURL: (env: NodeJS.ProcessEnv) => string;
  apiKey: (env: NodeJS.ProcessEnv) => string | undefined;
}

const nativeDefaults: Record<DialectId, NativeDefaults> = {
  openai: { baseURL: (env) => env.OPENAI_BASE_URL || 'https://api.openai.com/v1', apiKey: (env) => env.OPENAI_API_KEY },
  azure: { baseURL: (env) => env.AZURE_OPENAI_ENDPOINT || '', apiKey: (env) => env.AZURE_OPENAI_API_KEY },
  anthropic: { baseURL: (env) => env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com', apiKey: (env) => env.ANTHROPIC_API_KEY },
  gemini: { baseURL: (env) => env.GEMINI_BASE_URL || 'https://generativelanguage.googleapis.com/v1beta', apiKey: (env) => env.GEMINI_API_KEY || env.GOOGLE_API_KEY },
  vertex: { baseURL: (env) => env.VERTEX_BASE_URL || '', apiKey: () => undefined },
  bedrock: {
    baseURL: (env) => env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME || env.AWS_ENDPOINT_URL || `https://bedrock-runtime.${env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1'}.amazonaws.com`,
    apiKey: (env) => env.AWS_BEARER_TOKEN_BEDROCK,
  },
  cohere: { baseURL: (env) => env.COHERE_BASE_URL || 'https://api.cohere.com', apiKey: (env) => env.CO_API_KEY || env.COHERE_API_KEY },
  mistral: { baseURL: (env) => env.MISTRAL_BASE_URL || 'https://api.mistral.ai/v1', apiKey: (env) => env.MISTRAL_API_KEY },
};

function readServiceAccount(value: ProviderConfig['service_account'], name: string): ProviderOptions['serviceAccount'] {
  if (value === undefined) return undefined;
  if (typeof value === 'object') return value;
  const text = value.trimStart().startsWith('{') ? value : readFileSafely(value, name);
  try {
    const parsed = JSON.parse(text) as { client_email?: string; private_key?: string };
    if (!parsed.client_email || !parsed.private_key) throw new Error('client_email and private_key are required');
    return parsed as ProviderOptions['serviceAccount'];
  } catch (error) {
    throw new ConfigError(`config providers.${name}.service_account: not a service-account key (${(error as Error).message})`);
  }
}

function readFileSafely(file: string, name: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config providers.${name}.service_account: cannot read ${file} (${(error as Error).message})`);
  }
}

function vertexLocation(config: ProviderConfig | undefined, env: NodeJS.ProcessEnv): string {
  return config?.location || env.VERTEX_LOCATION || env.GOOGLE_CLOUD_LOCATION || 'us-central1';
}

export function vertexDefaultBaseURL(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com/v1' : `https://${location}-aiplatform.googleapis.com/v1`;
}

/** Settings for `name`, or undefined when the name is neither configured nor a known provider. */
export function buildProviderSettings(name: string, config: ProviderConfig | undefined, env: NodeJS.ProcessEnv): ProviderSettings | undefined {
  const type = config?.type ?? name;
  const row = catalogRow(type);
  if (row) {
    const envPrefix = row.id.toUpperCase();
    return {
      name,
      dialect: 'openai',
      baseURL: config?.base_url || env[`${envPrefix}_BASE_URL`] || row.baseURL,
      apiKey: config?.api_key || env[row.apiKeyEnv] || undefined,
      headers: config?.headers,
      options: { unsupportedParams: row.unsupported, maxTokensField: 'max_tokens', reasoningHistory: config?.reasoning_history ?? row.reasoningHistory },
    };
  }
  if (!isDialect(type)) return undefined;
  const defaults = nativeDefaults[type];
  const location = vertexLocation(config, env);
  const options: ProviderOptions = {
    apiVersion: config?.api_version || env.OPENAI_API_VERSION || env.AZURE_OPENAI_API_VERSION,
    region: config?.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    accessKeyId: config?.access_key_id || env.AWS_ACCESS_KEY_ID,
    secretAccessKey: config?.secret_access_key || env.AWS_SECRET_ACCESS_KEY,
    sessionToken: config?.session_token || env.AWS_SESSION_TOKEN,
    project: config?.project || env.VERTEX_PROJECT || env.GOOGLE_CLOUD_PROJECT,
    location,
    serviceAccount: type === 'vertex' ? readServiceAccount(config?.service_account ?? env.GOOGLE_APPLICATION_CREDENTIALS, name) : undefined,
    tokenURL: config?.token_url || env.VERTEX_TOKEN_URL,
    reasoningHistory: config?.reasoning_history,
  };
  let baseURL = config?.base_url || defaults.baseURL(env);
  if (type === 'vertex' && !baseURL) baseURL = vertexDefaultBaseURL(location);
  return { name, dialect: type, baseURL, apiKey: config?.api_key || defaults.apiKey(env) || undefined, headers: config?.headers, options };
}

/** Whether a provider may be called without any key (local OpenAI-compatible servers). */
export function keyOptional(name: string, config: ProviderConfig | undefined): boolean {
  const type = config?.type ?? name;
  const row = catalogRow(type);
  if (row) return row.auth === 'none';
  return type === 'vertex' || type === 'bedrock';
}
