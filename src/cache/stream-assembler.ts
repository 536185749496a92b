/**
 * Assembles a streamed answer into the completion it amounts to, as chunks
 * pass: content, reasoning and refusal concatenated per choice, thinking
 * blocks (each arrives whole) kept in order, tool calls
 * gathered by index (id, name, arguments), logprobs joined, the finish
 * reason and the usage kept. `result()` is undefined unless every choice
 * finished, so an interrupted stream is never stored.
 */
import type { ChatCompletion, ChatCompletionChunk, FinishReason, ThinkingBlock, ToolCall, Usage } from '../api/chat-schema.js';

interface ToolCallParts {
  id?: string;
  name: string;
  arguments: string;
}

interface LogprobParts {
  content: unknown[];
  refusal: unknown[];
  seen: boolean;
}

interface ChoiceParts {
  content: string[];
  sawContent: boolean;
  reasoning: string[];
  thinkingBlocks: ThinkingBlock[];
  refusal: string[];
  toolCalls: Map<number, ToolCallParts>;
  logprobs: LogprobParts;
  finishReason: FinishReason | null;
  /** The stop string that ended the choice, where the provider said (`stop_reason`, a gateway extension). */
  stopReason?: string | number;
}

function appendLogprobs(target: LogprobParts, value: unknown): void {
  if (value === null || value === undefined || typeof value !== 'object') return;
  target.seen = true;
  const { content, refusal } = value as { content?: unknown; refusal?: unknown };
  if (Array.isArray(content)) target.content.push(...(content as unknown[]));
  if (Array.isArray(refusal)) target.refusal.push(...(refusal as unknown[]));
}

export class StreamAssembler {
  private id = '';
  private model = '';
  private created = 0;
  private systemFingerprint: string | null | undefined;
  private usage: Usage | undefined;
  private readonly choices = new Map<number, ChoiceParts>();

  add(chunk: ChatCompletionChunk): void {
    if (this.id === '') {
      this.id = chunk.id;
      this.model = chunk.model;
      this.created = chunk.created;
    }
    if (chunk.system_fingerprint !== undefined) this.systemFingerprint = chunk.system_fingerprint;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      let parts = this.choices.get(choice.index);
      if (!parts) {
        parts = { content: [], sawContent: false, reasoning: [], thinkingBlocks: [], refusal: [], toolCalls: new Map(), logprobs: { content: [], refusal: [], seen: false }, finishReason: null };
        this.choices.set(choice.index, parts);
      }
      const delta = choice.delta;
      if (typeof delta.content === 'string') {
        parts.content.push(delta.content);
        parts.sawContent = true;
      }
      if (delta.reasoning_content) parts.reasoning.push(delta.reasoning_content);
      if (delta.thinking_blocks) parts.thinkingBlocks.push(...delta.thinking_blocks);
      if (delta.refusal) parts.refusal.push(delta.refusal);
      for (const call of delta.tool_calls ?? []) {
        let tool = parts.toolCalls.get(call.index);
        if (!tool) {
          tool = { name: '', arguments: '' };
          parts.toolCalls.set(call.index, tool);
        }
        if (call.id) tool.id = call.id;
        if (call.function?.name) tool.name += call.function.name;
        if (call.function?.arguments) tool.arguments += call.function.arguments;
      }
      appendLogprobs(parts.logprobs, choice.logprobs);
      if (choice.finish_reason) parts.finishReason = choice.finish_reason;
      if (choice.stop_reason !== undefined && choice.stop_reason !== null) parts.stopReason = choice.stop_reason;
    }
  }

  /** The assembled completion, or undefined when a choice never finished (or there were none). */
  result(): ChatCompletion | undefined {
    if (this.choices.size === 0) return undefined;
    const choices: ChatCompletion['choices'] = [];
    for (const [index, parts] of [...this.choices].sort(([left], [right]) => left - right)) {
      if (parts.finishReason === null) return undefined;
      const toolCalls: ToolCall[] = [];
      for (const [, tool] of [...parts.toolCalls].sort(([left], [right]) => left - right)) {
        if (!tool.id) return undefined;
        toolCalls.push({ id: tool.id, type: 'function', function: { name: tool.name, arguments: tool.arguments } });
      }
      const text = parts.content.join('');
      // A tool call or a refusal with no text is content null, as OpenAI sends it.
      const content = text === '' && (toolCalls.length > 0 || parts.refusal.length > 0) ? null : parts.sawContent || toolCalls.length === 0 ? text : null;
      const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content };
      if (parts.refusal.length > 0) message.refusal = parts.refusal.join('');
      if (parts.reasoning.length > 0) message.reasoning_content = parts.reasoning.join('');
      if (parts.thinkingBlocks.length > 0) message.thinking_blocks = parts.thinkingBlocks;
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      const choice: ChatCompletion['choices'][number] = { index, message, finish_reason: parts.finishReason };
      if (parts.stopReason !== undefined) choice.stop_reason = parts.stopReason;
      if (parts.logprobs.seen) choice.logprobs = { content: parts.logprobs.content, refusal: parts.logprobs.refusal };
      choices.push(choice);
    }
    const completion: ChatCompletion = { id: this.id, object: 'chat.completion', created: this.created, model: this.model, choices };
    if (this.systemFingerprint !== undefined) completion.system_fingerprint = this.systemFingerprint;
    if (this.usage) completion.usage = this.usage;
    return completion;
  }
}
