/** Payment card numbers: 13 to 19 digits, a known issuer prefix and length, and a valid Luhn check digit. */
import { nothingFound, type Found } from './found.js';
import { glue } from './glue.js';

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

interface Issuer {
  readonly name: string;
  /** Inclusive ranges over the first `digits` digits. */
  readonly ranges: readonly (readonly [number, number, number])[];
  readonly lengths: readonly number[];
}

const sixteenToNineteen = [16, 17, 18, 19];

const issuers: readonly Issuer[] = [
  { name: 'visa', ranges: [[1, 4, 4]], lengths: [13, 16, 19] },
  { name: 'mastercard', ranges: [[2, 51, 55], [4, 2221, 2720]], lengths: [16] },
  { name: 'amex', ranges: [[2, 34, 34], [2, 37, 37]], lengths: [15] },
  { name: 'discover', ranges: [[4, 6011, 6011], [3, 644, 649], [2, 65, 65]], lengths: sixteenToNineteen },
  { name: 'jcb', ranges: [[4, 3528, 3589]], lengths: sixteenToNineteen },
  { name: 'diners', ranges: [[3, 300, 305], [4, 3095, 3095], [2, 36, 36], [2, 38, 39]], lengths: [14, 15, 16, 17, 18, 19] },
  { name: 'unionpay', ranges: [[2, 62, 62]], lengths: sixteenToNineteen },
  { name: 'mir', ranges: [[4, 2200, 2204]], lengths: sixteenToNineteen },
];

export function cardIssuer(digits: string): string | undefined {
  for (const issuer of issuers) {
    if (!issuer.lengths.includes(digits.length)) continue;
    for (const [length, low, high] of issuer.ranges) {
      const prefix = Number(digits.slice(0, length));
      if (prefix >= low && prefix <= high) return issuer.name;
    }
  }
  return undefined;
}

/** Digit runs with optional single spaces or dashes between them. */
const candidatePattern = new RegExp(`(?<![${glue}.,-])\\d(?:[ -]?\\d){12,18}(?![${glue}]|[.,-]\\d)`, 'gu');

export function findCreditCards(text: string): readonly Found[] {
  let found: Found[] | undefined;
  candidatePattern.lastIndex = 0;
  for (let match = candidatePattern.exec(text); match; match = candidatePattern.exec(text)) {
    const raw = match[0];
    // A rejected candidate may hide a card that starts inside it ("ref 12 4111 1111 1111 1111").
    candidatePattern.lastIndex = match.index + 1;
    const separators = raw.match(/[ -]/g);
    // Mixed separators ("4111-1111 1111") or a separator inside a group of 1-2 digits are not how cards are written.
    if (separators && new Set(separators).size > 1) continue;
    if (separators && raw.split(/[ -]/).some((group) => group.length < 3)) continue;
    const digits = raw.replace(/[ -]/g, '');
    if (!passesLuhn(digits) || cardIssuer(digits) === undefined) continue;
    (found ??= []).push({ start: match.index, end: match.index + raw.length });
    candidatePattern.lastIndex = match.index + raw.length;
  }
  return found ?? nothingFound;
}
