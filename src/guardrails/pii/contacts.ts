/** E-mail addresses, phone numbers, US social security numbers, and IPv4 / IPv6 addresses. */
import ipaddr from 'ipaddr.js';
import { nothingFound, type Found } from './found.js';
import { glue } from './glue.js';

/**
 * Every match of `pattern` that `accept` keeps, added to `found` (made on the first
 * one); after a rejected match the search goes on from its next character.
 */
function matches(pattern: RegExp, text: string, accept?: (match: RegExpExecArray) => boolean, found?: Found[]): Found[] | undefined {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (accept === undefined || accept(match)) (found ??= []).push({ start: match.index, end: match.index + match[0].length });
    else pattern.lastIndex = match.index + 1;
  }
  return found;
}

const email =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-]|\.[\p{L}\p{N}])/gu;

const emailAccepted = (match: RegExpExecArray): boolean => !match[0].includes('..');

export function findEmails(text: string): readonly Found[] {
  return matches(email, text, emailAccepted) ?? nothingFound;
}

/** +CC then 7-14 more digits in groups (spaces, dots, dashes, one bracketed area code). */
const internationalPhone = new RegExp(`(?<![${glue}+])\\+\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,5})){2,6}(?![${glue}]|[.-]\\d)`, 'gu');
/** North American numbers: (415) 555-0132, 415-555-0132, 415.555.0132, 1-415-555-0132. */
const northAmericanPhone = new RegExp(`(?<![${glue}+.-])(?:1[ .-])?(?:\\(([2-9]\\d{2})\\) ?|([2-9]\\d{2})([ .-]))[2-9]\\d{2}[ .-]\\d{4}(?![${glue}]|[.-]\\d)`, 'gu');
/** National numbers with a trunk 0: 020 7946 0958, 030-1234-5678, 06 12 34 56 78. */
/** (A run that goes on with more digit groups is a list of numbers, not a phone.) */
const nationalPhone = new RegExp(`(?<![${glue}+./-])0[1-9]\\d{0,3}(?:[ -]\\d{2,4}){2,4}(?![${glue}]|[./-]\\d| \\d)`, 'gu');

function digitCount(value: string): number {
  return value.replace(/\D/g, '').length;
}

function internationalAccepted(match: RegExpExecArray): boolean {
  const digits = digitCount(match[0]);
  return digits >= 8 && digits <= 15;
}

/** The separator after a bare area code must be the one used after the exchange too. */
function northAmericanAccepted(match: RegExpExecArray): boolean {
  const separator = match[3];
  return separator === undefined || match[0].slice(match[0].length - 5, match[0].length - 4) === separator;
}

function nationalAccepted(match: RegExpExecArray): boolean {
  const separators = new Set(match[0].match(/[ -]/g));
  const digits = digitCount(match[0]);
  return separators.size === 1 && digits >= 10 && digits <= 11;
}

export function findPhones(text: string): readonly Found[] {
  // An international number has a `+`, a national one its trunk `0`: a text without one is not searched for it.
  let found = text.includes('+') ? matches(internationalPhone, text, internationalAccepted) : undefined;
  found = matches(northAmericanPhone, text, northAmericanAccepted, found);
  return (text.includes('0') ? matches(nationalPhone, text, nationalAccepted, found) : found) ?? nothingFound;
}

/** Dashed or spaced, never area 000, 666 or 9xx, group 00 or serial 0000. */
const ssn = new RegExp(`(?<![${glue}./-])(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}(?![${glue}]|[./-]\\d)`, 'gu');

export function findSsns(text: string): readonly Found[] {
  return matches(ssn, text) ?? nothingFound;
}

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Four octets, not part of a longer dotted run (a version like 1.2.3.4.5). */
const ipv4 = new RegExp(`(?<![${glue}]|\\d\\.)(?:${octet}\\.){3}${octet}(?![${glue}]|\\.\\d)`, 'gu');

export function findIpv4(text: string): readonly Found[] {
  return matches(ipv4, text) ?? nothingFound;
}

/** Runs of hex digits, colons and dots with at least two colons, checked by a real address parser. */
export const ipv6Candidate = new RegExp(`(?<![${glue}:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![${glue}:])`, 'gu');
/** How many hex digits a candidate may have before its first colon. */
const longestLead = 4;

/** A hex digit, by character code. */
function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || ((code | 0x20) >= 97 && (code | 0x20) <= 102);
}

/**
 * The first colon at or after `from` that is followed by hex digits and another
 * colon, which every candidate holds (its first colon, and the next one), or -1.
 * Cheap to look for, so most texts never run the candidate expression, and the
 * others run it only from near here: a candidate starts at most four hex digits
 * before its first colon.
 */
function colonPair(text: string, from: number): number {
  for (let colon = text.indexOf(':', from); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let index = colon + 1;
    while (index < text.length && isHexDigit(text.charCodeAt(index))) index += 1;
    if (text[index] === ':') return colon;
  }
  return -1;
}

export function findIpv6(text: string): readonly Found[] {
  let found: Found[] | undefined;
  let position = 0;
  while (position < text.length) {
    const pair = colonPair(text, position);
    if (pair < 0) break;
    ipv6Candidate.lastIndex = Math.max(position, pair - longestLead);
    const match = ipv6Candidate.exec(text);
    if (!match) break;
    position = ipv6Candidate.lastIndex;
    let candidate = match[0].replace(/\.+$/, '');
    // A colon that ends a sentence ("at 2001:db8::1: then") is not part of the address.
    if (!ipaddr.IPv6.isValid(candidate) && /[^:]:$/.test(candidate)) candidate = candidate.slice(0, -1);
    // Times (12:30:45) and MAC addresses never parse as IPv6.
    if (!/[0-9A-Fa-f]/.test(candidate) || !ipaddr.IPv6.isValid(candidate)) continue;
    (found ??= []).push({ start: match.index, end: match.index + candidate.length });
  }
  return found ?? nothingFound;
}
