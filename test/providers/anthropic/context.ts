import { chatRequestSchema, type ChatRequest } from '../../../src/api/chat-schema.js';
import type { CallContext, ProviderSettings } from '../../../src/providers/contract.js';

export function anthropicContext(overrides: Partial<Omit<CallContext, 'settings'>> & { settings?: Partial<ProviderSettings> } = {}): CallContext {
  const { settings, ...rest } = overrides;
  return {
    model: 'claude-sonnet-4-5',
    stream: false,
    inboundHeaders: {},
    ...rest,
    settings: { name: 'claude', dialect: 'anthropic', baseURL: 'https://api.anthropic.com', apiKey: 'sk-ant-test', options: {}, ...settings },
  };
}

/** Parses like the gateway does, so tests feed the mapping the same shapes. */
export function chatRequest(input: Record<string, unknown>): ChatRequest {
  return chatRequestSchema.parse({ model: 'claude/claude-sonnet-4-5', ...input });
}
