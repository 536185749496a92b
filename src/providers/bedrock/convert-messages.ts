/**
 * OpenAI messages → Converse `system` and `messages`.
 * System and developer messages become `system` blocks. Tool results become `toolResult`
 * blocks in a user message. Consecutive messages of one role are merged, since Converse
 * expects user and assistant turns to alternate. A part's `cache_control` becomes a
 * `cachePoint` block after the block it was on (system, user, tool result, assistant text).
 */
import type { ChatMessage } from '../../api/chat-schema.js';
import { lastCacheControl } from '../../api/cache-control.js';
import { GatewayError } from '../../api/errors.js';
import { contentParts, contentText, parseToolArguments } from '../shared/content.js';
import { cachePoint, type BedrockMessage, type CachePoint, type ContentBlock } from './api-schema.js';
import { userContentBlocks } from './convert-content.js';

export interface ConvertedMessages {
  system: Array<{ text: string } | CachePoint>;
  messages: BedrockMessage[];
  /** Whether the history holds toolUse/toolResult blocks (Converse then requires `toolConfig`). */
  hasToolBlocks: boolean;
}

/**
 * Reasoning blocks, then text, then tool uses. The reasoning blocks are the signed ones an answer handed out in
 * `thinking_blocks`, sent back unchanged; `reasoning_content` alone is not replayed, as Bedrock only accepts
 * reasoning with the signature it issued.
 */
function assistantBlocks(message: Extract<ChatMessage, { role: 'assistant' }>): ContentBlock[] {
  const blocks: ContentBlock[] = (message.thinking_blocks ?? []).map((block) =>
    block.type === 'thinking' ? { reasoningContent: { reasoningText: { text: block.thinking, signature: block.signature } } } : { reasoningContent: { redactedContent: block.data } },
  );
  const text = contentText(message.content);
  if (text !== '') blocks.push({ text });
  if (text !== '' && lastCacheControl(message.content)) blocks.push(cachePoint);
  for (const call of message.tool_calls ?? []) {
    blocks.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: parseToolArguments(call.function.arguments) } });
  }
  return blocks;
}

function toolResultBlocks(message: Extract<ChatMessage, { role: 'tool' }>): ContentBlock[] {
  const block: ContentBlock = { toolResult: { toolUseId: message.tool_call_id, content: [{ text: contentText(message.content) }] } };
  return lastCacheControl(message.content) ? [block, cachePoint] : [block];
}

export function convertMessages(messages: readonly ChatMessage[], provider: string): ConvertedMessages {
  const system: ConvertedMessages['system'] = [];
  const converted: BedrockMessage[] = [];
  let hasToolBlocks = false;

  const append = (role: BedrockMessage['role'], blocks: ContentBlock[]): void => {
    if (blocks.length === 0) return;
    const last = converted.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else converted.push({ role, content: blocks });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        if (typeof message.content !== 'string' && lastCacheControl(message.content)) {
          for (const part of message.content) {
            if (part.text !== '') system.push({ text: part.text });
            if (part.cache_control) system.push(cachePoint);
          }
          break;
        }
        const text = contentText(message.content);
        if (text !== '') system.push({ text });
        break;
      }
      case 'user':
        append('user', userContentBlocks(contentParts(message.content), provider));
        break;
      case 'assistant':
        if (message.tool_calls?.length) hasToolBlocks = true;
        append('assistant', assistantBlocks(message));
        break;
      case 'tool':
        hasToolBlocks = true;
        append('user', toolResultBlocks(message));
        break;
      default: {
        const unreachable: never = message;
        throw new GatewayError('invalid_request', { message: `Unknown message role in ${JSON.stringify(unreachable)}.`, param: 'messages' });
      }
    }
  }
  return { system, messages: converted, hasToolBlocks };
}
