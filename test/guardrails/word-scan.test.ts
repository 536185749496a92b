/** The word scan counts exactly what the word expression matches, on every script, and hands the rest to the segmenter. */
import { describe, expect, it } from 'vitest';
import { countWords, countWordsBySegmenter } from '../../src/guardrails/text-units.js';
import { countPatternMatches, needsSegmenter, scanWords } from '../../src/guardrails/word-scan.js';
import { corpusTexts, randomTexts } from './texts.js';

/** What `countWords` answered before the scan: the segmenter for some scripts, else the expression. */
function referenceCount(text: string): number {
  return needsSegmenter.test(text) ? countWordsBySegmenter(text) : countPatternMatches(text);
}

function expectAgreement(texts: readonly string[]): void {
  for (const text of texts) {
    expect(scanWords(text), JSON.stringify(text)).toBe(needsSegmenter.test(text) ? undefined : countPatternMatches(text));
    expect(countWords(text), JSON.stringify(text)).toBe(referenceCount(text));
  }
}

/** Characters of every class the rules tell apart, including the joiners, marks, surrogates and segmenter scripts. */
const pieces = [
  ...'aZ09 _\t\n\r',
  ...`'.:,;-!?"()`,
  '\u2018', '\u2019', '\u2024', '\uFE52', '\uFF07', '\uFF0E', // join anything
  '\u00B7', '\u0387', '\u05F4', '\u2027', '\uFE13', '\uFE55', '\uFF1A', // join letters
  '\u037E', '\u0589', '\u060C', '\u060D', '\u066C', '\u07F8', '\u2044', '\uFE10', '\uFE14', '\uFE50', '\uFE54', '\uFF0C', '\uFF1B', // join digits
  '\u0301', '\u0308', '\u093F', // marks
  'é', 'ß', 'Ω', 'ж', 'ب', '٣', 'क', '्', '²', 'Ⅻ', '‿', '⁀', '—', '…', '\u00A0', '\u2003',
  '😀', '👍🏽', '🇫🇷', '𝐀', '𝟎', '𐐷', '\uD800', '\uDC00', // other planes and lone surrogates
];
const segmenterPieces = ['中', 'あ', 'ア', 'ก', 'ລ', 'ក', 'မ', 'א', '\u200D', '\u00AD', '\uFEFF'];

describe('the word scan agrees with the word expression', () => {
  it('on the corpora and the benchmark answer', () => {
    expectAgreement(corpusTexts());
  });

  it('at the edges: empty text, joiners at the ends and doubled, marks after a joiner', () => {
    expectAgreement([
      '',
      ' ',
      "'",
      "a'",
      "'a",
      "a''b",
      'a::b',
      'a.:b',
      '1,,2',
      '1,a',
      'a,1',
      'a:1',
      '1:a',
      "a'\u0301:b",
      'a\u0301:b',
      'a\u0301\u0301:b',
      '\u0301:b',
      '\u0301a',
      '1\u0301,2',
      '𝐀:𝐀',
      '𝟎,𝟎',
      '😀a😀',
      'a\uD800b',
      'a\uDC00:b',
      '\uD800',
      'end.',
      'x\r\ny',
    ]);
  });

  it('on random strings over every class of character', () => {
    expectAgreement(randomTexts(1, 4000, pieces, 24));
    expectAgreement(randomTexts(2, 300, [...pieces, ...segmenterPieces], 24));
  });

  it('for every character of the Basic Multilingual Plane between letters, between digits and alone', () => {
    for (let code = 0; code < 0x10000; code += 1) {
      const character = String.fromCharCode(code);
      for (const text of [`a${character}b`, `1${character}2`, character]) {
        const expected = needsSegmenter.test(text) ? undefined : countPatternMatches(text);
        // (One expectation per disagreement only: 196,608 texts.)
        if (scanWords(text) !== expected) expect(scanWords(text), `U+${code.toString(16)} in ${JSON.stringify(text)}`).toBe(expected);
      }
    }
  });

  it('for characters of the other planes', () => {
    for (let code = 0x10000; code < 0x110000; code += 61) {
      const character = String.fromCodePoint(code);
      expectAgreement([`a${character}b`, `1${character}2`, character]);
    }
  });

  it('hands scripts that need a dictionary, and format characters, to the segmenter', () => {
    expect(scanWords('你好世界')).toBeUndefined();
    expect(scanWords('soft\u00ADhyphen')).toBeUndefined();
    expect(countWords('你好世界')).toBe(countWordsBySegmenter('你好世界'));
  });
});
