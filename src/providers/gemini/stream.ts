/**
 * Google's streamed `GenerateContentResponse` chunks → OpenAI chunks.
 *
 * Every SSE event is a whole GenerateContentResponse holding the new parts of
 * each candidate. Text and thought parts become content / reasoning_content
 * deltas; a function call arrives whole (`args`) or, on newer models, opened
 * by `{ name, willContinue: true }`, fed by `partialArgs` and closed by a part
 * without `willContinue`. Each candidate finishes on its `finishReason`; the
 * usage chunk comes at the end, from the last usageMetadata.
 */
import type { ChatCompletionChunk, ToolCallDelta } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ChunkFactory, StreamMapper, UpstreamEvent } from '../contract.js';
import { generateContentResponseSchema, type Candidate, type FunctionCall, type UsageMetadata } from './api-schema.js';
import { convertLogprobs } from './convert-logprobs.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';
import { googleErrorStatus, parseGoogleError } from './parse-error.js';
import { PartialArgsWriter } from './partial-args.js';
import { encodeToolCallId, toolCallBaseId } from './tool-call-id.js';

interface ChoiceState {
  toolCalls: number;
  /** A call whose arguments are still streaming. */
  open?: { index: number; writer: PartialArgsWriter };
  finished: boolean;
}

function hasCounts(usage: UsageMetadata): boolean {
  return usage.promptTokenCount != null || usage.candidatesTokenCount != null || usage.totalTokenCount != null;
}

function isErrorEvent(data: unknown): boolean {
  const first = Array.isArray(data) ? data[0] : data;
  return first !== null && typeof first === 'object' && 'error' in first;
}

export function googleStream(context: CallContext, factory: ChunkFactory): StreamMapper {
  const choices = new Map<number, ChoiceState>();
  let usage: UsageMetadata | undefined;
  let promptBlocked = false;

  const state = (index: number): ChoiceState => {
    let found = choices.get(index);
    if (!found) {
      found = { toolCalls: 0, finished: false };
      choices.set(index, found);
    }
    return found;
  };

  const argumentsChunk = (choice: number, index: number, text: string): ChatCompletionChunk =>
    factory.chunk({ tool_calls: [{ index, function: { arguments: text } }] }, null, choice);

  const closeOpenCall = (choice: number, current: ChoiceState): ChatCompletionChunk[] => {
    if (!current.open) return [];
    const { index, writer } = current.open;
    current.open = undefined;
    return [argumentsChunk(choice, index, writer.finish())];
  };

  const functionCall = (choice: number, current: ChoiceState, call: FunctionCall, signature: string | null | undefined): ChatCompletionChunk[] => {
    const chunks: ChatCompletionChunk[] = [];
    if (!call.name) {
      // A continuation (partialArgs) or the end (`{}`) of the call that is streaming; stray ones are ignored.
      if (!current.open) return chunks;
      const text = current.open.writer.write(call.partialArgs ?? []);
      if (text !== '') chunks.push(argumentsChunk(choice, current.open.index, text));
      if (call.willContinue !== true) chunks.push(...closeOpenCall(choice, current));
      return chunks;
    }
    chunks.push(...closeOpenCall(choice, current));
    const index = current.toolCalls;
    current.toolCalls += 1;
    const start: ToolCallDelta = {
      index,
      id: encodeToolCallId(toolCallBaseId(call.id, index), signature),
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    chunks.push(factory.chunk({ tool_calls: [start] }, null, choice));
    if (call.args != null) {
      chunks.push(argumentsChunk(choice, index, JSON.stringify(call.args)));
    } else if (call.willContinue === true || call.partialArgs != null) {
      current.open = { index, writer: new PartialArgsWriter() };
      const text = current.open.writer.write(call.partialArgs ?? []);
      if (text !== '') chunks.push(argumentsChunk(choice, index, text));
      if (call.willContinue !== true) chunks.push(...closeOpenCall(choice, current));
    } else {
      chunks.push(argumentsChunk(choice, index, '{}'));
    }
    return chunks;
  };

  const candidate = (item: Candidate, position: number): ChatCompletionChunk[] => {
    const choice = item.index ?? position;
    const current = state(choice);
    const chunks: ChatCompletionChunk[] = [];
    for (const part of item.content?.parts ?? []) {
      if (part.functionCall) chunks.push(...functionCall(choice, current, part.functionCall, part.thoughtSignature));
      else if (part.text) chunks.push(factory.chunk(part.thought ? { reasoning_content: part.text } : { content: part.text }, null, choice));
    }
    const logprobs = convertLogprobs((item as Record<string, unknown>).logprobsResult);
    if (logprobs && chunks.length > 0) chunks[0].choices[0].logprobs = logprobs;
    if (item.finishReason) {
      chunks.push(...closeOpenCall(choice, current));
      chunks.push(factory.chunk({}, mapFinishReason(item.finishReason, current.toolCalls > 0), choice));
      current.finished = true;
    }
    return chunks;
  };

  return {
    event(event: UpstreamEvent): ChatCompletionChunk[] {
      if (isErrorEvent(event.data)) {
        const info = parseGoogleError(500, event.data);
        throw new GatewayError('upstream_error', { status: googleErrorStatus(event.data) ?? 502, message: info.message, provider: context.settings.name, upstreamCode: info.code });
      }
      const parsed = generateContentResponseSchema.safeParse(event.data);
      if (!parsed.success) throw new GatewayError('upstream_bad_response', { message: 'The provider sent a malformed stream chunk.', provider: context.settings.name });
      const response = parsed.data;
      if (response.usageMetadata && (hasCounts(response.usageMetadata) || !usage)) usage = response.usageMetadata;
      const candidates = response.candidates ?? [];
      if (candidates.length === 0 && response.promptFeedback?.blockReason && !promptBlocked) {
        promptBlocked = true;
        return [factory.chunk({}, 'content_filter')];
      }
      return candidates.flatMap(candidate);
    },
    end(): ChatCompletionChunk[] {
      const states = [...choices.values()];
      const complete = promptBlocked || (states.length > 0 && states.every((choice) => choice.finished));
      if (!complete) throw new GatewayError('stream_interrupted', { provider: context.settings.name });
      return usage && hasCounts(usage) ? [factory.usage(convertUsage(usage))] : [];
    },
  };
}
