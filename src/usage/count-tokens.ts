/**
 * Token counts the gateway makes itself, with gpt-tokenizer (o200k_base):
 * the input of a request, for worst-case budget reservations and token rate
 * limits, and the output of a stream whose provider reported no usage (the
 * cost is then marked estimated). Other providers' tokenizers differ, so these
 * are estimates; images and files are counted by rule of thumb.
 */
import { countTokens } from 'gpt-tokenizer';
import type { ChatCompletion, ChatRequest, EmbeddingRequest } from '../api/chat-schema.js';
import { wavSeconds } from './wav-duration.js';

const asText = { disallowedSpecial: new Set<string>() };

/** Every message costs a few tokens of framing (role, separators); the reply is primed with 3. */
const perMessageTokens = 4;
const replyPrimingTokens = 3;
/** OpenAI's count for a low-detail image, and for a typical 1024×1024 image at high detail. */
const lowDetailImageTokens = 85;
const highDetailImageTokens = 765;

export interface InputCount {
  readonly tokens: number;
  readonly images: number;
  readonly audioSeconds: number;
}

export function countText(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, asText);
}

function countContent(content: unknown, count: { tokens: number; images: number; audioSeconds: number }): void {
  if (typeof content === 'string') {
    count.tokens += countText(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content as { type: string; [key: string]: unknown }[]) {
    switch (part.type) {
      case 'text':
        count.tokens += countText(String(part.text ?? ''));
        break;
      case 'image_url': {
        const detail = (part.image_url as { detail?: string } | undefined)?.detail;
        count.images += 1;
        count.tokens += detail === 'low' ? lowDetailImageTokens : highDetailImageTokens;
        break;
      }
      case 'input_audio': {
        const audio = part.input_audio as { data?: string; format?: string } | undefined;
        if (audio?.data && audio.format === 'wav') count.audioSeconds += wavSeconds(audio.data);
        break;
      }
      case 'file': {
        const data = (part.file as { file_data?: string } | undefined)?.file_data;
        if (data) count.tokens += Math.ceil(data.length / 4);
        break;
      }
      default:
        break;
    }
  }
}

/** The input of a chat request: messages, tool definitions and a response schema. */
export function countChatInput(chat: ChatRequest): InputCount {
  const count = { tokens: replyPrimingTokens, images: 0, audioSeconds: 0 };
  for (const message of chat.messages) {
    count.tokens += perMessageTokens;
    countContent(message.content, count);
    if (typeof message.name === 'string') count.tokens += countText(message.name);
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) count.tokens += countText(call.function.name) + countText(call.function.arguments);
    }
  }
  if (chat.tools && chat.tools.length > 0) count.tokens += countText(JSON.stringify(chat.tools));
  if (chat.response_format?.type === 'json_schema') count.tokens += countText(JSON.stringify(chat.response_format.json_schema));
  return count;
}

export function countEmbeddingInput(request: EmbeddingRequest): number {
  const input = request.input;
  if (typeof input === 'string') return countText(input);
  let tokens = 0;
  for (const item of input) {
    if (typeof item === 'string') tokens += countText(item);
    else if (typeof item === 'number') tokens += 1;
    else tokens += item.length;
  }
  return tokens;
}

/** The output tokens of an answer (text, reasoning and tool calls), for a provider that reported none. */
export function countCompletionOutput(completion: ChatCompletion): number {
  let tokens = 0;
  for (const choice of completion.choices) {
    const message = choice.message;
    tokens += countText(message.content ?? '') + countText(message.reasoning_content ?? '');
    for (const call of message.tool_calls ?? []) tokens += countText(call.function.name) + countText(call.function.arguments);
  }
  return tokens;
}
