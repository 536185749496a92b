/** Regex match (the text must match) or not-match (it must not; its matches can be redacted). */
import type { TextSpan } from '../span.js';
import type { CheckOf } from './check-schemas.js';
import { plural, spansBySegment, type CheckOutcome, type CheckSubject } from './check-types.js';

type RegexCheck = CheckOf<'regex'>;

const compiled = new WeakMap<RegexCheck, RegExp>();

export function compileRegex(check: RegexCheck): RegExp {
  let pattern = compiled.get(check);
  if (!pattern) {
    pattern = new RegExp(check.pattern, `${check.flags}g`);
    compiled.set(check, pattern);
  }
  return pattern;
}

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

export function runRegex(check: RegexCheck, subject: CheckSubject): CheckOutcome {
  const count = subject.segments.reduce((total, text) => total + allMatches(check, text).length, 0);
  const passed = check.not ? count === 0 : count > 0;
  const explanation = count > 0 ? `the text matches ${describePattern(check)} (${plural(count, 'match', 'matches')})` : `the text does not match ${describePattern(check)}`;
  if (!check.not) return { passed, explanation };
  return { passed, explanation, spans: spansBySegment(subject, (text) => regexSpans(check, text)) };
}
