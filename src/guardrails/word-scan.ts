/**
 * Word counting without the segmenter, for scripts that need no dictionary:
 * the rules of UAX #29 that matter for counting (letters, digits, marks and
 * connectors form words; apostrophes and full stops join them; colons join
 * letters; commas join digits), written twice:
 *
 * - `wordPattern`, a regular expression, is the readable statement of the rules;
 * - `scanWords`, one pass over the code points with a table of character
 *   classes, is what runs (on English text, about a sixth of the expression's
 *   cost: the expression tries lookbehinds over Unicode properties).
 *
 * Tests keep the two in agreement, and both in agreement with the segmenter.
 */
import { cachedCodePointClass } from './code-point-cache.js';

/** Scripts whose words the segmenter finds with a dictionary or special rules, and format characters. */
export const needsSegmenter = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Hebrew}\p{Cf}]/u;
const midLetter = ':\\u00B7\\u0387\\u05F4\\u2027\\uFE13\\uFE55\\uFF1A';
const midNumberOrLetter = "'.\\u2018\\u2019\\u2024\\uFE52\\uFF07\\uFF0E";
const midNumber = ',;\\u037E\\u0589\\u060C\\u060D\\u066C\\u07F8\\u2044\\uFE10\\uFE14\\uFE50\\uFE54\\uFF0C\\uFF1B';
const wordCharacter = '\\p{L}\\p{N}\\p{M}\\p{Pc}';

/** One match per word (the reference for `scanWords`). */
export const wordPattern = new RegExp(
  `[${wordCharacter}]+(?:(?:[${midNumberOrLetter}]|(?<=\\p{L}\\p{M}*)[${midLetter}](?=\\p{L})|(?<=\\p{N})[${midNumber}](?=\\p{N}))[${wordCharacter}]+)*`,
  'gu',
);

const letter = 1;
const number = 2;
const mark = 4;
const connector = 8;
const joinsAny = 16;
const joinsLetters = 32;
const joinsNumbers = 64;
const segmenter = 128;
const known = 256;
/** Set by `classAt` when the code point takes two code units. */
const wide = 512;
const word = letter | number | mark | connector;

const classes: readonly (readonly [RegExp, number])[] = [
  [/^\p{L}$/u, letter],
  [/^\p{N}$/u, number],
  [/^\p{M}$/u, mark],
  [/^\p{Pc}$/u, connector],
  [new RegExp(`^[${midNumberOrLetter}]$`, 'u'), joinsAny],
  [new RegExp(`^[${midLetter}]$`, 'u'), joinsLetters],
  [new RegExp(`^[${midNumber}]$`, 'u'), joinsNumbers],
  [new RegExp(`^${needsSegmenter.source}$`, 'u'), segmenter],
];

function classify(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  let flags = known;
  for (const [pattern, flag] of classes) if (pattern.test(character)) flags |= flag;
  return flags;
}

/** `known` is always set, so a class is never 0. */
const classOf = cachedCodePointClass(classify);

const asciiClasses = Uint16Array.from({ length: 0x80 }, (_, code) => classify(code));

/** The class of the code point at `index`, with `wide` when it takes two code units (a lone surrogate stands for itself, as in a `u` expression). */
function classAt(text: string, index: number): number {
  const high = text.charCodeAt(index);
  if (high < 0x80) return asciiClasses[high]!;
  if (high < 0xd800 || high > 0xdbff || index + 1 >= text.length) return classOf(high);
  const low = text.charCodeAt(index + 1);
  if (low < 0xdc00 || low > 0xdfff) return classOf(high);
  return classOf((high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000) | wide;
}

/** The class of the code point that ends just before `end` (a lone surrogate stands for itself, as in `classAt`). */
function classBefore(text: string, end: number): number {
  const low = text.charCodeAt(end - 1);
  if (low < 0x80) return asciiClasses[low]!;
  if (low >= 0xdc00 && low <= 0xdfff && end >= 2) {
    const high = text.charCodeAt(end - 2);
    if (high >= 0xd800 && high <= 0xdbff) return classOf((high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
  }
  return classOf(low);
}

/** The code units the code point that ends just before `end` takes. */
function widthBefore(text: string, end: number): number {
  const low = text.charCodeAt(end - 1);
  if (low < 0xdc00 || low > 0xdfff || end < 2) return 1;
  const high = text.charCodeAt(end - 2);
  return high >= 0xd800 && high <= 0xdbff ? 2 : 1;
}

/**
 * Whether `\p{L}\p{M}*` ends just before `end` (a colon may join letters): the
 * marks are skipped back to the code point they follow.
 */
function letterBefore(text: string, end: number): boolean {
  let position = end;
  while (position > 0) {
    const flags = classBefore(text, position);
    if (!(flags & mark)) return (flags & letter) !== 0;
    position -= widthBefore(text, position);
  }
  return false;
}

const joins = joinsAny | joinsLetters | joinsNumbers;

/** ASCII characters by what the scan does with them: 0 ends a word, 1 is in a word, 2 may join words (read in full). */
const asciiSteps = Uint8Array.from(asciiClasses, (flags) => (flags & joins ? 2 : flags & word ? 1 : 0));

/**
 * The number of `wordPattern` matches, or undefined when the text has characters that need the segmenter.
 * ASCII letters, digits and spaces, nearly all of most texts, cost a table look-up each
 * (a word's start is counted without a branch); what comes before a joiner (a letter,
 * a digit) is only read back when a joiner is met.
 */
export function scanWords(text: string): number | undefined {
  let count = 0;
  /** 1 inside a word. */
  let inWord = 0;
  const length = text.length;
  let index = 0;
  while (index < length) {
    let code = text.charCodeAt(index);
    while (code < 0x80) {
      const step = asciiSteps[code]!;
      if (step > 1) break;
      // A word character after a non-word one starts a word.
      count += step & (inWord ^ 1);
      inWord = step;
      index += 1;
      if (index >= length) return count;
      code = text.charCodeAt(index);
    }
    const start = index;
    let flags: number;
    if (code < 0x80) {
      flags = asciiClasses[code]!;
      index += 1;
    } else {
      flags = classAt(text, index);
      index += flags & wide ? 2 : 1;
      if (flags & segmenter) return undefined;
    }
    if (flags & word) {
      count += inWord ^ 1;
      inWord = 1;
    } else if (inWord) {
      // Only a joiner between word characters keeps the word going.
      if (!(flags & joins) || index >= length) {
        inWord = 0;
        continue;
      }
      const next = classAt(text, index);
      const joined =
        ((flags & joinsAny) !== 0 && (next & word) !== 0) ||
        ((flags & joinsLetters) !== 0 && (next & letter) !== 0 && letterBefore(text, start)) ||
        ((flags & joinsNumbers) !== 0 && (next & number) !== 0 && (classBefore(text, start) & number) !== 0);
      inWord = joined ? 1 : 0;
    }
  }
  return count;
}

/** The number of `wordPattern` matches, by the expression itself. */
export function countPatternMatches(text: string): number {
  wordPattern.lastIndex = 0;
  let count = 0;
  while (wordPattern.exec(text)) count += 1;
  return count;
}
