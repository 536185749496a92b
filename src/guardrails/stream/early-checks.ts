/**
 * Checks a stream can fail before it ends: a failure on the text so far is
 * final whatever follows. Banned words (contains/none), forbidden patterns
 * (regex with not: true, unless anchored to the end or using lookahead),
 * PII, and maximum word or character counts. They look only at settled text
 * (up to the last whitespace), so a word still being written ("ass" of
 * "assistant") is never judged early; everything is judged again at the end.
 */
import type { Check } from '../checks/check-schemas.js';
import type { CheckOutcome, CheckSubject } from '../checks/check-types.js';
import { runCheck, type CheckServices } from '../checks/run-check.js';
import { countUnits, describeBounds } from '../checks/text-counts.js';
import type { ResolvedGuardrail } from '../config-schema.js';

/** How far back each new window of settled text reaches, so a match across two windows is still found. */
export const windowOverlap = 256;

export interface EarlyCheck {
  readonly guardrail: ResolvedGuardrail;
  readonly check: Check;
  /** Looks at `text` up to `settledEnd`; answers a failure once it is certain. */
  feed(text: string, settledEnd: number): CheckOutcome | undefined;
}

const endSensitive = /\$|\(\?[=!]|\\B/;

function windowed(guardrail: ResolvedGuardrail, check: Check, subject: (text: string) => CheckSubject, services: CheckServices): EarlyCheck {
  let scannedTo = 0;
  return {
    guardrail,
    check,
    feed(text, settledEnd) {
      if (settledEnd <= scannedTo) return undefined;
      const window = text.slice(Math.max(0, scannedTo - windowOverlap), settledEnd);
      scannedTo = settledEnd;
      const outcome = runCheck(check, subject(window), services, guardrail.name);
      // Only offline checks get here, and they answer at once.
      if (outcome instanceof Promise || outcome.passed) return undefined;
      return { passed: false, explanation: outcome.explanation };
    },
  };
}

function counting(guardrail: ResolvedGuardrail, check: Extract<Check, { type: 'word_count' | 'character_count' }>, max: number): EarlyCheck {
  let countedTo = 0;
  let count = 0;
  const noun = check.type === 'word_count' ? 'words' : 'characters';
  return {
    guardrail,
    check,
    feed(text, settledEnd) {
      if (settledEnd <= countedTo) return undefined;
      // Settled text ends at whitespace, so no word or character straddles two increments.
      count += countUnits(check, text.slice(countedTo, settledEnd));
      countedTo = settledEnd;
      return count > max ? { passed: false, explanation: `${count} ${noun} so far; expected ${describeBounds(check)}` } : undefined;
    },
  };
}

export function earlyCheck(guardrail: ResolvedGuardrail, check: Check, subject: (text: string) => CheckSubject, services: CheckServices): EarlyCheck | undefined {
  switch (check.type) {
    case 'contains':
      return check.operator === 'none' ? windowed(guardrail, check, subject, services) : undefined;
    case 'regex':
      return check.not && !endSensitive.test(check.pattern) ? windowed(guardrail, check, subject, services) : undefined;
    case 'pii':
      return windowed(guardrail, check, subject, services);
    case 'word_count':
    case 'character_count':
      return check.max !== undefined && !check.not ? counting(guardrail, check, check.max) : undefined;
    default:
      return undefined;
  }
}
