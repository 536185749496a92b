/** IBANs: a country's exact length and the ISO 13616 mod-97 check, written compact or in groups of four. */
import { nothingFound, type Found } from './found.js';
import { glue } from './glue.js';

/** IBAN lengths by country (the SWIFT IBAN registry). */
const ibanLengths: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25,
  SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** The ISO 7064 mod-97-10 check over the rearranged IBAN (letters as 10..35). */
export function ibanChecksumValid(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

const startPattern = new RegExp(`(?<![${glue}])([A-Z]{2})(\\d{2})`, 'gu');
const alphanumeric = /[A-Za-z0-9]/;

export function findIbans(text: string): readonly Found[] {
  let found: Found[] | undefined;
  startPattern.lastIndex = 0;
  for (let match = startPattern.exec(text); match; match = startPattern.exec(text)) {
    const length = ibanLengths[match[1]!];
    if (length === undefined) continue;
    // Read the next characters, letting single spaces separate groups, until the country's length is reached.
    let compact = '';
    let position = match.index;
    while (position < text.length && compact.length < length) {
      const character = text[position]!;
      if (alphanumeric.test(character)) {
        compact += character.toUpperCase();
        position += 1;
      } else if (character === ' ' && compact.length > 0 && compact.length % 4 === 0 && alphanumeric.test(text[position + 1] ?? '')) {
        position += 1;
      } else {
        break;
      }
    }
    if (compact.length !== length || alphanumeric.test(text[position] ?? '')) continue;
    if (!ibanChecksumValid(compact)) continue;
    (found ??= []).push({ start: match.index, end: position });
    startPattern.lastIndex = position;
  }
  return found ?? nothingFound;
}
