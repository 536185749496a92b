import { z } from 'zod';
import type { ChatCompletion, EmbeddingResponse } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ProviderErrorInfo } from '../contract.js';

const completionShape = z.looseObject({ object: z.string().optional(), choices: z.array(z.unknown()) });

/**
 * Reasoning text under the name some OpenAI-compatible servers give it (`reasoning`: Groq, Cerebras, OpenRouter,
 * newer vLLM) moves to `reasoning_content`, the gateway's one name for it (DeepSeek's, and what every native
 * dialect maps to), so that clients, the Messages API and the log find it in one place. A message or delta
 * without it comes back as it is; one with it, as a copy (a chunk's original JSON text may be written for it).
 */
function withReasoningContent<T extends Record<string, unknown> | undefined>(message: T): T {
  if (message === undefined || typeof message.reasoning !== 'string') return message;
  const { reasoning, ...rest } = message;
  return { ...rest, reasoning_content: rest.reasoning_content ?? reasoning } as unknown as T;
}

type WithChoices<K extends string> = { choices: ({ [key in K]?: Record<string, unknown> } | undefined)[] };

/** `body` with each choice's `field` through `withReasoningContent`: the same object when no choice has `reasoning`. */
export function choicesWithReasoningContent<K extends 'message' | 'delta', T extends WithChoices<K>>(body: T, field: K): T {
  if (!body.choices.some((choice) => typeof choice?.[field]?.reasoning === 'string')) return body;
  return { ...body, choices: body.choices.map((choice) => (choice?.[field] === undefined ? choice : { ...choice, [field]: withReasoningContent(choice[field]) })) };
}

/** OpenAI's own response is already the contract; it is checked for shape and passed on, with reasoning under its one name. */
export function openaiChatResponse(body: unknown, context: CallContext): ChatCompletion {
  if (!completionShape.safeParse(body).success) {
    throw new GatewayError('upstream_bad_response', { message: 'The provider sent a completion without choices.', provider: context.settings.name });
  }
  return choicesWithReasoningContent(body as WithChoices<'message'>, 'message') as unknown as ChatCompletion;
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
