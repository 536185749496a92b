/** The `gen_ai.provider.name` of a configured provider, from its dialect or catalog type. */
import type { GatewayState } from '../../server/context.js';

const knownSystems: Readonly<Record<string, string>> = {
  openai: 'openai',
  azure: 'azure.ai.openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  cohere: 'cohere',
  mistral: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  perplexity: 'perplexity',
  xai: 'x_ai',
};

export function providerSystem(state: Pick<GatewayState, 'config' | 'resolver'>, provider: string): string {
  const dialect = state.resolver.settings(provider)?.dialect;
  const type = state.config.providers[provider]?.type ?? provider;
  if (dialect && dialect !== 'openai') return knownSystems[dialect] ?? dialect;
  return knownSystems[type] ?? type;
}
