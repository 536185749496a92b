/**
 * Google `GenerateContentResponse` → OpenAI `chat.completion`: one choice per
 * candidate (by its index), text parts → content, thought parts →
 * reasoning_content, function calls → tool_calls (ids carry the thought
 * signature), a blocked prompt → an empty `content_filter` choice.
 */
import type { ChatCompletion, ToolCall } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { newCompletionId } from '../chunk-factory.js';
import type { CallContext } from '../contract.js';
import { generateContentResponseSchema, type Candidate, type GenerateContentResponse } from './api-schema.js';
import { convertLogprobs } from './convert-logprobs.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';
import { encodeToolCallId, toolCallBaseId } from './tool-call-id.js';

type Choice = ChatCompletion['choices'][number];

function convertCandidate(candidate: Candidate, position: number): Choice {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    if (part.functionCall?.name) {
      const id = encodeToolCallId(toolCallBaseId(part.functionCall.id, toolCalls.length), part.thoughtSignature);
      toolCalls.push({ id, type: 'function', function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) } });
    } else if (part.text) {
      if (part.thought) reasoning += part.text;
      else text += part.text;
    }
  }
  const message: Choice['message'] = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const finish = candidate.finishReason ? mapFinishReason(candidate.finishReason, toolCalls.length > 0) : toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const choice: Choice = { index: candidate.index ?? position, message, finish_reason: finish, logprobs: null };
  const logprobs = convertLogprobs((candidate as Record<string, unknown>).logprobsResult);
  if (logprobs) choice.logprobs = logprobs;
  return choice;
}

export function completionId(response: Pick<GenerateContentResponse, 'responseId'>): string {
  return response.responseId ? `chatcmpl-${response.responseId}` : newCompletionId();
}

export function googleChatResponse(body: unknown, context: CallContext): ChatCompletion {
  const parsed = generateContentResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { message: 'The provider sent a response that is not a GenerateContentResponse.', provider: context.settings.name });
  }
  const response = parsed.data;
  const candidates = response.candidates ?? [];
  const choices = candidates.map(convertCandidate);
  if (choices.length === 0) {
    // No candidate: the prompt itself was blocked (promptFeedback.blockReason) or nothing was generated.
    const blocked = response.promptFeedback?.blockReason != null;
    choices.push({ index: 0, message: { role: 'assistant', content: blocked ? null : '' }, finish_reason: blocked ? 'content_filter' : 'stop', logprobs: null });
  }
  const completion: ChatCompletion = {
    id: completionId(response),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: context.model,
    choices,
  };
  if (response.usageMetadata) completion.usage = convertUsage(response.usageMetadata);
  return completion;
}
