import type { MistralContent } from './api-schema.js';

export interface ContentParts {
  text: string;
  reasoning: string;
}

/**
 * Splits Mistral message content into answer text and reasoning: a string is all text; in a
 * chunk list, `text` chunks are text and `thinking` chunks (lists of text chunks) are reasoning.
 * Other chunk types (`image_url`, `reference`, ...) carry nothing for an OpenAI client.
 */
export function readContent(content: MistralContent): ContentParts {
  if (content == null) return { text: '', reasoning: '' };
  if (typeof content === 'string') return { text: content, reasoning: '' };
  let text = '';
  let reasoning = '';
  for (const chunk of content) {
    if (chunk.type === 'text') text += chunk.text ?? '';
    else if (chunk.type === 'thinking') {
      for (const part of chunk.thinking ?? []) if (part.type === 'text' || part.type == null) reasoning += part.text ?? '';
    }
  }
  return { text, reasoning };
}

/** Tool-call arguments as a JSON string: Mistral may send an object, or nothing for a call without parameters. */
export function argumentsText(value: string | Record<string, unknown> | null | undefined): string {
  if (value == null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
