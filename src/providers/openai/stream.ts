import type { ChatCompletionChunk } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, StreamMapper, UpstreamEvent } from '../contract.js';
import { choicesWithReasoningContent, parseOpenAIError } from './convert-response.js';

interface ChunkFields {
  choices?: { finish_reason?: string | null; delta?: Record<string, unknown> }[];
  error?: unknown;
}

/** A light shape check (this runs per chunk on the hot path; a full schema parse costs more than the rest of the mapping). */
function asChunk(data: unknown): ChunkFields | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const choices = (data as ChunkFields).choices;
  if (choices !== undefined && !Array.isArray(choices)) return undefined;
  return data as ChunkFields;
}

/** OpenAI chunks are the contract: passed through (reasoning under its one name), while watching for the finish and for in-band errors. */
export function openaiStream(context: CallContext): StreamMapper {
  let finished = false;
  return {
    event(event: UpstreamEvent): ChatCompletionChunk[] {
      const chunk = asChunk(event.data);
      if (!chunk) throw new GatewayError('upstream_bad_response', { message: 'The provider sent a malformed stream chunk.', provider: context.settings.name });
      if (chunk.error !== undefined || event.type === 'error') {
        const info = parseOpenAIError(500, event.data);
        throw new GatewayError('upstream_error', { status: 502, message: info.message, provider: context.settings.name, upstreamCode: info.code, upstreamType: info.type });
      }
      if (chunk.choices === undefined) return [event.data as ChatCompletionChunk];
      if (chunk.choices.some((choice) => choice?.finish_reason)) finished = true;
      return [choicesWithReasoningContent(chunk as Required<ChunkFields>, 'delta') as unknown as ChatCompletionChunk];
    },
    end(): ChatCompletionChunk[] {
      if (!finished) throw new GatewayError('stream_interrupted', { provider: context.settings.name });
      return [];
    },
  };
}
