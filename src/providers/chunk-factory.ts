import { randomUUID } from 'node:crypto';
import type { ChatCompletionChunk, Usage } from '../api/chat-schema.js';
import type { ChunkFactory } from './contract.js';

export function newCompletionId(): string {
  return `chatcmpl-${randomUUID().replaceAll('-', '')}`;
}

export function createChunkFactory(model: string, id: string = newCompletionId(), created = Math.floor(Date.now() / 1000)): ChunkFactory {
  return {
    id,
    model,
    chunk(delta, finishReason = null, index = 0): ChatCompletionChunk {
      return { id, object: 'chat.completion.chunk', created, model, choices: [{ index, delta, finish_reason: finishReason }] };
    },
    usage(usage: Usage): ChatCompletionChunk {
      return { id, object: 'chat.completion.chunk', created, model, choices: [], usage };
    },
  };
}
