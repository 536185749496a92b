/** Case rules (all upper / all lower) and the text's ending. */
import type { CheckOf } from './check-schemas.js';
import { joinedText, type CheckOutcome, type CheckSubject } from './check-types.js';

const lowerCase = /\p{Ll}/u;
const upperCase = /[\p{Lu}\p{Lt}]/u;

export function runLetterCase(check: CheckOf<'letter_case'>, subject: CheckSubject): CheckOutcome {
  const text = joinedText(subject);
  const holds = check.case === 'upper' ? !lowerCase.test(text) : !upperCase.test(text);
  const rule = check.case === 'upper' ? 'upper case' : 'lower case';
  return { passed: check.not ? !holds : holds, explanation: holds ? `every letter is ${rule}` : `not every letter is ${rule}` };
}

export function runEndsWith(check: CheckOf<'ends_with'>, subject: CheckSubject): CheckOutcome {
  const text = joinedText(subject).trimEnd();
  // A final full stop after the suffix still counts ("... Thank you.").
  const holds = text.endsWith(check.suffix) || text.endsWith(`${check.suffix}.`);
  return { passed: check.not ? !holds : holds, explanation: holds ? `the text ends with '${check.suffix}'` : `the text does not end with '${check.suffix}'` };
}
