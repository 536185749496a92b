/**
 * Cohere v2 stream events (`event: {type}` + `data: {json}`) → OpenAI chunks, one handler per event type.
 *
 * - `content-start` / `content-delta` carry `text` or `thinking`: → `content` / `reasoning_content`.
 * - `tool-plan-delta` (what the model says before calling tools) → `content`, as in the response mapping.
 * - `tool-call-start` opens a call (index, id, type, name, `arguments: ''`); `tool-call-delta` streams its
 *   arguments; `tool-call-end` closes it. Arguments that never came, or came as `null`, end as `{}`, so the
 *   fragments always join into a JSON object. Tool indices count calls from 0 in the order they start.
 * - `citation-start` / `citation-end` are skipped; so are event types newer than this list.
 * - `message-end` carries the finish reason and usage: it yields the finish chunk and the usage chunk.
 *   The stream is complete only once it came; `end()` without it is `stream_interrupted`.
 */
import type { ChatCompletionChunk } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ChunkFactory, StreamMapper, UpstreamEvent } from '../contract.js';
import { streamEventSchema, streamEventTypes, type CohereStreamEvent } from './api-schema.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';
import { ArgumentsWriter } from './tool-arguments.js';

type EventOf<T extends CohereStreamEvent['type']> = Extract<CohereStreamEvent, { type: T }>;

interface OpenCall {
  index: number;
  writer: ArgumentsWriter;
}

export function createStreamMapper(context: CallContext, factory: ChunkFactory): StreamMapper {
  const provider = context.settings.name;
  /** Cohere's content index → the kind of content it streams. */
  const contentKinds = new Map<number, 'text' | 'thinking'>();
  /** Cohere's tool-call index → the call's OpenAI index and argument writer. */
  const calls = new Map<number, OpenCall>();
  let started = false;
  let finished = false;

  const badResponse = (message: string, cause?: unknown): GatewayError => new GatewayError('upstream_bad_response', { provider, message, cause });
  const argumentsChunk = (index: number, text: string): ChatCompletionChunk => factory.chunk({ tool_calls: [{ index, function: { arguments: text } }] });

  function contentChunk(kind: 'text' | 'thinking' | undefined, content: { text?: string | null; thinking?: string | null } | null | undefined): ChatCompletionChunk[] {
    if (!content) return [];
    if (kind === 'thinking' || (kind === undefined && content.thinking)) return content.thinking ? [factory.chunk({ reasoning_content: content.thinking })] : [];
    return content.text ? [factory.chunk({ content: content.text })] : [];
  }

  function messageStart(): ChatCompletionChunk[] {
    if (started) return [];
    started = true;
    return [factory.chunk({ content: '' })];
  }

  function contentStart(event: EventOf<'content-start'>): ChatCompletionChunk[] {
    const content = event.delta?.message?.content;
    const kind = content?.type === 'thinking' ? 'thinking' : 'text';
    contentKinds.set(event.index ?? 0, kind);
    return contentChunk(kind, content);
  }

  function contentDelta(event: EventOf<'content-delta'>): ChatCompletionChunk[] {
    return contentChunk(contentKinds.get(event.index ?? 0), event.delta?.message?.content);
  }

  function toolPlanDelta(event: EventOf<'tool-plan-delta'>): ChatCompletionChunk[] {
    const plan = event.delta?.message?.tool_plan;
    return plan ? [factory.chunk({ content: plan })] : [];
  }

  function toolCallStart(event: EventOf<'tool-call-start'>): ChatCompletionChunk[] {
    const call = event.delta?.message?.tool_calls;
    const cohereIndex = event.index ?? calls.size;
    if (calls.has(cohereIndex)) throw badResponse(`Cohere started tool call ${cohereIndex} twice.`);
    const open: OpenCall = { index: calls.size, writer: new ArgumentsWriter() };
    calls.set(cohereIndex, open);
    const chunks = [
      factory.chunk({ tool_calls: [{ index: open.index, id: call?.id ?? `call_${open.index}`, type: 'function', function: { name: call?.function?.name ?? '', arguments: '' } }] }),
    ];
    const text = open.writer.write(call?.function?.arguments ?? '');
    if (text !== '') chunks.push(argumentsChunk(open.index, text));
    return chunks;
  }

  function toolCallDelta(event: EventOf<'tool-call-delta'>): ChatCompletionChunk[] {
    const open = calls.get(event.index ?? calls.size - 1);
    if (!open) throw badResponse('Cohere streamed arguments for a tool call it never started.');
    const text = open.writer.write(event.delta?.message?.tool_calls?.function?.arguments ?? '');
    return text === '' ? [] : [argumentsChunk(open.index, text)];
  }

  function toolCallEnd(event: EventOf<'tool-call-end'>): ChatCompletionChunk[] {
    const open = calls.get(event.index ?? calls.size - 1);
    if (!open) return [];
    const text = open.writer.finish();
    return text === '' ? [] : [argumentsChunk(open.index, text)];
  }

  function messageEnd(event: EventOf<'message-end'>): ChatCompletionChunk[] {
    // Calls whose tool-call-end never came still get their arguments.
    const chunks: ChatCompletionChunk[] = [];
    for (const open of calls.values()) {
      const text = open.writer.finish();
      if (text !== '') chunks.push(argumentsChunk(open.index, text));
    }
    const finishReason = mapFinishReason(event.delta?.finish_reason, provider);
    finished = true;
    chunks.push(factory.chunk({}, finishReason));
    const usage = event.delta?.usage;
    if (usage) chunks.push(factory.usage(convertUsage(usage)));
    return chunks;
  }

  function dispatch(event: CohereStreamEvent): ChatCompletionChunk[] {
    switch (event.type) {
      case 'message-start':
        return messageStart();
      case 'content-start':
        return contentStart(event);
      case 'content-delta':
        return contentDelta(event);
      case 'tool-plan-delta':
        return toolPlanDelta(event);
      case 'tool-call-start':
        return toolCallStart(event);
      case 'tool-call-delta':
        return toolCallDelta(event);
      case 'tool-call-end':
        return toolCallEnd(event);
      case 'message-end':
        return messageEnd(event);
      case 'content-end':
      case 'citation-start':
      case 'citation-end':
        return [];
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }

  return {
    event(upstream: UpstreamEvent): ChatCompletionChunk[] {
      const data = upstream.data;
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw badResponse('Cohere sent a stream event that is not a JSON object.');
      // The payload names its own type; the SSE event name is the fallback.
      const payload = { type: upstream.type, ...data } as { type?: unknown };
      if (typeof payload.type !== 'string' || !streamEventTypes.has(payload.type)) return [];
      if (finished) return [];
      const parsed = streamEventSchema.safeParse(payload);
      if (!parsed.success) throw badResponse(`Cohere sent a ${payload.type} event the gateway could not read.`, parsed.error);
      return dispatch(parsed.data);
    },
    end(): ChatCompletionChunk[] {
      if (!finished) throw new GatewayError('stream_interrupted', { provider });
      return [];
    },
  };
}
