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

/** What a text has that some detectors need before they look (tested once a text). */
interface TextTraits {
  readonly digit: boolean;
}

function detector(entity: PiiEntity, text: string, traits: TextTraits, options: PiiOptions): Iterable<{ start: number; end: number }> {
  switch (entity) {
    case 'email':
      return text.includes('@') ? findEmails(text) : [];
    case 'phone':
      return traits.digit ? findPhones(text) : [];
    case 'credit_card':
      return traits.digit ? findCreditCards(text) : [];
    case 'iban':
      return traits.digit ? findIbans(text) : [];
    case 'us_ssn':
      return traits.digit ? findSsns(text) : [];
    case 'ipv4':
      return text.includes('.') ? findIpv4(text) : [];
    case 'ipv6':
      return text.includes(':') ? findIpv6(text) : [];
    case 'secret':
      return findSecrets(text, options);
    default: {
      const unreachable: never = entity;
      throw new Error(`unknown PII entity ${String(unreachable)}`);
    }
  }
}

const rank = (span: PiiSpan): number => piiPriority.indexOf(span.entity);

export function findPii(text: string, options: PiiOptions): PiiSpan[] {
  const found: PiiSpan[] = [];
  const traits: TextTraits = { digit: hasDigit.test(text) };
  for (const entity of options.entities) {
    for (const { start, end } of detector(entity, text, traits, options)) found.push({ start, end, entity, label: piiLabels[entity] });
  }
  return found.length <= 1 ? found : resolveOverlaps(found, rank);
}
