/**
 * Mistral chat completion → OpenAI `chat.completion`. The envelope is already OpenAI's; the
 * differences are content that may be a chunk list (text + thinking → `content` +
 * `reasoning_content`), tool calls without `type` (and arguments that may be an object),
 * and the finish reasons `model_length` and `error`.
 */
import type { ChatCompletion, ToolCall } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext } from '../contract.js';
import { newCompletionId } from '../chunk-factory.js';
import { chatResponseSchema, type MistralToolCall } from './api-schema.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';
import { argumentsText, readContent } from './read-content.js';

function toolCall(call: MistralToolCall, index: number): ToolCall {
  const text = argumentsText(call.function.arguments);
  return { id: call.id ?? `call_${index}`, type: 'function', function: { name: call.function.name ?? '', arguments: text.trim() === '' ? '{}' : text } };
}

export function convertResponse(body: unknown, context: CallContext): ChatCompletion {
  const provider = context.settings.name;
  const parsed = chatResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { provider, message: 'Mistral sent a completion the gateway could not read.', cause: parsed.error });
  }
  const response = parsed.data;
  const completion: ChatCompletion = {
    id: response.id || newCompletionId(),
    object: 'chat.completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: response.model ?? context.model,
    choices: response.choices.map((choice) => {
      const { text, reasoning } = readContent(choice.message.content);
      const calls = (choice.message.tool_calls ?? []).map(toolCall);
      return {
        index: choice.index,
        message: {
          role: 'assistant' as const,
          content: typeof choice.message.content === 'string' ? choice.message.content : text !== '' ? text : null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
          ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
        },
        finish_reason: mapFinishReason(choice.finish_reason, provider),
        logprobs: null,
      };
    }),
  };
  if (response.usage) completion.usage = convertUsage(response.usage);
  return completion;
}
