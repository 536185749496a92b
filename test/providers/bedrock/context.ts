import { chatRequestSchema, type ChatRequest } from '../../../src/api/chat-schema.js';
import { GatewayError } from '../../../src/api/errors.js';
import type { CallContext, ProviderSettings } from '../../../src/providers/contract.js';

export const claudeProfile = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';

export function bedrockContext(overrides: Omit<Partial<CallContext>, 'settings'> & { settings?: Partial<ProviderSettings> } = {}): CallContext {
  const { settings, ...rest } = overrides;
  return {
    model: claudeProfile,
    stream: false,
    inboundHeaders: {},
    ...rest,
    settings: {
      name: 'aws',
      dialect: 'bedrock',
      baseURL: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      options: { region: 'us-east-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      ...settings,
    },
  };
}

/** Parses like the gateway does, so tests feed the mapping the same shapes. */
export function chatRequest(input: Record<string, unknown>): ChatRequest {
  return chatRequestSchema.parse({ model: `aws/${claudeProfile}`, ...input });
}

export function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}
