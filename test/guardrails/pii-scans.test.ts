/**
 * The cheap scans in front of the PII expressions find exactly what the
 * expressions alone found: the token scan, the known-format windows, the
 * assignment test and the IPv6 colon pairs.
 */
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { findIpv6, ipv6Candidate } from '../../src/guardrails/pii/contacts.js';
import { assignment, findKnownFormats, mayHaveAssignment } from '../../src/guardrails/pii/secrets.js';
import { scanTokenRuns, shortestFormat, tokenPattern } from '../../src/guardrails/pii/token-runs.js';
import { corpusTexts, randomTexts } from './texts.js';

const spanKeys = (spans: Iterable<{ start: number; end: number }>): string[] => [...spans].map((span) => `${span.start}-${span.end}`);

function tokenMatches(text: string): string[] {
  return [...text.matchAll(new RegExp(tokenPattern.source, tokenPattern.flags))].map((match) => `${match.index}-${match.index + match[0].length}`);
}

/** What `findIpv6` found before the colon pairs: the candidate expression run over the whole text. */
function* referenceIpv6(text: string): Generator<{ start: number; end: number }> {
  const pattern = new RegExp(ipv6Candidate.source, ipv6Candidate.flags);
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    let candidate = match[0].replace(/\.+$/, '');
    if (!ipaddr.IPv6.isValid(candidate) && /[^:]:$/.test(candidate)) candidate = candidate.slice(0, -1);
    if (!/[0-9A-Fa-f]/.test(candidate) || !ipaddr.IPv6.isValid(candidate)) continue;
    yield { start: match.index, end: match.index + candidate.length };
  }
}

function assigns(text: string): boolean {
  return new RegExp(assignment.source, assignment.flags).test(text);
}

const secretPieces = [
  ...'aB3Z9x+/_-.=,:;"\' \t\n',
  '\u00A0',
  '\u2028',
  'é',
  '😀',
  'sk-',
  'sk-proj-',
  'AKIA',
  'ghp_',
  'github_pat_',
  'glpat-',
  'xoxb-',
  'AIza',
  'sk_live_',
  'hf_',
  'npm_',
  'SG.',
  'eyJ',
  'base64,',
  'api_key',
  'API-KEY',
  'Password',
  'passwd',
  'pwd',
  'token',
  'secret',
  'client_secret',
  '=>',
];
const runPieces = ['aB3Z9', 'Xy7Kq2Lm', '0123456789abcdef', ...secretPieces];
const ipv6Pieces = [...'0123456789abcdefABCDEFxyz:.:: _-/\n', '::', '2001:db8', 'fe80::1', '::ffff:', '192.0.2.1', 'é', 'ж', 'Ω', '中', '😀', '\uD83D'];

const corpus = corpusTexts();
const randomSecrets = [...randomTexts(11, 3000, secretPieces, 40), ...randomTexts(12, 3000, runPieces, 30)];
const randomAddresses = randomTexts(13, 5000, ipv6Pieces, 30);

describe('the token scan', () => {
  it('finds the tokens the token expression matches', () => {
    for (const text of [...corpus, ...randomSecrets]) expect(spanKeys(scanTokenRuns(text).tokens), JSON.stringify(text)).toEqual(tokenMatches(text));
  });

  it('at the edges: 23 and 24 characters, padding, a full stop or a token character before or after', () => {
    const token = 'aZ3kP9qL2mX7vB4nR8tY1wE6';
    for (const text of [token, token.slice(1), `${token}=`, `${token}==`, `${token}===`, `${token}=a`, `.${token}`, `-${token}`, `${token}.`, `x=${token}`, `${token}==${token}`, `${token}===${token}`, `é${token}é`]) {
      expect(spanKeys(scanTokenRuns(text).tokens), text).toEqual(tokenMatches(text));
    }
  });

  it('finds exactly the windows (runs of 15 or more format characters) and tokens, however the runs fall between the probes', () => {
    const windowPattern = /[A-Za-z0-9_.-]{15,}/g;
    const runLengths = Array.from({ length: 40 }, (_, length) => 'a'.repeat(length));
    const texts = [...corpus, ...randomSecrets, ...randomTexts(14, 3000, [...runPieces, ...runLengths], 12)];
    for (const text of texts) {
      const { tokens, windows } = scanTokenRuns(text);
      expect(spanKeys(windows), JSON.stringify(text)).toEqual(spanKeys([...text.matchAll(windowPattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }))));
      expect(spanKeys(tokens), JSON.stringify(text)).toEqual(tokenMatches(text));
    }
  });

  it('windows hold every known-format token: reading only them finds what reading the whole text finds', () => {
    for (const text of [...corpus, ...randomSecrets]) {
      const { windows } = scanTokenRuns(text);
      for (const window of windows) expect(window.end - window.start).toBeGreaterThanOrEqual(shortestFormat);
      expect(spanKeys(findKnownFormats(text, windows)), JSON.stringify(text)).toEqual(spanKeys(findKnownFormats(text, [{ start: 0, end: text.length }])));
    }
  });
});

describe('the assignment test', () => {
  it('holds for every text the assignment expression matches', () => {
    let matched = 0;
    for (const text of [...corpus, ...randomSecrets]) {
      if (!assigns(text)) continue;
      matched += 1;
      expect(mayHaveAssignment(text), JSON.stringify(text)).toBe(true);
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('on names in any case, quoted, with spaces and arrows before the value', () => {
    for (const text of ['API_KEY = "Xq7mK2pL9vZ"', 'Password\t:\u00A0Xq7mK2pL9vZ', "'token' => Xq7mK2pL9vZ", 'client-secret:Xq7mK2pL9vZ', 'PWD\n=\nXq7mK2pL9vZ']) {
      expect(assigns(text), text).toBe(true);
      expect(mayHaveAssignment(text), text).toBe(true);
    }
  });

  it('is false for ordinary prose with colons (so the expression is not run)', () => {
    expect(mayHaveAssignment('**Date:** October 31st. Purpose: fun. a=b')).toBe(false);
  });
});

describe('the IPv6 colon pairs', () => {
  it('find the addresses the candidate expression finds alone', () => {
    for (const text of [...corpus, ...randomAddresses]) expect(spanKeys(findIpv6(text)), JSON.stringify(text)).toEqual(spanKeys(referenceIpv6(text)));
  });

  it('at the edges: up to four hex digits before the first colon, glue and emoji around, one address after another', () => {
    for (const text of ['2001:db8::1', 'abcd2001:db8::1', 'x2001:db8::1', '😀2001:db8::1😀', '中fe80::1中', 'at 2001:db8::1: then', '::1 and ::2', '1:2:3:4:5:6:7:8', '12:30:45 2001:db8::1', 'a:b::c']) {
      expect(spanKeys(findIpv6(text)), text).toEqual(spanKeys(referenceIpv6(text)));
    }
  });
});
