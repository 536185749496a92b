/**
 * Valid URLs only, decided offline: each http(s) URL in the text must parse
 * (WHATWG URL), and its host must be an IP address or a domain name whose
 * labels and top-level domain are well formed. No request is made.
 */
import ipaddr from 'ipaddr.js';
import type { CheckOf } from './check-schemas.js';
import { joinedText, plural, type CheckOutcome, type CheckSubject } from './check-types.js';

const urlCandidate = /\b(?:https?:\/\/|www\.)[^\s<>"'`{}|\\^]+/gi;
const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const topLevelDomain = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Trailing punctuation belongs to the sentence, and a closing bracket only when it has no opening one. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1);
    if (last !== undefined && '.,;:!?\'"'.includes(last)) url = url.slice(0, -1);
    else if ((last === ')' && !url.includes('(')) || (last === ']' && !url.includes('['))) url = url.slice(0, -1);
    else return url;
  }
}

export function findUrls(text: string): string[] {
  return [...text.matchAll(urlCandidate)].map((match) => trimUrl(match[0]));
}

export function urlHost(candidate: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//i.test(candidate) ? candidate : `http://${candidate}`);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname;
  if (host.startsWith('[')) return ipaddr.IPv6.isValid(host.slice(1, -1)) ? host : undefined;
  // The parser rewrites short or hex IPv4 forms (1.2.3 → 1.2.0.3); only the canonical dotted quad counts.
  if (/^[\d.]+$/.test(host)) return ipaddr.IPv4.isValidFourPartDecimal(host) && candidate.includes(host) ? host : undefined;
  const labels = host.split('.');
  if (host.length > 253 || labels.length < 2 || !labels.every((part) => label.test(part)) || !topLevelDomain.test(labels.at(-1)!)) return undefined;
  return host;
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const wanted = entry.toLowerCase().replace(/^\*?\./, '');
    return host === wanted || host.endsWith(`.${wanted}`);
  });
}

export function runValidUrls(check: CheckOf<'valid_urls'>, subject: CheckSubject): CheckOutcome {
  const urls = findUrls(joinedText(subject));
  if (urls.length === 0) return check.require_urls ? { passed: false, explanation: 'the text has no URL' } : { passed: true, explanation: 'the text has no URL' };
  const invalid = urls.filter((url) => urlHost(url) === undefined);
  if (invalid.length > 0) return { passed: false, explanation: `${plural(invalid.length, 'URL')} of ${urls.length} not valid` };
  if (check.allowed_hosts) {
    const outside = urls.filter((url) => !hostAllowed(urlHost(url)!, check.allowed_hosts!));
    if (outside.length > 0) return { passed: false, explanation: `${plural(outside.length, 'URL')} of ${urls.length} outside the allowed hosts` };
  }
  return { passed: true, explanation: `${plural(urls.length, 'URL')}, all valid` };
}
