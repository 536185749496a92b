/**
 * Cohere v2 chat response → OpenAI `chat.completion`.
 * Text items join into `content` (with `tool_plan`, the text said before tool calls, in front),
 * thinking items into `reasoning_content`; tool calls keep their shape, with arguments that are
 * always a JSON object. Citations are skipped: the text they point into is in `content`.
 */
import type { ChatCompletion, ToolCall } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext } from '../contract.js';
import { newCompletionId } from '../chunk-factory.js';
import { chatResponseSchema } from './api-schema.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';
import { normalizeArguments } from './tool-arguments.js';

export function convertResponse(body: unknown, context: CallContext): ChatCompletion {
  const provider = context.settings.name;
  const parsed = chatResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { provider, message: 'Cohere sent a chat response the gateway could not read.', cause: parsed.error });
  }
  const { message, finish_reason: finishReason, usage, id } = parsed.data;
  const texts: string[] = message.tool_plan ? [message.tool_plan] : [];
  const thoughts: string[] = [];
  for (const item of message.content ?? []) {
    if (item.type === 'text') texts.push(item.text ?? '');
    else if (item.type === 'thinking') thoughts.push(item.thinking ?? '');
  }
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: 'function',
    function: { name: call.function?.name ?? '', arguments: normalizeArguments(call.function?.arguments) },
  }));

  const completion: ChatCompletion = {
    id: id || newCompletionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: context.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: texts.length > 0 ? texts.join('') : null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(thoughts.length > 0 ? { reasoning_content: thoughts.join('') } : {}),
        },
        finish_reason: mapFinishReason(finishReason, provider),
        logprobs: null,
      },
    ],
  };
  if (usage) completion.usage = convertUsage(usage);
  return completion;
}
