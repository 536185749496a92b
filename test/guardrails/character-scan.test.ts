/** The character scan counts the segmenter's grapheme clusters, and hands texts with joining code points to it. */
import { describe, expect, it } from 'vitest';
import { scanCharacters } from '../../src/guardrails/character-scan.js';
import { countCharacters, countCharactersBySegmenter } from '../../src/guardrails/text-units.js';
import { corpusTexts, randomTexts } from './texts.js';

function expectAgreement(texts: readonly string[]): void {
  for (const text of texts) {
    const scanned = scanCharacters(text);
    if (scanned !== undefined) expect(scanned, JSON.stringify(text)).toBe(countCharactersBySegmenter(text));
    expect(countCharacters(text), JSON.stringify(text)).toBe(countCharactersBySegmenter(text));
  }
}

/** Code points that stand alone (CR LF aside). */
const standing = [...'aZ09 .,\t\n\r', '\r\n', 'é', 'ß', 'Ω', 'ж', 'ب', 'क', '中', 'あ', '—', '…', '\u00A0', '😀', '𝐀', '\uD800', '\uDC00'];
/** And ones that join: marks, joiners, jamo, prepended marks, regional indicators, emoji modifiers. */
const pieces = [
  ...standing,
  '\u0301', '\u093F', '\u094D', '\u200D', '\u200C', '\uFE0F', '\u0E33', '\u0600', '\u0D4E',
  '\u1100', '\u1161', '\u11A8', '\uAC00', '\uAC01', '🇫', '🇷', '🏽', '👍', '\u{E0020}',
];

describe('the character scan agrees with the segmenter', () => {
  it('on the corpora and the benchmark answer', () => {
    expectAgreement(corpusTexts());
    expect(scanCharacters(corpusTexts().at(-1)!)).toBeDefined();
  });

  it('at the edges: CR LF, a lone CR or LF, lone surrogates, empty text', () => {
    expectAgreement(['', '\r\n', '\r', '\n', '\n\r', '\r\r\n\n', 'a\r\nb', '\uD800', '\uDC00', '\uDC00\uD800', '😀\uD800', 'é\r\n']);
  });

  it('on random strings of standing and joining code points', () => {
    const texts = randomTexts(22, 4000, standing, 24);
    for (const text of texts) expect(scanCharacters(text), JSON.stringify(text)).toBe(countCharactersBySegmenter(text));
    expectAgreement(randomTexts(21, 4000, pieces, 16));
  });

  it('for every character of the Basic Multilingual Plane, alone and between letters', () => {
    for (let code = 0; code < 0x10000; code += 1) {
      const character = String.fromCharCode(code);
      for (const text of [character, `a${character}b`, `${character}${character}`]) {
        const scanned = scanCharacters(text);
        // (One expectation per disagreement only: 196,608 texts.)
        if (scanned !== undefined && scanned !== countCharactersBySegmenter(text)) expect(scanned, `U+${code.toString(16)} in ${JSON.stringify(text)}`).toBe(countCharactersBySegmenter(text));
      }
    }
  });

  it('for characters of the other planes', () => {
    for (let code = 0x10000; code < 0x110000; code += 127) {
      const character = String.fromCodePoint(code);
      expectAgreement([character, `a${character}b`, `${character}${character}`]);
    }
  });

  it('hands combining marks, emoji modifiers, flags and jamo to the segmenter', () => {
    for (const text of ['e\u0301', '👍🏽', '🇫🇷', '\u1100\u1161', 'क्ष']) expect(scanCharacters(text), text).toBeUndefined();
    expect(scanCharacters('naïve café — “quoted” 😀')).toBe(23);
  });
});
