/**
 * Anthropic message → OpenAI `chat.completion`. Text blocks join into `content`,
 * thinking blocks into `reasoning_content`, client `tool_use` blocks become
 * `tool_calls`. Thinking and `redacted_thinking` blocks are also kept whole, with
 * their signatures, in `thinking_blocks`, for the client to send back on its next
 * turn. Server-tool blocks (web search, code execution, MCP, ...) and other
 * block types are skipped: the text they lead to is in the text blocks.
 */
import type { ChatCompletion, ThinkingBlock, ToolCall } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext } from '../contract.js';
import { newCompletionId } from '../chunk-factory.js';
import { messageSchema, type AnthropicMessage } from './api-schema.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './finish-reason.js';

export function convertResponse(body: unknown, context: CallContext): ChatCompletion {
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { provider: context.settings.name, message: 'Anthropic sent a message the gateway could not read.', cause: parsed.error });
  }
  const message = parsed.data;
  const texts: string[] = [];
  const thoughts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const thinkingBlocks: ThinkingBlock[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text ?? '');
    else if (block.type === 'thinking') {
      thoughts.push(block.thinking ?? '');
      if (block.signature) thinkingBlocks.push({ type: 'thinking', thinking: block.thinking ?? '', signature: block.signature });
    } else if (block.type === 'redacted_thinking') {
      if (block.data) thinkingBlocks.push({ type: 'redacted_thinking', data: block.data });
    } else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) } });
    }
  }

  const refusalText = refusal(message);
  const completion: ChatCompletion = {
    id: message.id || newCompletionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: message.model ?? context.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: texts.length > 0 ? texts.join('') : null,
          ...(refusalText !== undefined ? { refusal: refusalText } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(thoughts.length > 0 ? { reasoning_content: thoughts.join('') } : {}),
          ...(thinkingBlocks.length > 0 ? { thinking_blocks: thinkingBlocks } : {}),
        },
        finish_reason: mapFinishReason(message.stop_reason),
        ...(message.stop_reason === 'stop_sequence' && message.stop_sequence ? { stop_reason: message.stop_sequence } : {}),
        logprobs: null,
      },
    ],
  };
  if (message.usage) completion.usage = convertUsage(message.usage);
  return completion;
}

/** A refusal's explanation, when Anthropic gives one, goes into OpenAI's `refusal`. */
function refusal(message: AnthropicMessage): string | undefined {
  if (message.stop_reason !== 'refusal') return undefined;
  return message.stop_details?.explanation ?? undefined;
}
