/** Finds every configured PII entity in a text, as non-overlapping labelled spans. */
import { resolveOverlaps, type TextSpan } from '../span.js';
import { findEmails, findIpv4, findIpv6, findPhones, findSsns } from './contacts.js';
import { findCreditCards } from './credit-card.js';
import { piiEntities, piiLabels, piiPriority, type PiiEntity } from './entities.js';
import { nothingFound, type Found } from './found.js';
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

function detector(entity: PiiEntity, text: string, traits: TextTraits, options: PiiOptions): readonly Found[] {
  switch (entity) {
    case 'email':
      return text.includes('@') ? findEmails(text) : nothingFound;
    case 'phone':
      return traits.digit ? findPhones(text) : nothingFound;
    case 'credit_card':
      return traits.digit ? findCreditCards(text) : nothingFound;
    case 'iban':
      return traits.digit ? findIbans(text) : nothingFound;
    case 'us_ssn':
      return traits.digit ? findSsns(text) : nothingFound;
    case 'ipv4':
      return text.includes('.') ? findIpv4(text) : nothingFound;
    case 'ipv6':
      return text.includes(':') ? findIpv6(text) : nothingFound;
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
  // In the list's order, not the set's, and by index (no iterators to make for each text): the spans are sorted below either way.
  for (let index = 0; index < piiEntities.length; index += 1) {
    const entity = piiEntities[index]!;
    if (!options.entities.has(entity)) continue;
    const spans = detector(entity, text, traits, options);
    for (let position = 0; position < spans.length; position += 1) {
      const { start, end } = spans[position]!;
      found.push({ start, end, entity, label: piiLabels[entity] });
    }
  }
  return found.length <= 1 ? found : resolveOverlaps(found, rank);
}
