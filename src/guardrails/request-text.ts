/**
 * The text of a request, as slots that can be read and rewritten: each
 * message's string content or text part (chat), each input string
 * (embeddings). Images, audio, files and tool-call arguments are not text here.
 */
import type { ChatMessage, ChatRequest, EmbeddingRequest } from '../api/chat-schema.js';
import type { GuardrailDefinition } from './config-schema.js';

export interface TextSlot {
  /** Message index (chat) or input index (embeddings). */
  readonly item: number;
  /** The text part's index when the content is a list of parts. */
  readonly part?: number;
  readonly text: string;
}

export type Scope = GuardrailDefinition['scope'];

function addMessageSlots(slots: TextSlot[], message: ChatMessage, item: number): void {
  const content = message.content;
  if (typeof content === 'string') {
    slots.push({ item, text: content });
    return;
  }
  if (!Array.isArray(content)) return;
  content.forEach((part, index) => {
    if (part.type === 'text') slots.push({ item, part: index, text: part.text });
  });
}

export function chatSlots(chat: ChatRequest, scope: Scope): TextSlot[] {
  const slots: TextSlot[] = [];
  const messages = chat.messages;
  const last = messages.length - 1;
  for (let item = 0; item < messages.length; item += 1) {
    const message = messages[item]!;
    if (scope === 'last' && item !== last) continue;
    if (scope === 'user' && message.role !== 'user') continue;
    addMessageSlots(slots, message, item);
  }
  return slots;
}

export function embeddingSlots(request: EmbeddingRequest): TextSlot[] {
  if (typeof request.input === 'string') return [{ item: 0, text: request.input }];
  return request.input.flatMap((value, item) => (typeof value === 'string' ? [{ item, text: value }] : []));
}

export function slotKey(slot: { item: number; part?: number }): string {
  return slot.part === undefined ? `${slot.item}` : `${slot.item}.${slot.part}`;
}

/** A copy of the request with some slots' texts replaced (keyed by `slotKey`). */
export function rewriteChat(chat: ChatRequest, replacements: ReadonlyMap<string, string>): ChatRequest {
  const messages = chat.messages.map((message, item) => {
    const whole = replacements.get(`${item}`);
    if (whole !== undefined) return { ...message, content: whole } as ChatMessage;
    if (!Array.isArray(message.content)) return message;
    let changed = false;
    const content = message.content.map((part, index) => {
      const text = replacements.get(`${item}.${index}`);
      if (text === undefined || part.type !== 'text') return part;
      changed = true;
      return { ...part, text };
    });
    return changed ? ({ ...message, content } as ChatMessage) : message;
  });
  return { ...chat, messages };
}

export function rewriteEmbeddings(request: EmbeddingRequest, replacements: ReadonlyMap<string, string>): EmbeddingRequest {
  if (typeof request.input === 'string') return { ...request, input: replacements.get('0') ?? request.input };
  const input = (request.input as unknown[]).map((value, item) => replacements.get(`${item}`) ?? value);
  return { ...request, input: input as EmbeddingRequest['input'] };
}
