/** Word, sentence and character counts within bounds (or, with `not`, outside them). */
import { countCharacters, countSentences, countWords } from '../text-units.js';
import type { CheckOf } from './check-schemas.js';
import { joinedText, plural, type CheckOutcome, type CheckSubject } from './check-types.js';

type CountCheck = CheckOf<'word_count'> | CheckOf<'sentence_count'> | CheckOf<'character_count'>;

const units = {
  word_count: { count: countWords, noun: 'word' },
  sentence_count: { count: countSentences, noun: 'sentence' },
  character_count: { count: countCharacters, noun: 'character' },
} as const;

export function describeBounds(check: { min?: number; max?: number }): string {
  if (check.min !== undefined && check.max !== undefined) return check.min === check.max ? `exactly ${check.min}` : `between ${check.min} and ${check.max}`;
  if (check.min !== undefined) return `at least ${check.min}`;
  return `at most ${check.max}`;
}

export function withinBounds(count: number, check: { min?: number; max?: number }): boolean {
  return (check.min === undefined || count >= check.min) && (check.max === undefined || count <= check.max);
}

export function countUnits(check: CountCheck, text: string): number {
  return units[check.type].count(text);
}

export function runCount(check: CountCheck, subject: CheckSubject): CheckOutcome {
  const count = countUnits(check, joinedText(subject));
  const inside = withinBounds(count, check);
  const passed = check.not ? !inside : inside;
  const expected = `${check.not ? 'outside ' : ''}${describeBounds(check)}`;
  return { passed, explanation: `${plural(count, units[check.type].noun)}; expected ${expected}` };
}
