/**
 * Replays a stored completion as a well-formed stream: per choice, the role
 * first, then reasoning, refusal and content in small pieces, then each tool
 * call (id and name first, then its arguments in pieces, with its index), the
 * finishing chunk, and the usage chunk last (the writer sends it only to
 * clients that asked for it, and ends with `[DONE]`).
 */
import type { ChatCompletion, ChatCompletionChunk } from '../api/chat-schema.js';

/** Characters per replayed piece: about what a model streams per chunk. */
export const replayPieceLength = 24;

/** Splits text into pieces of at most `size` characters without cutting a surrogate pair. */
export function splitText(text: string, size: number = replayPieceLength): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; start < characters.length; start += size) pieces.push(characters.slice(start, start + size).join(''));
  return pieces;
}

type Delta = ChatCompletionChunk['choices'][number]['delta'];

export function replayChunks(completion: ChatCompletion): ChatCompletionChunk[] {
  const base = { id: completion.id, object: 'chat.completion.chunk' as const, created: completion.created, model: completion.model };
  const withFingerprint = completion.system_fingerprint === undefined ? base : { ...base, system_fingerprint: completion.system_fingerprint };
  const chunk = (index: number, delta: Delta, finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({
    ...withFingerprint,
    choices: [{ index, delta, finish_reason: finishReason }],
  });
  const chunks: ChatCompletionChunk[] = [];
  for (const choice of completion.choices) {
    const { message, index } = choice;
    chunks.push(chunk(index, { role: 'assistant', content: '' }));
    for (const piece of splitText(message.reasoning_content ?? '')) chunks.push(chunk(index, { reasoning_content: piece }));
    // As a provider's stream gives them: each block whole, after the reasoning text.
    for (const block of message.thinking_blocks ?? []) chunks.push(chunk(index, { thinking_blocks: [block] }));
    for (const piece of splitText(message.refusal ?? '')) chunks.push(chunk(index, { refusal: piece }));
    for (const piece of splitText(message.content ?? '')) chunks.push(chunk(index, { content: piece }));
    for (const [position, call] of (message.tool_calls ?? []).entries()) {
      chunks.push(chunk(index, { tool_calls: [{ index: position, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
      for (const piece of splitText(call.function.arguments)) chunks.push(chunk(index, { tool_calls: [{ index: position, function: { arguments: piece } }] }));
    }
    const finishing = chunk(index, {}, choice.finish_reason);
    if (choice.logprobs !== undefined && choice.logprobs !== null) finishing.choices[0]!.logprobs = choice.logprobs;
    if (choice.stop_reason !== undefined && choice.stop_reason !== null) finishing.choices[0]!.stop_reason = choice.stop_reason;
    chunks.push(finishing);
  }
  if (completion.usage) chunks.push({ ...withFingerprint, choices: [], usage: completion.usage });
  return chunks;
}

export async function* replayStream(completion: ChatCompletion): AsyncGenerator<ChatCompletionChunk> {
  for (const chunk of replayChunks(completion)) yield chunk;
}
