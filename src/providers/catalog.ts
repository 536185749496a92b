/**
 * OpenAI-compatible providers, one typed row each. Adding a provider is adding a row.
 * `unsupported` lists ChatRequest keys the provider rejects: a client that sends
 * one gets a clear 400 rather than a silent drop (`stream_options` is dropped,
 * since the gateway itself adds it).
 * `reasoningHistory` says what happens to `reasoning_content` on the assistant
 * messages of a history (which the gateway itself adds to answers from every
 * dialect that reasons): `send` where the provider reads it back or ignores it,
 * `drop` where it refuses the property (Groq and Cerebras answer 400 "property
 * 'reasoning_content' is unsupported"), `require` where a tool-call turn must
 * carry it: DeepSeek's thinking mode (on by default) answers 400 "The
 * reasoning_content in the thinking mode must be passed back" without it, so a
 * tool-call turn that has none (another provider made it, or the client lost
 * it) gets an empty one. A provider's config may set `reasoning_history` over it.
 */
import type { ChatRequest } from '../api/chat-schema.js';
import type { ReasoningHistory } from './contract.js';

export interface CatalogRow {
  readonly id: string;
  readonly name: string;
  readonly baseURL: string;
  /** Environment variable holding the key (zero-config mode). `<ID>_BASE_URL` overrides the base URL. */
  readonly apiKeyEnv: string;
  /** 'none' for local servers that need no key. */
  readonly auth: 'bearer' | 'none';
  readonly unsupported: readonly (keyof ChatRequest)[];
  readonly reasoningHistory: ReasoningHistory;
}

export const openaiCompatibleCatalog = [
  { id: 'groq', name: 'Groq', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY', auth: 'bearer', unsupported: ['logit_bias', 'top_logprobs'], reasoningHistory: 'drop' },
  { id: 'together', name: 'Together AI', baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY', auth: 'bearer', unsupported: [], reasoningHistory: 'send' },
  { id: 'fireworks', name: 'Fireworks AI', baseURL: 'https://api.fireworks.ai/inference/v1', apiKeyEnv: 'FIREWORKS_API_KEY', auth: 'bearer', unsupported: [], reasoningHistory: 'send' },
  { id: 'deepseek', name: 'DeepSeek', baseURL: 'https://api.deepseek.com/v1', apiKeyEnv: 'DEEPSEEK_API_KEY', auth: 'bearer', unsupported: ['n', 'seed'], reasoningHistory: 'require' },
  { id: 'xai', name: 'xAI', baseURL: 'https://api.x.ai/v1', apiKeyEnv: 'XAI_API_KEY', auth: 'bearer', unsupported: [], reasoningHistory: 'send' },
  { id: 'openrouter', name: 'OpenRouter', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY', auth: 'bearer', unsupported: [], reasoningHistory: 'send' },
  { id: 'perplexity', name: 'Perplexity', baseURL: 'https://api.perplexity.ai', apiKeyEnv: 'PERPLEXITY_API_KEY', auth: 'bearer', unsupported: ['n', 'tools', 'tool_choice', 'logit_bias', 'stream_options'], reasoningHistory: 'send' },
  { id: 'cerebras', name: 'Cerebras', baseURL: 'https://api.cerebras.ai/v1', apiKeyEnv: 'CEREBRAS_API_KEY', auth: 'bearer', unsupported: ['frequency_penalty', 'presence_penalty', 'logit_bias'], reasoningHistory: 'drop' },
  { id: 'deepinfra', name: 'DeepInfra', baseURL: 'https://api.deepinfra.com/v1/openai', apiKeyEnv: 'DEEPINFRA_API_KEY', auth: 'bearer', unsupported: [], reasoningHistory: 'send' },
  { id: 'ollama', name: 'Ollama', baseURL: 'http://localhost:11434/v1', apiKeyEnv: 'OLLAMA_API_KEY', auth: 'none', unsupported: [], reasoningHistory: 'send' },
  { id: 'vllm', name: 'vLLM', baseURL: 'http://localhost:8000/v1', apiKeyEnv: 'VLLM_API_KEY', auth: 'none', unsupported: [], reasoningHistory: 'send' },
  { id: 'lmstudio', name: 'LM Studio', baseURL: 'http://localhost:1234/v1', apiKeyEnv: 'LMSTUDIO_API_KEY', auth: 'none', unsupported: [], reasoningHistory: 'send' },
  { id: 'voyage', name: 'Voyage AI (embeddings)', baseURL: 'https://api.voyageai.com/v1', apiKeyEnv: 'VOYAGE_API_KEY', auth: 'bearer', unsupported: [], reasoningHistory: 'send' },
] as const satisfies readonly CatalogRow[];

export type CatalogId = (typeof openaiCompatibleCatalog)[number]['id'];

const byId = new Map<string, CatalogRow>(openaiCompatibleCatalog.map((row) => [row.id, row]));

export function catalogRow(id: string): CatalogRow | undefined {
  return byId.get(id);
}
