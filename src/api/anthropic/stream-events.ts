/**
 * Canonical chunks → Anthropic's Messages stream events, one SSE frame each
 * (`event: <type>` then `data: <json>`).
 *
 * - `message_start` goes out with the first chunk; its usage is zero, as the gateway learns the
 *   counts only at the end. The final `message_delta` carries the whole usage (input tokens
 *   included, as Anthropic's own final delta does), then `message_stop`.
 * - Blocks open and close in order, as Anthropic's do: reasoning text in a `thinking` block, whose
 *   `signature_delta` comes from the block's `thinking_blocks` entry; a `redacted_thinking` block
 *   whole; text in a `text` block; each tool call in a `tool_use` block whose arguments stream as
 *   `input_json_delta`. A provider that interleaves the arguments of two tool calls cannot be
 *   rendered in order, and fails the stream rather than mix them.
 * - Only the first choice is rendered: a Messages request has no `n`.
 */
import type { ChatCompletionChunk, FinishReason, ThinkingBlock, Usage } from '../chat-schema.js';
import { GatewayError } from '../errors.js';
import { toAnthropicErrorBody, toAnthropicUsage, toStop } from './from-chat.js';

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; call: number };

const frame = (payload: { type: string } & Record<string, unknown>): string => `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;

export class MessageEventEncoder {
  private started = false;
  private index = -1;
  private open: OpenBlock | undefined;
  private readonly toolsSeen = new Set<number>();
  private stopReason: FinishReason | null = null;
  /** The stop string that ended the turn, where the provider says (`stop_reason` on the choice). */
  private stopSequence: string | number | undefined;
  private usage: Usage | undefined;

  /** `id` names the message when no chunk does (a stream that ended before its first chunk). */
  constructor(
    private readonly model: string,
    private readonly id: string,
  ) {}

  /** The frames one chunk makes (none for a chunk with nothing to show). */
  chunk(chunk: ChatCompletionChunk): string[] {
    const frames: string[] = [];
    this.begin(frames, chunk.id, chunk.model);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices.find((each) => each.index === 0);
    if (!choice) return frames;
    const delta = choice.delta;
    if (delta.reasoning_content) this.delta(frames, { kind: 'thinking' }, { type: 'thinking_delta', thinking: delta.reasoning_content });
    for (const block of delta.thinking_blocks ?? []) this.thinkingBlock(frames, block);
    const text = delta.content || delta.refusal;
    if (text) this.delta(frames, { kind: 'text' }, { type: 'text_delta', text });
    for (const call of delta.tool_calls ?? []) {
      if (!this.toolsSeen.has(call.index)) {
        this.toolsSeen.add(call.index);
        this.start(frames, { kind: 'tool', call: call.index }, { type: 'tool_use', id: call.id ?? '', name: call.function?.name ?? '', input: {} });
      } else if (this.open?.kind !== 'tool' || this.open.call !== call.index) {
        throw new GatewayError('upstream_bad_response', { message: 'The provider interleaved the arguments of two tool calls, which a Messages stream cannot carry.' });
      }
      const partial = call.function?.arguments;
      if (partial) frames.push(frame({ type: 'content_block_delta', index: this.index, delta: { type: 'input_json_delta', partial_json: partial } }));
    }
    if (choice.finish_reason) this.stopReason = choice.finish_reason;
    if (choice.stop_reason !== undefined && choice.stop_reason !== null) this.stopSequence = choice.stop_reason;
    return frames;
  }

  /** The frames that end the message. */
  finish(): string[] {
    const frames: string[] = [];
    this.begin(frames, this.id, this.model);
    this.close(frames);
    frames.push(frame({ type: 'message_delta', delta: toStop(this.stopReason, this.stopSequence), usage: toAnthropicUsage(this.usage) }));
    frames.push(frame({ type: 'message_stop' }));
    return frames;
  }

  static error(error: GatewayError, requestId: string): string {
    return frame(toAnthropicErrorBody(error, requestId) as { type: string });
  }

  private begin(frames: string[], id: string, model: string): void {
    if (this.started) return;
    this.started = true;
    const message = { id: id || this.id, type: 'message', role: 'assistant', model: model || this.model, content: [], stop_reason: null, stop_sequence: null, usage: toAnthropicUsage(undefined) };
    frames.push(frame({ type: 'message_start', message }));
  }

  private thinkingBlock(frames: string[], block: ThinkingBlock): void {
    if (block.type === 'redacted_thinking') {
      this.start(frames, { kind: 'thinking' }, { type: 'redacted_thinking', data: block.data });
      this.close(frames);
      return;
    }
    // A block whose text did not stream before it gets it now.
    if (this.open?.kind !== 'thinking') this.delta(frames, { kind: 'thinking' }, { type: 'thinking_delta', thinking: block.thinking });
    frames.push(frame({ type: 'content_block_delta', index: this.index, delta: { type: 'signature_delta', signature: block.signature } }));
    this.close(frames);
  }

  /** A delta into a block of `kind`, opening one (and closing another) where needed. */
  private delta(frames: string[], kind: OpenBlock, delta: Record<string, unknown>): void {
    if (this.open?.kind !== kind.kind) this.start(frames, kind, kind.kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' });
    frames.push(frame({ type: 'content_block_delta', index: this.index, delta }));
  }

  private start(frames: string[], kind: OpenBlock, contentBlock: Record<string, unknown>): void {
    this.close(frames);
    this.index += 1;
    this.open = kind;
    frames.push(frame({ type: 'content_block_start', index: this.index, content_block: contentBlock }));
  }

  private close(frames: string[]): void {
    if (!this.open) return;
    frames.push(frame({ type: 'content_block_stop', index: this.index }));
    this.open = undefined;
  }
}
