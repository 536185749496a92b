/** Texts for the tests that hold a fast path to its reference: the labelled corpora, the benchmark's answer, and seeded random strings. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../helpers/seeded-random.js';

function read(path: string): string {
  return readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
}

function jsonLines(path: string): Record<string, unknown>[] {
  return read(path)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every text of the PII corpora and the cache pairs, and the benchmark's answer. */
export function corpusTexts(): string[] {
  const pii = [...jsonLines('../data/pii-corpus.jsonl'), ...jsonLines('../data/pii-corpus-hard.jsonl')].map((line) => String(line.text));
  const pairs = jsonLines('../data/cache-pairs.jsonl').flatMap((line) => [String(line.a), String(line.b)]);
  const answer = (JSON.parse(read('../../bench/fixtures/chat-completion.json')) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
  return [...pii, ...pairs, answer];
}

export { seededRandom } from '../helpers/seeded-random.js';

/** `count` strings of up to `longest` pieces drawn from `pieces` (characters or longer fragments). */
export function randomTexts(seed: number, count: number, pieces: readonly string[], longest: number): string[] {
  const random = seededRandom(seed);
  const texts: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const length = Math.floor(random() * (longest + 1));
    let text = '';
    for (let piece = 0; piece < length; piece += 1) text += pieces[Math.floor(random() * pieces.length)]!;
    texts.push(text);
  }
  return texts;
}
