/**
 * Counting words, sentences and characters the Unicode way (Intl.Segmenter,
 * UAX #29): CJK text without spaces still has words, and an emoji with a skin
 * tone or a flag is one character.
 *
 * The word segmenter costs about 0.5 µs a character (260 µs for a 500-character
 * prompt), too much for every request. Text in scripts that need no dictionary
 * is counted by a scan that follows the same rules (letters and digits joined
 * by apostrophes, full stops, colons between letters, commas between digits;
 * see word-scan.ts); a test keeps the two in agreement. Other text goes to the
 * segmenter. Characters are counted by a scan too when no code point in the
 * text can join another in a cluster.
 */
import { scanCharacters } from './character-scan.js';
import { scanWords } from './word-scan.js';

const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const nonSpace = /\S/;

export function countWordsBySegmenter(text: string): number {
  let count = 0;
  for (const segment of words.segment(text)) if (segment.isWordLike) count += 1;
  return count;
}

export function countWords(text: string): number {
  return scanWords(text) ?? countWordsBySegmenter(text);
}

export function countSentences(text: string): number {
  let count = 0;
  for (const segment of sentences.segment(text)) if (nonSpace.test(segment.segment)) count += 1;
  return count;
}

export function countCharactersBySegmenter(text: string): number {
  let count = 0;
  for (const _segment of graphemes.segment(text)) count += 1;
  return count;
}

/** User-perceived characters (grapheme clusters): a scan when no code point can join another (see character-scan.ts). */
export function countCharacters(text: string): number {
  return scanCharacters(text) ?? countCharactersBySegmenter(text);
}
