/**
 * OpenAI chat messages → Anthropic `messages`. System and developer messages are
 * left out here (they become the top-level `system`). Turns of the same role are
 * merged, so consecutive tool results form one user turn, as Anthropic expects.
 * A part's `cache_control` goes on the block it becomes (a tool message's, on its
 * `tool_result`; an assistant message's, on its text).
 */
import type { CacheControl, ChatMessage, ContentPart } from '../../api/chat-schema.js';
import { lastCacheControl, withCacheControl } from '../../api/cache-control.js';
import { GatewayError } from '../../api/errors.js';
import { contentParts, contentText, parseDataUrl, parseToolArguments } from '../shared/content.js';

export type AnthropicImageSource = { type: 'url'; url: string } | { type: 'base64'; media_type: string; data: string };
export type AnthropicDocumentSource = { type: 'base64'; media_type: string; data: string } | { type: 'text'; media_type: 'text/plain'; data: string };

type Cached = { cache_control?: CacheControl };

export type AnthropicRequestBlock =
  | ({ type: 'text'; text: string } & Cached)
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | ({ type: 'image'; source: AnthropicImageSource } & Cached)
  | ({ type: 'document'; source: AnthropicDocumentSource; title?: string } & Cached)
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | ({ type: 'tool_result'; tool_use_id: string; content: string } & Cached);


export interface AnthropicRequestMessage {
  role: 'user' | 'assistant';
  content: AnthropicRequestBlock[];
}

export function convertMessages(messages: readonly ChatMessage[]): AnthropicRequestMessage[] {
  const turns: AnthropicRequestMessage[] = [];
  const append = (role: AnthropicRequestMessage['role'], blocks: AnthropicRequestBlock[]): void => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        break;
      case 'user':
        append('user', contentParts(message.content).flatMap(convertUserPart));
        break;
      case 'assistant':
        append('assistant', convertAssistant(message));
        break;
      case 'tool':
        append('user', [withCacheControl({ type: 'tool_result', tool_use_id: message.tool_call_id, content: contentText(message.content) }, lastCacheControl(message.content))]);
        break;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }
  return turns;
}

function convertUserPart(part: ContentPart): AnthropicRequestBlock[] {
  switch (part.type) {
    case 'text':
      // Anthropic rejects empty text blocks.
      return part.text === '' ? [] : [withCacheControl({ type: 'text', text: part.text }, part.cache_control)];
    case 'image_url':
      return [withCacheControl({ type: 'image', source: imageSource(part.image_url.url) }, part.cache_control)];
    case 'file':
      return [withCacheControl(convertFile(part.file), part.cache_control)];
    case 'input_audio':
      throw new GatewayError('unsupported_parameter', { message: 'Anthropic models do not accept audio input.', param: 'messages' });
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
}

function imageSource(url: string): AnthropicImageSource {
  const data = parseDataUrl(url);
  return data ? { type: 'base64', media_type: data.mediaType, data: data.data } : { type: 'url', url };
}

function convertFile(file: { file_data?: string; file_id?: string; filename?: string }): AnthropicRequestBlock {
  if (file.file_data === undefined) {
    throw new GatewayError('unsupported_parameter', { message: 'Anthropic cannot read OpenAI file ids; send the file inline as file_data.', param: 'messages' });
  }
  // OpenAI sends a data URL; bare base64 is taken as a PDF.
  const data = parseDataUrl(file.file_data) ?? { mediaType: 'application/pdf', data: file.file_data };
  const title = file.filename ? { title: file.filename } : {};
  if (data.mediaType === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: data.mediaType, data: data.data }, ...title };
  if (data.mediaType === 'text/plain') {
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(data.data, 'base64').toString('utf8') }, ...title };
  }
  throw new GatewayError('unsupported_parameter', { message: `Anthropic documents must be PDF or plain text, not ${data.mediaType}.`, param: 'messages' });
}

/**
 * Thinking blocks, then text, then tool calls. The thinking blocks are the ones an
 * answer handed out in `thinking_blocks`, sent back as they came, signature and all.
 * `reasoning_content` alone is not sent back: Anthropic only accepts thinking with
 * the signature it issued.
 */
function convertAssistant(message: Extract<ChatMessage, { role: 'assistant' }>): AnthropicRequestBlock[] {
  const blocks: AnthropicRequestBlock[] = [...(message.thinking_blocks ?? [])];
  const text = contentText(message.content);
  if (text !== '') blocks.push(withCacheControl({ type: 'text', text }, lastCacheControl(message.content)));
  for (const call of message.tool_calls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseToolArguments(call.function.arguments) });
  }
  return blocks;
}
