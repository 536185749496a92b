import { z } from 'zod';
import type { ChatCompletionChunk } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, StreamMapper, UpstreamEvent } from '../contract.js';
import { parseOpenAIError } from './convert-response.js';

const chunkShape = z.looseObject({ choices: z.array(z.looseObject({ finish_reason: z.string().nullish() })).optional(), error: z.unknown().optional() });

/** OpenAI chunks are the contract: passed through, while watching for the finish and for in-band errors. */
export function openaiStream(context: CallContext): StreamMapper {
  let finished = false;
  return {
    event(event: UpstreamEvent): ChatCompletionChunk[] {
      const chunk = chunkShape.safeParse(event.data);
      if (!chunk.success) throw new GatewayError('upstream_bad_response', { message: 'The provider sent a malformed stream chunk.', provider: context.settings.name });
      if (chunk.data.error !== undefined || event.type === 'error') {
        const info = parseOpenAIError(500, event.data);
        throw new GatewayError('upstream_error', { status: 502, message: info.message, provider: context.settings.name, upstreamCode: info.code, upstreamType: info.type });
      }
      if (chunk.data.choices?.some((choice) => choice.finish_reason)) finished = true;
      return [event.data as ChatCompletionChunk];
    },
    end(): ChatCompletionChunk[] {
      if (!finished) throw new GatewayError('stream_interrupted', { provider: context.settings.name });
      return [];
    },
  };
}
