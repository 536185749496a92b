/**
 * Canonical chunks → the Responses API's stream events, one SSE frame each (`event: <type>` then
 * `data: <json>`), with a `sequence_number` counting from 0 across the stream.
 *
 * - `response.created` and `response.in_progress` go out with the first chunk (or at the end of a stream
 *   that had none), the Response in progress with no output and no usage.
 * - Reasoning text streams as a reasoning item's summary part, text as a message item's `output_text`
 *   part, a refusal as its `refusal` part; an item opens with the first delta of its kind and closes
 *   when an item of another kind opens. Tool calls open as `function_call` items and stay open until the
 *   stream ends, each delta going to its call's `output_index`: a provider that interleaves the
 *   arguments of two calls is rendered as it came, which the events (all keyed by `output_index`) can
 *   carry.
 * - The stream ends with `response.completed` (or `response.incomplete`), whose Response is built by
 *   `responseObject` from the same items as `toResponse`, with the usage of the usage chunk, which may
 *   come after the finishing one.
 * - Only the first choice is rendered: a Responses request has no `n`.
 */
import type { ChatCompletionChunk, FinishReason, ThinkingBlock, Usage } from '../chat-schema.js';
import { toErrorBody, type GatewayError } from '../errors.js';
import {
  functionCallItem,
  itemIds,
  messageItem,
  outputTextPart,
  reasoningItem,
  refusalPart,
  responseObject,
  responseStatus,
  toResponsesUsage,
  type ItemStatus,
  type OutputPart,
  type ResponseStatus,
} from './from-chat.js';
import type { ResponsesRequest } from './request-schema.js';

interface ReasoningState { kind: 'reasoning'; outputIndex: number; id: string; text: string; blocks: ThinkingBlock[]; partOpen: boolean }
interface MessageState { kind: 'message'; outputIndex: number; id: string; parts: OutputPart[] }
interface CallState { kind: 'function_call'; outputIndex: number; id: string; callId: string; name: string; arguments: string }
type ItemState = ReasoningState | MessageState | CallState;

type Event = { type: string } & Record<string, unknown>;

const frame = (event: Event): string => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const present = (text: string | null | undefined): text is string => typeof text === 'string' && text !== '';

/** The stream's `error` event: the documented flat fields, and the nested `error` OpenAI's own streams carry. */
function errorEvent(error: GatewayError, sequenceNumber: number): Event {
  const body = toErrorBody(error).error;
  return { type: 'error', sequence_number: sequenceNumber, code: body.code, message: body.message, param: body.param, error: { type: body.type, code: body.code, message: body.message, param: body.param } };
}

export class ResponseEventEncoder {
  private sequence = 0;
  private started = false;
  private model: string;
  private readonly ids: ReturnType<typeof itemIds>;
  private readonly items: ItemState[] = [];
  /** Each closed item as rendered, by output index. */
  private readonly rendered: Record<string, unknown>[] = [];
  /** The open reasoning or message item (at most one). */
  private open: ReasoningState | MessageState | undefined;
  /** The tool calls, by their index in the chat chunks. */
  private readonly calls = new Map<number, CallState>();
  private readonly counts = { reasoning: 0, message: 0 };
  private finishReason: FinishReason | null = null;
  private usage: Usage | undefined;

  constructor(
    private readonly request: ResponsesRequest,
    private readonly options: { id: string; createdAt: number; model: string },
  ) {
    this.model = options.model;
    this.ids = itemIds(options.id);
  }

  /** The frames one chunk makes (none for a chunk with nothing to show). */
  chunk(chunk: ChatCompletionChunk): string[] {
    const events: Event[] = [];
    this.begin(events, chunk.model);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices.find((each) => each.index === 0);
    if (choice) {
      const delta = choice.delta;
      if (present(delta.reasoning_content)) this.reasoningDelta(events, delta.reasoning_content);
      for (const block of delta.thinking_blocks ?? []) this.reasoning(events).blocks.push(block);
      if (present(delta.content)) this.messageDelta(events, 'output_text', delta.content);
      if (present(delta.refusal)) this.messageDelta(events, 'refusal', delta.refusal);
      for (const call of delta.tool_calls ?? []) this.callDelta(events, call.index, call.id, call.function?.name, call.function?.arguments);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return events.map(frame);
  }

  /** The frames that end the stream: every open item closes, then the final Response. */
  finish(): string[] {
    const events: Event[] = [];
    this.begin(events, '');
    const { status, incomplete_details } = responseStatus(this.finishReason);
    const open = this.items.filter((item) => this.rendered[item.outputIndex] === undefined);
    for (const item of open) this.close(events, item, status === 'incomplete' && item.outputIndex === this.items.length - 1 ? 'incomplete' : 'completed');
    const response = this.response(status, incomplete_details, toResponsesUsage(this.usage));
    events.push(this.event(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response }));
    return events.map(frame);
  }

  /** The frames that end a stream that failed after it started: the `error` event, then `response.failed`. */
  fail(error: GatewayError): string[] {
    const events: Event[] = [];
    this.begin(events, '');
    events.push(errorEvent(error, this.sequence++));
    const body = toErrorBody(error).error;
    events.push(this.event('response.failed', { response: this.response('failed', null, null, { code: body.code ?? error.code, message: body.message }) }));
    return events.map(frame);
  }

  private event(type: string, fields: Record<string, unknown>): Event {
    return { type, sequence_number: this.sequence++, ...fields };
  }

