/** Finds every configured PII entity in a text, as non-overlapping labelled spans. */
import { resolveOverlaps, type TextSpan } from '../span.js';
import { findEmails, findIpv4, findIpv6, findPhones, findSsns } from './contacts.js';
import { findCreditCards } from './credit-card.js';
import { piiLabels, piiPriority, type PiiEntity } from './entities.js';
import { findIbans } from './iban.js';
import { findSecrets } from './secrets.js';

export interface PiiSpan extends TextSpan {
  readonly entity: PiiEntity;
}

export interface PiiOptions {
  readonly entities: ReadonlySet<PiiEntity>;
  readonly entropyThreshold: number;
}

const hasDigit = /\d/;

function detector(entity: PiiEntity, text: string, options: PiiOptions): Iterable<{ start: number; end: number }> {
  switch (entity) {
    case 'email':
      return text.includes('@') ? findEmails(text) : [];
    case 'phone':
      return hasDigit.test(text) ? findPhones(text) : [];
    case 'credit_card':
      return hasDigit.test(text) ? findCreditCards(text) : [];
    case 'iban':
      return hasDigit.test(text) ? findIbans(text) : [];
    case 'us_ssn':
      return hasDigit.test(text) ? findSsns(text) : [];
    case 'ipv4':
      return text.includes('.') ? findIpv4(text) : [];
    case 'ipv6':
      return text.includes(':') ? findIpv6(text) : [];
    case 'secret':
      return findSecrets(text, { entropyThreshold: options.entropyThreshold });
    default: {
      const unreachable: never = entity;
      throw new Error(`unknown PII entity ${String(unreachable)}`);
    }
  }
}

const rank = (span: PiiSpan): number => piiPriority.indexOf(span.entity);

export function findPii(text: string, options: PiiOptions): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const entity of options.entities) {
    for (const { start, end } of detector(entity, text, options)) found.push({ start, end, entity, label: piiLabels[entity] });
  }
  return found.length <= 1 ? found : resolveOverlaps(found, rank);
}
