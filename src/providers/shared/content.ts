/** Helpers every dialect uses to read OpenAI message content. */
import type { ChatMessage, ContentPart } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';

/** The text of a message's content: a string, or its text parts joined. */
export function contentText(content: ChatMessage['content'] | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return (content as ContentPart[])
    .filter((part): part is Extract<ContentPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('');
}

/** Content as a list of parts (a string becomes one text part). */
export function contentParts(content: ChatMessage['content'] | undefined): ContentPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content as ContentPart[];
}

export interface DataUrl {
  mediaType: string;
  /** base64 payload */
  data: string;
}

/** Parses `data:<media>;base64,<data>`; returns undefined for other URLs. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  const meta = url.slice(5, comma);
  if (comma < 0 || !meta.endsWith(';base64')) {
    throw new GatewayError('invalid_request', { message: 'An image data URL must be base64-encoded (data:<type>;base64,<data>).', param: 'messages' });
  }
  return { mediaType: meta.slice(0, -';base64'.length) || 'application/octet-stream', data: url.slice(comma + 1) };
}

/** System and developer messages joined, in order. */
export function systemText(messages: readonly ChatMessage[]): string | undefined {
  const texts = messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => contentText(m.content));
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}

/** Parses tool-call arguments; an empty string means no arguments. */
export function parseToolArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    throw new GatewayError('invalid_request', { message: 'A tool call\'s arguments are not valid JSON.', param: 'messages' });
  }
}