  private response(status: ResponseStatus, incompleteDetails: { reason: string } | null, usage: Record<string, unknown> | null, error?: { code: string; message: string }): Record<string, unknown> {
    const output = this.rendered.filter((item) => item !== undefined);
    return responseObject(this.request, { id: this.options.id, createdAt: this.options.createdAt, model: this.model, status, incompleteDetails, output, usage, error });
  }

  private begin(events: Event[], model: string): void {
    if (this.started) return;
    this.started = true;
    if (model) this.model = model;
    const response = this.response('in_progress', null, null);
    events.push(this.event('response.created', { response }), this.event('response.in_progress', { response }));
  }

  private add(events: Event[], item: ItemState, rendered: Record<string, unknown>): void {
    this.items.push(item);
    events.push(this.event('response.output_item.added', { output_index: item.outputIndex, item: rendered }));
  }

  /** The open reasoning item, opening one (and closing an open message) where needed. */
  private reasoning(events: Event[]): ReasoningState {
    if (this.open?.kind === 'reasoning') return this.open;
    if (this.open) this.close(events, this.open, 'completed');
    const item: ReasoningState = { kind: 'reasoning', outputIndex: this.items.length, id: this.ids.reasoning(this.counts.reasoning++), text: '', blocks: [], partOpen: false };
    this.add(events, item, { id: item.id, type: 'reasoning', summary: [] });
    this.open = item;
    return item;
  }

  private reasoningDelta(events: Event[], delta: string): void {
    const item = this.reasoning(events);
    const where = { item_id: item.id, output_index: item.outputIndex, summary_index: 0 };
    if (!item.partOpen) {
      item.partOpen = true;
      events.push(this.event('response.reasoning_summary_part.added', { ...where, part: { type: 'summary_text', text: '' } }));
    }
    item.text += delta;
    events.push(this.event('response.reasoning_summary_text.delta', { ...where, delta }));
  }

  private messageDelta(events: Event[], kind: OutputPart['type'], delta: string): void {
    if (this.open?.kind !== 'message') {
      if (this.open) this.close(events, this.open, 'completed');
      const opened: MessageState = { kind: 'message', outputIndex: this.items.length, id: this.ids.message(this.counts.message++), parts: [] };
      this.add(events, opened, messageItem(opened.id, [], 'in_progress'));
      this.open = opened;
    }
    const item = this.open;
    let index = item.parts.findIndex((part) => part.type === kind);
    const where = (contentIndex: number) => ({ item_id: item.id, output_index: item.outputIndex, content_index: contentIndex });
    if (index === -1) {
      index = item.parts.push(kind === 'output_text' ? outputTextPart('') : refusalPart('')) - 1;
      events.push(this.event('response.content_part.added', { ...where(index), part: item.parts[index] }));
    }
    const part = item.parts[index]!;
    if (part.type === 'output_text') {
      item.parts[index] = { ...part, text: part.text + delta };
      events.push(this.event('response.output_text.delta', { ...where(index), delta, logprobs: [] }));
    } else {
      item.parts[index] = { ...part, refusal: part.refusal + delta };
      events.push(this.event('response.refusal.delta', { ...where(index), delta }));
    }
  }

  private callDelta(events: Event[], index: number, callId: string | undefined, name: string | undefined, args: string | undefined): void {
    let call = this.calls.get(index);
    if (!call) {
      // A tool call ends the text or reasoning before it, as in OpenAI's own streams.
      if (this.open) this.close(events, this.open, 'completed');
      this.open = undefined;
      const position = this.calls.size;
      call = { kind: 'function_call', outputIndex: this.items.length, id: this.ids.functionCall(position), callId: callId || this.ids.callId(position), name: name ?? '', arguments: '' };
      this.calls.set(index, call);
      this.add(events, call, functionCallItem(call.id, call.callId, call.name, '', 'in_progress'));
    } else if (name && call.name === '') {
      call.name = name;
    }
    if (!present(args)) return;
    call.arguments += args;
    events.push(this.event('response.function_call_arguments.delta', { item_id: call.id, output_index: call.outputIndex, delta: args }));
  }

  private close(events: Event[], item: ItemState, status: ItemStatus): void {
    if (this.open === item) this.open = undefined;
    let rendered: Record<string, unknown>;
    if (item.kind === 'reasoning') {
      const where = { item_id: item.id, output_index: item.outputIndex, summary_index: 0 };
      if (item.partOpen) {
        events.push(this.event('response.reasoning_summary_text.done', { ...where, text: item.text }));
        events.push(this.event('response.reasoning_summary_part.done', { ...where, part: { type: 'summary_text', text: item.text } }));
      }
      rendered = reasoningItem(item.id, item.text, item.blocks);
    } else if (item.kind === 'message') {
      item.parts.forEach((part, index) => {
        const where = { item_id: item.id, output_index: item.outputIndex, content_index: index };
        if (part.type === 'output_text') events.push(this.event('response.output_text.done', { ...where, text: part.text, logprobs: [] }));
        else events.push(this.event('response.refusal.done', { ...where, refusal: part.refusal }));
        events.push(this.event('response.content_part.done', { ...where, part }));
      });
      rendered = messageItem(item.id, item.parts, status);
    } else {
      events.push(this.event('response.function_call_arguments.done', { item_id: item.id, output_index: item.outputIndex, arguments: item.arguments }));
      rendered = functionCallItem(item.id, item.callId, item.name, item.arguments, status);
    }
    this.rendered[item.outputIndex] = rendered;
    events.push(this.event('response.output_item.done', { output_index: item.outputIndex, item: rendered }));
  }
}
