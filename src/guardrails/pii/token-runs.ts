/**
 * One pass over a text for the secret search, finding two kinds of runs:
 *
 * - tokens: unbroken base64 / base64url-like runs of 24 or more characters,
 *   with up to two `=` of padding (a `=` only as padding, so `NAME=value`
 *   splits at it), exactly the matches of `tokenPattern`, whose lookbehind,
 *   tried at every position, cost more than the rest of the secret search;
 * - windows: runs of `[A-Za-z0-9_.-]` of 15 or more characters, the only
 *   places where a known token format (`sk-…`, `AKIA…`, JWTs) can match,
 *   so their expressions need not read the rest of the text.
 *
 * Tests keep the scan in agreement with the expressions.
 */

/** The reference for the tokens `scanTokenRuns` finds. */
export const tokenPattern = /(?<![A-Za-z0-9+/_.-])[A-Za-z0-9+/_-]{24,}={0,2}(?![A-Za-z0-9+/_=-])/g;

/** No known token format (all made of `[A-Za-z0-9_.-]`) is shorter than this. */
export const shortestFormat = 15;

const shortestToken = 24;
const longestPadding = 2;
const equalsSign = 0x3d;
const fullStop = 0x2e;

/** Bit flags by character code: `[A-Za-z0-9+/_-]` (token) and `[A-Za-z0-9_.-]` (format). */
const token = 1;
const format = 2;
const classes = new Uint8Array(128);
for (const character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-') classes[character.charCodeAt(0)] = token | format;
classes['+'.charCodeAt(0)] = token;
classes['/'.charCodeAt(0)] = token;
classes['.'.charCodeAt(0)] = format;

export interface Run {
  readonly start: number;
  readonly end: number;
}

export interface TokenRuns {
  readonly tokens: readonly Run[];
  readonly windows: readonly Run[];
}

function classAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? classes[code]! : 0;
}

/** The token that a run of token characters `[start, end)` makes, if any (with its padding). */
function tokenOf(text: string, start: number, end: number): Run | undefined {
  if (end - start < shortestToken || (start > 0 && text.charCodeAt(start - 1) === fullStop)) return undefined;
  let padded = end;
  while (padded < text.length && text.charCodeAt(padded) === equalsSign) padded += 1;
  if (padded - end > longestPadding || (padded < text.length && classAt(text, padded) & token)) return undefined;
  return { start, end: padded };
}

/** Tokens and windows inside `[from, to)`, a run of token or format characters. */
function scanSpan(text: string, from: number, to: number, tokens: Run[], windows: Run[]): void {
  let tokenStart = -1;
  let formatStart = -1;
  for (let index = from; index <= to; index += 1) {
    const flags = index < to ? classAt(text, index) : 0;
    if (flags & token) {
      if (tokenStart < 0) tokenStart = index;
    } else if (tokenStart >= 0) {
      const found = tokenOf(text, tokenStart, index);
      if (found) tokens.push(found);
      tokenStart = -1;
    }
    if (flags & format) {
      if (formatStart < 0) formatStart = index;
    } else if (formatStart >= 0) {
      if (index - formatStart >= shortestFormat) windows.push({ start: formatStart, end: index });
      formatStart = -1;
    }
  }
}

/**
 * Tokens and windows: both lie in runs of 15 or more token or format characters,
 * and every such run holds one of the positions probed, 15 apart (counted on from
 * the end of the last run read), so only the runs around the probes are read; the
 * words of prose are mostly stepped over.
 */
export function scanTokenRuns(text: string): TokenRuns {
  const tokens: Run[] = [];
  const windows: Run[] = [];
  const length = text.length;
  let probe = shortestFormat - 1;
  while (probe < length) {
    if (classAt(text, probe) === 0) {
      probe += shortestFormat;
      continue;
    }
    // The whole run the probe landed in (it cannot reach back into the run read before: a non-run character ended that one).
    let start = probe;
    while (start > 0 && classAt(text, start - 1) !== 0) start -= 1;
    let end = probe + 1;
    while (end < length && classAt(text, end) !== 0) end += 1;
    // Shorter runs (most words) hold neither a token nor a window.
    if (end - start >= shortestFormat) scanSpan(text, start, end, tokens, windows);
    probe = end + shortestFormat;
  }
  return { tokens, windows };
}
