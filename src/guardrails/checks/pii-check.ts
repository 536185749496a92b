/** PII and secrets, offline: fails when any configured entity is found; the spans are what `redact` replaces. */
import { findPii, type PiiOptions } from '../pii/find-pii.js';
import { piiLabels, type PiiEntity } from '../pii/entities.js';
import type { TextSpan } from '../span.js';
import type { CheckOf } from './check-schemas.js';
import { plural, spansBySegment, type CheckOutcome, type CheckSubject } from './check-types.js';

type PiiCheck = CheckOf<'pii'>;

const options = new WeakMap<PiiCheck, PiiOptions>();

function optionsFor(check: PiiCheck): PiiOptions {
  let entry = options.get(check);
  if (!entry) {
    entry = { entities: new Set(check.entities), entropyThreshold: check.entropy_threshold };
    options.set(check, entry);
  }
  return entry;
}

export function piiSpans(check: PiiCheck, text: string): TextSpan[] {
  return findPii(text, optionsFor(check));
}

/** "2 email, 1 credit_card" from placeholder labels, in the order of the configured entity list. */
export function describeEntities(check: PiiCheck, labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const found = check.entities.filter((entity: PiiEntity) => counts.has(piiLabels[entity]));
  return found.map((entity) => `${counts.get(piiLabels[entity])} ${entity}`).join(', ');
}

export function runPii(check: PiiCheck, subject: CheckSubject): CheckOutcome {
  const found = spansBySegment(subject, (text) => findPii(text, optionsFor(check)));
  if (found.length === 0) return { passed: true, explanation: 'no PII found' };
  const labels = found.map((span) => span.label);
  return { passed: false, explanation: `found ${plural(found.length, 'PII item')}: ${describeEntities(check, labels)}`, spans: found };
}
