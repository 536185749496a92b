/**
 * Mistral stream chunks (`data: {json}`, ended by `data: [DONE]`, which the core drops) → OpenAI chunks.
 *
 * Chunks look like OpenAI's, with these differences handled per choice:
 * - `delta.content` may be a chunk list: `thinking` chunks → `reasoning_content`, `text` chunks → `content`.
 * - A tool call usually arrives whole in one delta, often without `index` or `type`. A delta with an id
 *   not seen before opens a call (index counted from 0, id, `type: 'function'`, name, `arguments: ''`),
 *   followed by its arguments; a delta without a new id continues the call at its `index` (or the last
 *   one) with arguments only, its empty `name` dropped. A call whose arguments never came gets `{}`.
 * - `finish_reason` (`model_length` → `length`) closes the choice; usage, which Mistral puts on the last
 *   chunk, is sent as the usage chunk when the stream ends. A stream that ends before every choice has
 *   finished is `stream_interrupted`. An error object sent in the stream fails it.
 */
import type { ChatCompletionChunk } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ChunkFactory, StreamMapper, UpstreamEvent } from '../contract.js';
import { chatChunkSchema, type MistralChatChunk, type MistralContent, type MistralToolCall, type MistralUsage } from './api-schema.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';
import { parseError } from './parse-error.js';
import { argumentsText, readContent } from './read-content.js';

type Choice = NonNullable<MistralChatChunk['choices']>[number];

interface CallState {
  index: number;
  id: string;
  argumentsSent: boolean;
}

interface ChoiceState {
  started: boolean;
  finished: boolean;
  calls: CallState[];
  /** Mistral's tool-call `index` → the call. */
  byUpstreamIndex: Map<number, CallState>;
}

function isErrorPayload(data: object): boolean {
  const record = data as Record<string, unknown>;
  return 'error' in record || (typeof record.object === 'string' && record.object.toLowerCase() === 'error');
}

export function createStreamMapper(context: CallContext, factory: ChunkFactory): StreamMapper {
  const provider = context.settings.name;
  const choices = new Map<number, ChoiceState>();
  let usage: MistralUsage | undefined;

  const state = (index: number): ChoiceState => {
    let found = choices.get(index);
    if (!found) {
      found = { started: false, finished: false, calls: [], byUpstreamIndex: new Map() };
      choices.set(index, found);
    }
    return found;
  };

  function content(choiceIndex: number, current: ChoiceState, value: MistralContent): ChatCompletionChunk[] {
    if (value == null) return [];
    const { text, reasoning } = readContent(value);
    const chunks: ChatCompletionChunk[] = [];
    if (reasoning !== '') chunks.push(factory.chunk({ reasoning_content: reasoning }, null, choiceIndex));
    if (text !== '') chunks.push(factory.chunk({ content: text }, null, choiceIndex));
    // The opening `content: ""` is kept, so the role reaches the client with the first upstream chunk.
    if (chunks.length === 0 && !current.started && value === '') chunks.push(factory.chunk({ content: '' }, null, choiceIndex));
    return chunks;
  }

  function toolCall(choiceIndex: number, current: ChoiceState, call: MistralToolCall): ChatCompletionChunk[] {
    const chunks: ChatCompletionChunk[] = [];
    const text = argumentsText(call.function.arguments);
    const isNew = call.id != null && call.id !== '' && !current.calls.some((open) => open.id === call.id);
    let open: CallState | undefined;
    if (isNew) {
      open = { index: current.calls.length, id: call.id!, argumentsSent: false };
      current.calls.push(open);
      if (call.index != null) current.byUpstreamIndex.set(call.index, open);
      chunks.push(factory.chunk({ tool_calls: [{ index: open.index, id: open.id, type: 'function', function: { name: call.function.name ?? '', arguments: '' } }] }, null, choiceIndex));
    } else {
      open = (call.index != null ? current.byUpstreamIndex.get(call.index) : undefined) ?? current.calls.at(-1);
      if (!open) throw new GatewayError('upstream_bad_response', { provider, message: 'Mistral continued a tool call it never started.' });
    }
    if (text !== '') {
      open.argumentsSent = true;
      chunks.push(factory.chunk({ tool_calls: [{ index: open.index, function: { arguments: text } }] }, null, choiceIndex));
    }
    return chunks;
  }

  function finish(choiceIndex: number, current: ChoiceState, reason: string): ChatCompletionChunk[] {
    const chunks: ChatCompletionChunk[] = [];
    for (const open of current.calls) {
      if (open.argumentsSent) continue;
      open.argumentsSent = true;
      chunks.push(factory.chunk({ tool_calls: [{ index: open.index, function: { arguments: '{}' } }] }, null, choiceIndex));
    }
    chunks.push(factory.chunk({}, mapFinishReason(reason, provider), choiceIndex));
    current.finished = true;
    return chunks;
  }

  function choiceChunks(choice: Choice): ChatCompletionChunk[] {
    const choiceIndex = choice.index ?? 0;
    const current = state(choiceIndex);
    if (current.finished) return [];
    const chunks = content(choiceIndex, current, choice.delta?.content);
    for (const call of choice.delta?.tool_calls ?? []) chunks.push(...toolCall(choiceIndex, current, call));
    current.started = true;
    if (choice.finish_reason) chunks.push(...finish(choiceIndex, current, choice.finish_reason));
    return chunks;
  }

  return {
    event(upstream: UpstreamEvent): ChatCompletionChunk[] {
      const data = upstream.data;
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new GatewayError('upstream_bad_response', { provider, message: 'Mistral sent a stream chunk that is not a JSON object.' });
      }
      if (upstream.type === 'error' || isErrorPayload(data)) {
        const info = parseError(500, 'error' in data ? (data as { error: unknown }).error : data);
        throw new GatewayError('upstream_error', { provider, status: 502, message: info.message, upstreamCode: info.code ?? null, upstreamType: info.type ?? null });
      }
      const parsed = chatChunkSchema.safeParse(data);
      if (!parsed.success) throw new GatewayError('upstream_bad_response', { provider, message: 'Mistral sent a stream chunk the gateway could not read.', cause: parsed.error });
      if (parsed.data.usage) usage = parsed.data.usage;
      return (parsed.data.choices ?? []).flatMap(choiceChunks);
    },
    end(): ChatCompletionChunk[] {
      const states = [...choices.values()];
      if (states.length === 0 || states.some((current) => !current.finished)) throw new GatewayError('stream_interrupted', { provider });
      return usage ? [factory.usage(convertUsage(usage))] : [];
    },
  };
}
