/** What the dialects' unit tests share: a call context factory, request parsing, chunk builders and a stream assembler. */
import { chatCompletionChunkSchema, chatRequestSchema, type ChatCompletionChunk, type ChatRequest } from '../../src/api/chat-schema.js';
import { GatewayError } from '../../src/api/errors.js';
import { createChunkFactory } from '../../src/providers/chunk-factory.js';
import type { CallContext, ProviderAdapter, ProviderSettings } from '../../src/providers/contract.js';

export type ContextOverrides = Partial<Omit<CallContext, 'settings'>> & { settings?: Partial<ProviderSettings> };

/** A context factory for one dialect's tests, with its default model and settings. */
export function contextFactory(model: string, defaults: ProviderSettings): (overrides?: ContextOverrides) => CallContext {
  return (overrides = {}) => {
    const { settings, ...rest } = overrides;
    return { model, stream: false, inboundHeaders: {}, ...rest, settings: { ...defaults, ...settings } };
  };
}

/** Parses like the gateway does, so tests feed the mapping the same shapes. */
export function requestParser(model: string): (input: Record<string, unknown>) => ChatRequest {
  return (input) => chatRequestSchema.parse({ model, messages: [{ role: 'user', content: 'hi' }], ...input });
}

export const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null, index = 0): ChatCompletionChunk => ({
  id: 'id',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'model',
  choices: [{ index, delta, finish_reason: finishReason }],
});

export const usageChunk = (usage: NonNullable<ChatCompletionChunk['usage']>): ChatCompletionChunk => ({ id: 'id', object: 'chat.completion.chunk', created: 0, model: 'model', choices: [], usage });

/** Joins streamed deltas back into content, reasoning and tool calls. */
export function assemble(chunks: ChatCompletionChunk[]) {
  const calls: { id?: string; type?: string; name?: string; arguments: string }[] = [];
  let content = '';
  let reasoning = '';
  for (const item of chunks) {
    const delta = item.choices[0]?.delta;
    content += delta?.content ?? '';
    reasoning += delta?.reasoning_content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      calls[call.index] ??= { arguments: '' };
      if (call.id) calls[call.index].id = call.id;
      if (call.type) calls[call.index].type = call.type;
      if (call.function?.name) calls[call.index].name = call.function.name;
      calls[call.index].arguments += call.function?.arguments ?? '';
    }
  }
  const finishes = chunks.filter((item) => item.choices[0]?.finish_reason).map((item) => item.choices[0].finish_reason);
  const usages = chunks.filter((item) => item.usage).map((item) => item.usage);
  return { content, reasoning, calls, finishes, usages };
}

/** A stream event whose SSE event name is its `type` field (Anthropic's and Cohere's framing). */
export type TypedPayload = { type: string } & Record<string, unknown>;

/**
 * Feeds typed payloads through a dialect's stream mapping: `run` expects a clean stream and
 * checks every chunk against the contract; `failure` expects a GatewayError and returns it with
 * the chunks emitted before it.
 */
export function streamHarness(adapter: ProviderAdapter, context: () => CallContext) {
  const mapper = () => adapter.chatStream(context(), createChunkFactory('model', 'id', 0));
  return {
    run(payloads: TypedPayload[]): ChatCompletionChunk[] {
      const stream = mapper();
      const chunks = payloads.flatMap((data) => stream.event({ type: data.type, data }));
      chunks.push(...stream.end());
      for (const chunk of chunks) chatCompletionChunkSchema.parse(chunk);
      return chunks;
    },
    failure(payloads: TypedPayload[], withEnd = true): { chunks: ChatCompletionChunk[]; error: GatewayError } {
      const stream = mapper();
      const chunks: ChatCompletionChunk[] = [];
      try {
        for (const data of payloads) chunks.push(...stream.event({ type: data.type, data }));
        if (withEnd) chunks.push(...stream.end());
      } catch (error) {
        if (error instanceof GatewayError) return { chunks, error };
        throw error;
      }
      throw new Error('expected the stream to fail');
    },
  };
}
