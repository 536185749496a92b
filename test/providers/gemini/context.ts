import { chatRequestSchema, type ChatRequest } from '../../../src/api/chat-schema.js';
import type { CallContext, ProviderSettings } from '../../../src/providers/contract.js';

export function geminiContext(overrides: Partial<CallContext> & { settings?: Partial<ProviderSettings> } = {}): CallContext {
  const { settings, ...rest } = overrides;
  return {
    model: 'gemini-2.5-flash',
    stream: false,
    inboundHeaders: {},
    ...rest,
    settings: { name: 'gemini', dialect: 'gemini', baseURL: 'https://generativelanguage.googleapis.com/v1beta', apiKey: 'g-key', options: {}, ...settings },
  };
}

/** Parses like the gateway does, so tests feed the mapping the same shapes. */
export function chatRequest(input: Record<string, unknown>): ChatRequest {
  return chatRequestSchema.parse({ model: 'gemini/gemini-2.5-flash', ...input });
}
