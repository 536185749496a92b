/**
 * Watches a stream's chunks on their way out: keeps the usage the provider
 * reported, and the generated text, for an estimate when it reported none.
 */
import type { ChatCompletionChunk, Usage } from '../api/chat-schema.js';
import { countText } from '../usage/count-tokens.js';

export class StreamMeter {
  usage: Usage | undefined;
  private readonly pieces: string[] = [];

  add(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (delta.content) this.pieces.push(delta.content);
      if (delta.reasoning_content) this.pieces.push(delta.reasoning_content);
      if (delta.refusal) this.pieces.push(delta.refusal);
      for (const call of delta.tool_calls ?? []) {
        if (call.function?.name) this.pieces.push(call.function.name);
        if (call.function?.arguments) this.pieces.push(call.function.arguments);
      }
    }
  }

  get sawOutput(): boolean {
    return this.pieces.length > 0;
  }

  outputTokens(): number {
    return countText(this.pieces.join(''));
  }
}
