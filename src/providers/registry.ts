/** The native dialects, by id. */
import type { DialectId, ProviderAdapter } from './contract.js';
import { openaiAdapter } from './openai/index.js';
import { anthropicAdapter } from './anthropic/index.js';
import { azureAdapter } from './azure/index.js';
import { bedrockAdapter } from './bedrock/index.js';
import { cohereAdapter } from './cohere/index.js';
import { geminiAdapter } from './gemini/index.js';
import { mistralAdapter } from './mistral/index.js';
import { vertexAdapter } from './vertex/index.js';

const adapters: Record<DialectId, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  azure: azureAdapter,
  bedrock: bedrockAdapter,
  cohere: cohereAdapter,
  gemini: geminiAdapter,
  mistral: mistralAdapter,
  vertex: vertexAdapter,
};

export const nativeDialects: readonly DialectId[] = ['openai', 'azure', 'anthropic', 'gemini', 'vertex', 'bedrock', 'cohere', 'mistral'];

export function isDialect(value: string): value is DialectId {
  return (nativeDialects as readonly string[]).includes(value);
}

export function adapterFor(dialect: DialectId): ProviderAdapter {
  return adapters[dialect];
}
