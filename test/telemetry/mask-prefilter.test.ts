/**
 * The masker's prefilter skips the known formats' passes on a string that
 * holds none of their literals. Its output must be exactly what running every
 * pass gives: checked here against the reference (every pass, every string)
 * over samples of every secret kind and thousands of generated near-misses.
 */
import { describe, expect, it } from 'vitest';
import { createSecretMasker, knownSecretLiterals, knownSecretLiteralsAnyCase, knownSecretPatterns } from '../../src/telemetry/record/mask-secrets.js';
import { createReferenceMasker, randomSecretText, seededRandom } from './masking-reference.js';

const env = { OPENAI_API_KEY: 'sk-live-from-env-0123456789', SWITCHYARD_ADMIN_TOKEN: 'admin+token.xyz', DB_PASSWORD: 'Bearer-lookalike-pw', SHORT_KEY: 'short', HOME: '/root' };
const patterns = ['sy-[a-z0-9]{8}'];

/** At least one sample of each known format, in the order of `knownSecretPatterns`. */
const samplesByFormat: readonly (readonly string[])[] = [
  ['-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', 'x -----BEGIN EC PRIVATE KEY-----abc-----END EC PRIVATE KEY----- y'],
  ['sk-abcdefghijklmnopqrstu', 'use sk-proj-abcdefghijklmnopqrstuvwxyz1234 now', 'sk-ant-api03-abcdefghijklmnopqrstuv-WXYZ', 'sk-svcacct-0123456789abcdef0123', 'sk-admin-ABCDEFGHIJKLMNOPQRST'],
  ['AKIAABCDEFGHIJKLMNOP', 'id ASIA0123456789ABCDEF.'],
  ['AIzaSyA-1234567890abcdefghijklmnopqrstu'],
  ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'token gho_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123 end', 'ghs_012345678901234567890123456789'],
  ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop'],
  ['xoxb-1234567890-abcdef', 'xoxp-ABCDEFGHIJ'],
  ['rk_live_0123456789abcdefGH', 'sk_test_ABCDEFGHIJKLMNOP12'],
  ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36P'],
  ['Authorization: Bearer abcdefghijklmnop.qrs', 'basic dXNlcjpwYXNzd29yZA==', 'BEARER ABCDEFGHIJKL0123'],
];

const ordinaryTexts = [
  '',
  'Explain what an AI gateway does, in three sentences. My email is jane@example.com.',
  'A basic question with a bearer of bad news — and nothing secret 😀',
  'sk- alone, AKIA short, eyJ.eyJ., ghp_short, xoxb-short, -----BEGIN nothing',
  'other cases of the literals: SK-ABCDEFGHIJKLMNOPQRSTU akiaABCDEFGHIJKLMNOP EYJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwp bEaReR abcdefghijklmnop',
  'key SK-LIVE-FROM-ENV-0123456789 in capitals',
  'key sk-live-from-env-0123456789 and admin+token.xyz and /root and short',
  'virtual key sy-ab12cd34 and Bearer-lookalike-pw',
  'lone \ud800 surrogate and \u0001 control',
];

describe('the masking prefilter', () => {
  it('has samples of every known format, and every sample’s match holds a prefilter literal', () => {
    expect(samplesByFormat).toHaveLength(knownSecretPatterns.length);
    const exact = new RegExp(knownSecretLiterals);
    const anyCase = new RegExp(knownSecretLiteralsAnyCase, 'i');
    const literals = { test: (text: string): boolean => exact.test(text) || anyCase.test(text) };
    knownSecretPatterns.forEach((pattern, index) => {
      for (const sample of samplesByFormat[index]!) {
        const matches = sample.match(new RegExp(pattern.source, pattern.flags)) ?? [];
        expect(matches.length, `${pattern} should match ${JSON.stringify(sample)}`).toBeGreaterThan(0);
        for (const match of matches) expect(literals.test(match), `${JSON.stringify(match)} holds no literal`).toBe(true);
      }
    });
  });

  for (const [name, options] of [['with environment secrets and extra patterns', { env, patterns }], ['with neither', {}]] as const) {
    it(`masks exactly as every pass does, ${name}`, () => {
      const masker = createSecretMasker(options);
      const reference = createReferenceMasker(options);
      const texts = [...samplesByFormat.flat(), ...ordinaryTexts, samplesByFormat.flat().join(' '), samplesByFormat.flat().join('')];
      for (const text of texts) expect(masker.text(text), JSON.stringify(text)).toBe(reference.text(text));
      const random = seededRandom(42);
      for (let index = 0; index < 5000; index += 1) {
        const text = randomSecretText(random);
        expect(masker.text(text), JSON.stringify(text)).toBe(reference.text(text));
      }
    });
  }

  it('masks every sample (the samples are secrets, not near-misses)', () => {
    const masker = createSecretMasker({ env, patterns });
    for (const sample of samplesByFormat.flat()) expect(masker.text(sample)).toContain('[REDACTED');
  });

  it('remembers which keys are secret, with the same answers past its memo limit', () => {
    const masker = createSecretMasker();
    const keys = Array.from({ length: 3000 }, (_, index) => (index % 3 === 0 ? `key_${index}_api_key` : `field_${index}`));
    for (let round = 0; round < 2; round += 1) {
      for (const [index, key] of keys.entries()) expect(masker.isSecretKey(key)).toBe(index % 3 === 0);
    }
    expect(['Authorization', 'x-api-key', 'client_secret', 'max_tokens', 'prompt_tokens'].map((key) => masker.isSecretKey(key))).toEqual([true, true, true, false, false]);
  });
});
