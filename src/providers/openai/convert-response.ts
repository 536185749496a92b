import { z } from 'zod';
import type { ChatCompletion, EmbeddingResponse } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ProviderErrorInfo } from '../contract.js';

const completionShape = z.looseObject({ object: z.string().optional(), choices: z.array(z.unknown()) });

/** OpenAI's own response is already the contract; it is checked for shape and passed on unchanged. */
export function openaiChatResponse(body: unknown, context: CallContext): ChatCompletion {
  if (!completionShape.safeParse(body).success) {
    throw new GatewayError('upstream_bad_response', { message: 'The provider sent a completion without choices.', provider: context.settings.name });
  }
  return body as ChatCompletion;
}

export function openaiEmbedResponse(body: unknown, context: CallContext): EmbeddingResponse {
  if (!z.looseObject({ data: z.array(z.unknown()) }).safeParse(body).success) {
    throw new GatewayError('upstream_bad_response', { message: 'The provider sent an embeddings response without data.', provider: context.settings.name });
  }
  return body as EmbeddingResponse;
}

const openaiErrorBody = z.looseObject({
  error: z.union([
    z.looseObject({ message: z.unknown(), type: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish(), param: z.string().nullish() }),
    z.string(),
  ]),
});

export function parseOpenAIError(status: number, body: unknown): ProviderErrorInfo {
  const parsed = openaiErrorBody.safeParse(body);
  if (parsed.success) {
    const error = parsed.data.error;
    if (typeof error === 'string') return { message: error };
    const message = typeof error.message === 'string' ? error.message : JSON.stringify(error.message);
    return { message, type: error.type ?? null, code: error.code == null ? null : String(error.code), param: error.param ?? null };
  }
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return { message: body.message };
  return { message: typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${status}` };
}
