/**
 * Contains any, all or none of a list of words. Matching is case-insensitive
 * by default and on whole words, with Unicode-aware boundaries: a word in a
 * script written without spaces (Chinese, Japanese, Thai...) matches anywhere.
 */
import type { TextSpan } from '../span.js';
import type { CheckOf } from './check-schemas.js';
import { spansBySegment, type CheckOutcome, type CheckSubject } from './check-types.js';

type ContainsCheck = CheckOf<'contains'>;

interface CompiledWords {
  readonly pattern: RegExp;
  /** Capture group n+1 is words[n]. */
  readonly words: readonly string[];
}

const compiled = new WeakMap<ContainsCheck, CompiledWords>();
const wordCharacter = /[\p{L}\p{N}\p{M}_]/u;
const spacelessScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const boundary = '[\\p{L}\\p{N}\\p{M}_]';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function needsBoundary(character: string | undefined): boolean {
  return character !== undefined && wordCharacter.test(character) && !spacelessScript.test(character);
}

function alternative(word: string, wholeWords: boolean): string {
  const characters = [...word];
  const before = wholeWords && needsBoundary(characters[0]) ? `(?<!${boundary})` : '';
  const after = wholeWords && needsBoundary(characters.at(-1)) ? `(?!${boundary})` : '';
  return `${before}(${escapeRegex(word)})${after}`;
}

function compile(check: ContainsCheck): CompiledWords {
  let entry = compiled.get(check);
  if (!entry) {
    // Longer words first, so "ice cream" wins over "ice".
    const words = [...new Set(check.words)].sort((a, b) => b.length - a.length);
    const pattern = new RegExp(words.map((word) => alternative(word, check.whole_words)).join('|'), check.case_sensitive ? 'gu' : 'giu');
    entry = { pattern, words };
    compiled.set(check, entry);
  }
  return entry;
}

interface WordMatch extends TextSpan {
  readonly word: string;
}

export function findWords(check: ContainsCheck, text: string): WordMatch[] {
  const { pattern, words } = compile(check);
  const found: WordMatch[] = [];
  for (const match of text.matchAll(pattern)) {
    const group = match.findIndex((value, index) => index > 0 && value !== undefined);
    found.push({ start: match.index, end: match.index + match[0].length, label: check.label, word: words[group - 1]! });
  }
  return found;
}

export function wordSpans(check: ContainsCheck, text: string): TextSpan[] {
  return findWords(check, text).map(({ start, end, label }) => ({ start, end, label }));
}

function quoted(words: readonly string[]): string {
  const shown = words.slice(0, 5).map((word) => `'${word}'`);
  return words.length > 5 ? `${shown.join(', ')} and ${words.length - 5} more` : shown.join(', ');
}

export function runContains(check: ContainsCheck, subject: CheckSubject): CheckOutcome {
  const present = new Set<string>();
  for (const text of subject.segments) for (const match of findWords(check, text)) present.add(match.word);
  const found = check.words.filter((word) => present.has(word));
  const missing = check.words.filter((word) => !present.has(word));
  switch (check.operator) {
    case 'any':
      return found.length > 0 ? { passed: true, explanation: `found ${quoted(found)}` } : { passed: false, explanation: `none of the words was found` };
    case 'all':
      return missing.length === 0 ? { passed: true, explanation: 'found every word' } : { passed: false, explanation: `missing ${quoted(missing)}` };
    case 'none':
      return found.length === 0
        ? { passed: true, explanation: 'none of the words was found' }
        : { passed: false, explanation: `found ${quoted(found)}`, spans: spansBySegment(subject, (text) => wordSpans(check, text)) };
    default: {
      const unreachable: never = check.operator;
      throw new Error(`unknown operator ${String(unreachable)}`);
    }
  }
}
