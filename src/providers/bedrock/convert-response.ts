/** Converse response → OpenAI chat completion; Bedrock error bodies → message and code. */
import type { ChatCompletion, ThinkingBlock, ToolCall } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { newCompletionId } from '../chunk-factory.js';
import type { CallContext, ProviderErrorInfo } from '../contract.js';
import { converseResponseSchema, errorBodySchema } from './api-schema.js';
import { convertUsage } from './convert-usage.js';
import { mapStopReason } from './finish-reason.js';

export function bedrockChatResponse(body: unknown, context: CallContext): ChatCompletion {
  const parsed = converseResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { message: `Bedrock sent a Converse response the gateway could not read: ${parsed.error.message}`, provider: context.settings.name });
  }
  const response = parsed.data;
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  // Signed reasoning, kept whole for the client to send back (see `thinking_blocks` in chat-schema.ts).
  const thinkingBlocks: ThinkingBlock[] = [];
  for (const block of response.output.message.content) {
    if (block.text !== undefined) text += block.text;
    const reasoningText = block.reasoningContent?.reasoningText;
    if (reasoningText) {
      reasoning += reasoningText.text;
      if (reasoningText.signature) thinkingBlocks.push({ type: 'thinking', thinking: reasoningText.text, signature: reasoningText.signature });
    }
    if (block.reasoningContent?.redactedContent) thinkingBlocks.push({ type: 'redacted_thinking', data: block.reasoningContent.redactedContent });
    if (block.toolUse) {
      const { toolUseId, name, input } = block.toolUse;
      toolCalls.push({ id: toolUseId, type: 'function', function: { name, arguments: JSON.stringify(input ?? {}) } });
    }
  }
  const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
  const completion: ChatCompletion = {
    id: newCompletionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: context.model,
    choices: [{ index: 0, message, finish_reason: mapStopReason(response.stopReason), logprobs: null }],
  };
  if (response.usage) completion.usage = convertUsage(response.usage);
  return completion;
}

/**
 * Bedrock errors are `{"message": ...}`, with the exception name in the `x-amzn-errortype` header
 * (`ThrottlingException:http://internal.amazon.com/...`); the header is read when the caller passes it.
 */
export function parseBedrockError(status: number, body: unknown, headers?: Readonly<Record<string, string | string[] | undefined>>): ProviderErrorInfo {
  const errorType = headers?.['x-amzn-errortype'];
  const headerCode = (Array.isArray(errorType) ? errorType[0] : errorType)?.split(':')[0] || null;
  if (typeof body === 'string') return { message: body.trim() || `HTTP ${status}`, code: headerCode };
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return { message: `HTTP ${status}`, code: headerCode };
  const message = parsed.data.message ?? parsed.data.Message ?? `HTTP ${status}`;
  const bodyCode = parsed.data.__type?.split(/[#:]/).find((part) => /Exception$/.test(part)) ?? null;
  return { message, code: headerCode ?? bodyCode };
}
