/**
 * Counting user-perceived characters (extended grapheme clusters, UAX #29)
 * without the segmenter, which costs about a microsecond a character.
 *
 * Every rule of UAX #29 that keeps two code points together involves a code
 * point of one of a few kinds: CR before LF, Hangul jamo and syllables, a
 * prepended mark, a combining mark or joiner (Extend, ZWJ, SpacingMark, which
 * the Indic-conjunct and emoji-sequence rules also need), or a regional
 * indicator. A text with none of them, apart from CR LF, has one cluster per
 * code point. Which code points are of those kinds is asked of the segmenter
 * itself, once per code point, so the scan follows the segmenter's Unicode
 * version. Tests keep the scan in agreement with the segmenter.
 */
import { cachedCodePointClass } from './code-point-cache.js';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Hangul choseong kiyeok (a leading consonant, L) and jongseong kiyeok (a trailing one, T). */
const leadingJamo = '\u1100';
const trailingJamo = '\u11A8';

function oneCluster(text: string): boolean {
  let count = 0;
  for (const _segment of graphemes.segment(text)) if (++count > 1) return false;
  return count === 1;
}

/** Whether the code point can join a neighbour in a cluster (other than CR LF); the probes overlap, to be safe. */
function joins(codePoint: number): boolean {
  const character = String.fromCodePoint(codePoint);
  return (
    oneCluster(`a${character}`) || // Extend, ZWJ, SpacingMark
    oneCluster(`${character}a`) || // Prepend
    oneCluster(`${leadingJamo}${character}`) || // L, V, LV, LVT
    oneCluster(`${character}${trailingJamo}`) || // V, T, LV, LVT
    oneCluster(`${character}${character}`) // L, V, T, regional indicators, and all of the above but LV and LVT
  );
}

const alone = 1;
const joining = 2;

const kindOf = cachedCodePointClass((codePoint) => (joins(codePoint) ? joining : alone));

const carriageReturn = 0x0d;
const lineFeed = 0x0a;

/** The number of grapheme clusters, or undefined when a code point may join another (the segmenter must count). */
export function scanCharacters(text: string): number | undefined {
  let count = 0;
  const length = text.length;
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      // ASCII code points stand alone, except CR LF, one cluster.
      if (code !== lineFeed || index === 0 || text.charCodeAt(index - 1) !== carriageReturn) count += 1;
      continue;
    }
    let codePoint = code;
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < length) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        index += 1;
      }
    }
    if (kindOf(codePoint) === joining) return undefined;
    count += 1;
  }
  return count;
}
