/**
 * Rebuilds the completion a stream delivered, chunk by chunk, for the log:
 * content, reasoning, thinking blocks, tool calls, finish reasons and usage per choice (the
 * telemetry stage feeds it as a stream observer).
 */
import type { ChatCompletion, ChatCompletionChunk, ThinkingBlock, ToolCall } from '../../api/chat-schema.js';

interface ChoiceState {
  content: string;
  reasoning: string;
  thinkingBlocks: ThinkingBlock[];
  finishReason: ChatCompletion['choices'][number]['finish_reason'];
  toolCalls: Map<number, { id: string; name: string; arguments: string }>;
  hasContent: boolean;
}

export class StreamAssembler {
  private id = '';
  private model = '';
  private created = 0;
  private usage: ChatCompletion['usage'];
  private readonly choices = new Map<number, ChoiceState>();

  add(chunk: ChatCompletionChunk): void {
    this.id ||= chunk.id;
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      let state = this.choices.get(choice.index);
      if (!state) {
        state = { content: '', reasoning: '', thinkingBlocks: [], finishReason: null, toolCalls: new Map(), hasContent: false };
        this.choices.set(choice.index, state);
      }
      const delta = choice.delta;
      if (typeof delta.content === 'string') {
        state.content += delta.content;
        state.hasContent = true;
      }
      if (delta.reasoning_content) state.reasoning += delta.reasoning_content;
      if (delta.thinking_blocks) state.thinkingBlocks.push(...delta.thinking_blocks);
      for (const call of delta.tool_calls ?? []) {
        const existing = state.toolCalls.get(call.index) ?? { id: '', name: '', arguments: '' };
        existing.id ||= call.id ?? '';
        existing.name += call.function?.name ?? '';
        existing.arguments += call.function?.arguments ?? '';
        state.toolCalls.set(call.index, existing);
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  completion(): ChatCompletion {
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [...this.choices.entries()]
        .sort(([left], [right]) => left - right)
        .map(([index, state]) => {
          const toolCalls: ToolCall[] = [...state.toolCalls.values()].map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
          return {
            index,
            message: {
              role: 'assistant' as const,
              content: state.hasContent ? state.content : null,
              ...(state.reasoning ? { reasoning_content: state.reasoning } : {}),
              ...(state.thinkingBlocks.length > 0 ? { thinking_blocks: state.thinkingBlocks } : {}),
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: state.finishReason,
          };
        }),
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }
}
