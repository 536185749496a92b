/**
 * ConverseStream events → OpenAI chunks. Exceptions in the stream are raised by the
 * event-stream decoder before they reach this mapper.
 *
 * - contentBlockStart with a toolUse opens a tool call (index counted from 0 over tool calls);
 *   its toolUse deltas carry the arguments. A tool call whose arguments stayed empty gets `{}`
 *   when its block stops, so the concatenated arguments are always valid JSON.
 * - Reasoning text streams as `reasoning_content`; when its block stops, the block comes again whole, with
 *   its signature, as one `thinking_blocks` entry (redacted reasoning only that way).
 * - messageStop carries the finish reason; metadata the usage, emitted as the last chunk.
 */
import type { ChatCompletionChunk, Usage } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ChunkFactory, StreamMapper, UpstreamEvent } from '../contract.js';
import {
  contentBlockDeltaEventSchema,
  contentBlockStartEventSchema,
  contentBlockStopEventSchema,
  messageStopEventSchema,
  metadataEventSchema,
  streamEventSchemas,
  type StreamEventType,
} from './api-schema.js';
import { convertUsage } from './convert-usage.js';
import { mapStopReason } from './finish-reason.js';
import type { z } from 'zod';

interface OpenToolCall {
  index: number;
  argumentsSeen: boolean;
}

/** A reasoning block's parts, as its deltas bring them. */
interface OpenReasoning {
  text: string;
  signature: string;
  redacted: string;
}

function isStreamEventType(type: string | undefined): type is StreamEventType {
  return type !== undefined && Object.hasOwn(streamEventSchemas, type);
}

export function bedrockStream(context: CallContext, factory: ChunkFactory): StreamMapper {
  const provider = context.settings.name;
  /** contentBlockIndex → the tool call it carries. */
  const toolBlocks = new Map<number, OpenToolCall>();
  /** contentBlockIndex → the reasoning it carries. */
  const reasoningBlocks = new Map<number, OpenReasoning>();
  let toolCount = 0;
  let stopped = false;
  let usage: Usage | undefined;

  const read = <T extends z.ZodType>(schema: T, event: UpstreamEvent): z.infer<T> => {
    const parsed = schema.safeParse(event.data);
    if (!parsed.success) {
      throw new GatewayError('upstream_bad_response', { message: `Bedrock sent a ${event.type} event the gateway could not read: ${parsed.error.message}`, provider });
    }
    return parsed.data;
  };

  function contentBlockStart(event: UpstreamEvent): ChatCompletionChunk[] {
    const { contentBlockIndex, start } = read(contentBlockStartEventSchema, event);
    if (!start?.toolUse) return [];
    const call: OpenToolCall = { index: toolCount++, argumentsSeen: false };
    toolBlocks.set(contentBlockIndex, call);
    return [factory.chunk({ tool_calls: [{ index: call.index, id: start.toolUse.toolUseId, type: 'function', function: { name: start.toolUse.name, arguments: '' } }] })];
  }

  function contentBlockDelta(event: UpstreamEvent): ChatCompletionChunk[] {
    const { contentBlockIndex, delta } = read(contentBlockDeltaEventSchema, event);
    const chunks: ChatCompletionChunk[] = [];
    if (delta.text) chunks.push(factory.chunk({ content: delta.text }));
    const reasoning = delta.reasoningContent;
    if (reasoning) {
      let open = reasoningBlocks.get(contentBlockIndex);
      if (!open) reasoningBlocks.set(contentBlockIndex, (open = { text: '', signature: '', redacted: '' }));
      open.text += reasoning.text ?? '';
      open.signature += reasoning.signature ?? '';
      open.redacted += reasoning.redactedContent ?? '';
      if (reasoning.text) chunks.push(factory.chunk({ reasoning_content: reasoning.text }));
    }
    if (delta.toolUse) {
      const call = toolBlocks.get(contentBlockIndex);
      if (!call) throw new GatewayError('upstream_bad_response', { message: `Bedrock sent tool input for block ${contentBlockIndex} before its start.`, provider });
      if (delta.toolUse.input !== '') {
        call.argumentsSeen = true;
        chunks.push(factory.chunk({ tool_calls: [{ index: call.index, function: { arguments: delta.toolUse.input } }] }));
      }
    }
    return chunks;
  }

  function contentBlockStop(event: UpstreamEvent): ChatCompletionChunk[] {
    const { contentBlockIndex } = read(contentBlockStopEventSchema, event);
    const reasoning = reasoningBlocks.get(contentBlockIndex);
    if (reasoning) {
      reasoningBlocks.delete(contentBlockIndex);
      if (reasoning.redacted) return [factory.chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: reasoning.redacted }] })];
      return reasoning.signature ? [factory.chunk({ thinking_blocks: [{ type: 'thinking', thinking: reasoning.text, signature: reasoning.signature }] })] : [];
    }
    const call = toolBlocks.get(contentBlockIndex);
    if (!call || call.argumentsSeen) return [];
    call.argumentsSeen = true;
    return [factory.chunk({ tool_calls: [{ index: call.index, function: { arguments: '{}' } }] })];
  }

  function messageStop(event: UpstreamEvent): ChatCompletionChunk[] {
    const { stopReason } = read(messageStopEventSchema, event);
    // Close tool calls whose blocks never stopped, so their arguments still parse.
    const chunks: ChatCompletionChunk[] = [];
    for (const call of toolBlocks.values()) {
      if (call.argumentsSeen) continue;
      call.argumentsSeen = true;
      chunks.push(factory.chunk({ tool_calls: [{ index: call.index, function: { arguments: '{}' } }] }));
    }
    stopped = true;
    chunks.push(factory.chunk({}, mapStopReason(stopReason)));
    return chunks;
  }

  function metadata(event: UpstreamEvent): ChatCompletionChunk[] {
    const data = read(metadataEventSchema, event);
    if (data.usage) usage = convertUsage(data.usage);
    return [];
  }

  return {
    event(event) {
      // Unknown event types are skipped: Bedrock may add events without breaking the stream.
      if (!isStreamEventType(event.type)) return [];
      const type = event.type;
      switch (type) {
        case 'messageStart':
          return [];
        case 'contentBlockStart':
          return contentBlockStart(event);
        case 'contentBlockDelta':
          return contentBlockDelta(event);
        case 'contentBlockStop':
          return contentBlockStop(event);
        case 'messageStop':
          return messageStop(event);
        case 'metadata':
          return metadata(event);
        default: {
          const unreachable: never = type;
          return unreachable;
        }
      }
    },
    end() {
      if (!stopped) throw new GatewayError('stream_interrupted', { message: 'The Bedrock stream ended without a messageStop event.', provider });
      return usage ? [factory.usage(usage)] : [];
    },
  };
}
