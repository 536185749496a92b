/**
 * The fixed bodies the mock upstream answers with, built once at start-up from a
 * recorded OpenAI chat completion (bench/fixtures/chat-completion.json).
 */
import { readFileSync } from 'node:fs';

interface RecordedCompletion {
  id: string;
  created: number;
  model: string;
  system_fingerprint: string;
  service_tier: string;
  choices: Array<{ message: { content: string } }>;
  usage: Record<string, unknown>;
}

const CONTENT_FRAME_COUNT = 8;

const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/chat-completion.json', import.meta.url), 'utf8'),
) as RecordedCompletion;

export const completionBody: Buffer = Buffer.from(JSON.stringify(recorded));

function splitIntoPieces(text: string, pieceCount: number): string[] {
  const words = text.split(/(?<= )/);
  const perPiece = Math.ceil(words.length / pieceCount);
  const pieces: string[] = [];
  for (let start = 0; start < words.length; start += perPiece) {
    pieces.push(words.slice(start, start + perPiece).join(''));
  }
  return pieces;
}

function chunk(delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
  return {
    id: recorded.id,
    object: 'chat.completion.chunk',
    created: recorded.created,
    model: recorded.model,
    service_tier: recorded.service_tier,
    system_fingerprint: recorded.system_fingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  };
}

function frame(payload: unknown): Buffer {
  return Buffer.from(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
}

const content = recorded.choices[0]?.message.content ?? '';

/** role frame, content frames, finish frame: about ten `data:` frames in all. */
export const streamFrames: Buffer[] = [
  frame(chunk({ role: 'assistant', content: '', refusal: null }, null)),
  ...splitIntoPieces(content, CONTENT_FRAME_COUNT).map((piece) => frame(chunk({ content: piece }, null))),
  frame(chunk({}, 'stop')),
];

/** Sent before [DONE] when the request asks for stream_options.include_usage. */
export const usageFrame: Buffer = frame({
  ...chunk({}, null),
  choices: [],
  usage: recorded.usage,
});

export const doneFrame: Buffer = frame('[DONE]');
