/** Regex match (the text must match) or not-match (it must not; its matches can be redacted). */
import type { TextSpan } from '../span.js';
import type { CheckOf } from './check-schemas.js';
import { plural, spansBySegment, type CheckOutcome, type CheckSubject, type SegmentSpan } from './check-types.js';

type RegexCheck = CheckOf<'regex'>;

interface Compiled {
  readonly pattern: RegExp;
  /** The explanation when nothing matches. */
  readonly noMatch: string;
}

const compiled = new WeakMap<RegexCheck, Compiled>();

function compiledFor(check: RegexCheck): Compiled {
  let entry = compiled.get(check);
  if (!entry) {
    entry = { pattern: new RegExp(check.pattern, `${check.flags}g`), noMatch: `the text does not match ${describePattern(check)}` };
    compiled.set(check, entry);
  }
  return entry;
}

export function compileRegex(check: RegexCheck): RegExp {
  return compiledFor(check).pattern;
}

/** What a check without matches answers, with no spans to redact. */
const noSpans: readonly SegmentSpan[] = Object.freeze([]);

/** Every match, empty ones included (a pattern like `^$` matches without covering text). */
function allMatches(check: RegexCheck, text: string): RegExpExecArray[] {
  return [...text.matchAll(compileRegex(check))];
}

export function regexSpans(check: RegexCheck, text: string): TextSpan[] {
  return allMatches(check, text)
    .filter((match) => match[0].length > 0)
    .map((match) => ({ start: match.index, end: match.index + match[0].length, label: check.label }));
}

export function describePattern(check: RegexCheck): string {
  return `/${check.pattern}/${check.flags}`;
}

/** How many matches `allMatches` would list, without listing them. */
function countMatches(check: RegexCheck, text: string): number {
  const pattern = compileRegex(check);
  pattern.lastIndex = 0;
  let count = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    count += 1;
    // An empty match moves on by one character (a whole code point with `u`), as `matchAll` does.
    if (match[0].length === 0) pattern.lastIndex = nextIndex(text, pattern.lastIndex, pattern.unicode);
  }
  pattern.lastIndex = 0;
  return count;
}

function nextIndex(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1;
  const high = text.charCodeAt(index);
  if (high < 0xd800 || high > 0xdbff) return index + 1;
  const low = text.charCodeAt(index + 1);
  return low >= 0xdc00 && low <= 0xdfff ? index + 2 : index + 1;
}

export function runRegex(check: RegexCheck, subject: CheckSubject): CheckOutcome {
  let count = 0;
  for (const text of subject.segments) count += countMatches(check, text);
  const passed = check.not ? count === 0 : count > 0;
  const explanation = count > 0 ? `the text matches ${describePattern(check)} (${plural(count, 'match', 'matches')})` : compiledFor(check).noMatch;
  if (!check.not) return { passed, explanation };
  // No match, nothing to redact: the texts need not be read again.
  return { passed, explanation, spans: count === 0 ? noSpans : spansBySegment(subject, (text) => regexSpans(check, text)) };
}
