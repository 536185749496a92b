/**
 * Anthropic stream events → OpenAI chunks, one handler per event type.
 *
 * - Tool-call indices count client `tool_use` blocks from 0 (not Anthropic's block index);
 *   server-tool blocks and their `input_json_delta`s are skipped.
 * - A tool call whose input never streamed (no arguments, or a complete `input` already in
 *   `content_block_start`) gets its arguments at `content_block_stop`, so they always join into valid JSON.
 * - The finish chunk and the usage chunk are emitted at `message_stop`; usage merges `message_start`
 *   with the cumulative `message_delta` report (which may also carry the input tokens).
 * - A thinking block's text streams as `reasoning_content`; when the block ends it comes again whole, with
 *   its signature, as one `thinking_blocks` entry (a `redacted_thinking` block only that way), so that the
 *   client can send it back on its next turn.
 * - A repeated `message_start` for the open message is ignored; one for a different message means two
 *   responses were spliced together and fails the stream.
 */
import type { ChatCompletionChunk } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ChunkFactory, StreamMapper, UpstreamEvent } from '../contract.js';
import { streamEventSchema, streamEventTypes, type AnthropicContentBlock, type AnthropicStreamEvent, type AnthropicUsage } from './api-schema.js';
import { convertUsage, mergeUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';
import { statusForErrorType } from './parse-error.js';

type BlockState =
  | { kind: 'text' }
  | { kind: 'thinking'; text: string; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; toolIndex: number; input: unknown; argumentsSent: boolean }
  | { kind: 'other' };

type EventOf<T extends AnthropicStreamEvent['type']> = Extract<AnthropicStreamEvent, { type: T }>;

export function createStreamMapper(context: CallContext, factory: ChunkFactory): StreamMapper {
  const provider = context.settings.name;
  const blocks = new Map<number, BlockState>();
  let messageId: string | undefined;
  let usage: AnthropicUsage = {};
  let stopReason: string | null | undefined;
  /** The stop sequence that ended the turn, from `message_delta`. */
  let stopSequence: string | undefined;
  let refusal: string | undefined;
  let nextToolIndex = 0;
  let stopped = false;

  const badResponse = (message: string, cause?: unknown): GatewayError => new GatewayError('upstream_bad_response', { provider, message, cause });

  function messageStart(event: EventOf<'message_start'>): ChatCompletionChunk[] {
    if (messageId === undefined) {
      messageId = event.message.id;
      usage = event.message.usage ?? {};
      return [factory.chunk({ content: '' })];
    }
    if (event.message.id === messageId) return [];
    throw badResponse(`Anthropic started message ${event.message.id} while message ${messageId} was still open.`);
  }

  function blockStart(event: EventOf<'content_block_start'>): ChatCompletionChunk[] {
    const block: AnthropicContentBlock = event.content_block;
    switch (block.type) {
      case 'text':
        blocks.set(event.index, { kind: 'text' });
        return block.text ? [factory.chunk({ content: block.text })] : [];
      case 'thinking':
        blocks.set(event.index, { kind: 'thinking', text: block.thinking ?? '', signature: block.signature ?? '' });
        return block.thinking ? [factory.chunk({ reasoning_content: block.thinking })] : [];
      case 'redacted_thinking':
        blocks.set(event.index, { kind: 'redacted', data: block.data ?? '' });
        return [];
      case 'tool_use': {
        const toolIndex = nextToolIndex++;
        blocks.set(event.index, { kind: 'tool', toolIndex, input: block.input, argumentsSent: false });
        return [factory.chunk({ tool_calls: [{ index: toolIndex, id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: '' } }] })];
      }
      default:
        blocks.set(event.index, { kind: 'other' });
        return [];
    }
  }

  function blockDelta(event: EventOf<'content_block_delta'>): ChatCompletionChunk[] {
    const block = blocks.get(event.index);
    const { delta } = event;
    if (block?.kind === 'text' && delta.type === 'text_delta' && delta.text) return [factory.chunk({ content: delta.text })];
    if (block?.kind === 'thinking' && delta.type === 'thinking_delta' && delta.thinking) {
      block.text += delta.thinking;
      return [factory.chunk({ reasoning_content: delta.thinking })];
    }
    if (block?.kind === 'thinking' && delta.type === 'signature_delta' && delta.signature) {
      block.signature += delta.signature;
      return [];
    }
    if (block?.kind === 'tool' && delta.type === 'input_json_delta' && delta.partial_json) {
      block.argumentsSent = true;
      return [factory.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: delta.partial_json } }] })];
    }
    // citations_delta, compaction_delta and deltas of server-tool blocks carry nothing for OpenAI clients.
    return [];
  }

  function blockStop(event: EventOf<'content_block_stop'>): ChatCompletionChunk[] {
    const block = blocks.get(event.index);
    if (block?.kind === 'thinking') return block.signature ? [factory.chunk({ thinking_blocks: [{ type: 'thinking', thinking: block.text, signature: block.signature }] })] : [];
    if (block?.kind === 'redacted') return block.data ? [factory.chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: block.data }] })] : [];
    if (block?.kind !== 'tool' || block.argumentsSent) return [];
    block.argumentsSent = true;
    return [factory.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: JSON.stringify(block.input ?? {}) } }] })];
  }

  function messageDelta(event: EventOf<'message_delta'>): ChatCompletionChunk[] {
    if (event.delta.stop_reason != null) stopReason = event.delta.stop_reason;
    if (event.delta.stop_sequence) stopSequence = event.delta.stop_sequence;
    if (event.delta.stop_reason === 'refusal') refusal = event.delta.stop_details?.explanation ?? undefined;
    usage = mergeUsage(usage, event.usage);
    return [];
  }

  function messageStop(): ChatCompletionChunk[] {
    stopped = true;
    const chunks = refusal !== undefined ? [factory.chunk({ refusal })] : [];
    const last = factory.chunk({}, mapFinishReason(stopReason));
    if (stopReason === 'stop_sequence' && stopSequence !== undefined) last.choices[0]!.stop_reason = stopSequence;
    chunks.push(last, factory.usage(convertUsage(usage)));
    return chunks;
  }

  function streamError(event: EventOf<'error'>): never {
    throw new GatewayError('upstream_error', {
      provider,
      status: statusForErrorType(event.error.type),
      message: event.error.message,
      upstreamCode: event.error.details?.error_code ?? event.error.type,
    });
  }

  function dispatch(event: AnthropicStreamEvent): ChatCompletionChunk[] {
    switch (event.type) {
      case 'message_start':
        return messageStart(event);
      case 'content_block_start':
        return blockStart(event);
      case 'content_block_delta':
        return blockDelta(event);
      case 'content_block_stop':
        return blockStop(event);
      case 'message_delta':
        return messageDelta(event);
      case 'message_stop':
        return messageStop();
      case 'ping':
        return [];
      case 'error':
        return streamError(event);
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }

  return {
    event(upstream: UpstreamEvent): ChatCompletionChunk[] {
      const data = upstream.data;
      if (typeof data !== 'object' || data === null) throw badResponse('Anthropic sent a stream event that is not a JSON object.');
      const payload = { type: upstream.type, ...data } as { type?: unknown };
      // Anthropic may add event types within an API version; unknown ones are skipped.
      if (typeof payload.type !== 'string' || !streamEventTypes.has(payload.type)) return [];
      // The response is complete at message_stop; anything after it is not part of it.
      if (stopped) return [];
      const parsed = streamEventSchema.safeParse(payload);
      if (!parsed.success) throw badResponse(`Anthropic sent a ${payload.type} event the gateway could not read.`, parsed.error);
      return dispatch(parsed.data);
    },
    end(): ChatCompletionChunk[] {
      if (!stopped) throw new GatewayError('stream_interrupted', { provider });
      return [];
    },
  };
}
