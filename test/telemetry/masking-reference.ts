/**
 * The masking and inline-data removal as they were before the fast paths:
 * every pattern one pass, in order, on every string, and bodies copied twice
 * (inline data out, then secrets masked). Tests compare the fast paths to
 * these, over the same pattern lists, and expect exactly the same output.
 */
import { knownSecretPatterns, maskValue, secretKeyPattern } from '../../src/telemetry/record/mask-secrets.js';

const secretEnvPattern = /(?:KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)$/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ReferenceMasker {
  text(value: string): string;
  json(value: unknown): unknown;
}

export function createReferenceMasker(options: { patterns?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): ReferenceMasker {
  const patterns = [...knownSecretPatterns.map((pattern) => new RegExp(pattern.source, pattern.flags)), ...(options.patterns ?? []).map((source) => new RegExp(source, 'g'))];
  const envSecrets = Object.entries(options.env ?? {})
    .filter(([name, value]) => secretEnvPattern.test(name) && typeof value === 'string' && value.length >= 8)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
  if (envSecrets.length > 0) patterns.unshift(new RegExp(envSecrets.map(escapeRegExp).join('|'), 'g'));

  function text(value: string): string {
    let masked = value;
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      masked = masked.replace(pattern, (match) => maskValue(match));
    }
    return masked;
  }

  function json(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return key !== undefined && secretKeyPattern.test(key) ? maskValue(value) : text(value);
    if (Array.isArray(value)) return value.map((item) => json(item));
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) {
        copy[name] = secretKeyPattern.test(name) && item !== null && typeof item === 'object' ? '[REDACTED]' : json(item, name);
      }
      return copy;
    }
    return value;
  }

  return { text, json: (value) => json(value) };
}

const dataUrlPattern = /^data:([^;,]+)?(;base64)?,/;

export function referenceWithoutInlineData(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    const dataUrl = dataUrlPattern.exec(value);
    if (dataUrl) return `data:${dataUrl[1] ?? ''}[${value.length - dataUrl[0].length} characters]`;
    if ((key === 'data' || key === 'file_data') && value.length > 256) return `[${value.length} characters]`;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => referenceWithoutInlineData(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, referenceWithoutInlineData(item, name)]));
  }
  return value;
}

export { seededRandom } from '../helpers/seeded-random.js';

/** Pieces that start, end or nearly make every kind of secret, and ordinary text around them. */
export const secretFragments = [
  'sk-', 'SK-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-ant-api03-', 'AKIA', 'ASIA', 'akia', 'AIza', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_',
  'xoxa-', 'xoxb-', 'xoxp-', 'rk_live_', 'sk_live_', 'rk_test_', 'sk_test_', 'eyJ', '.eyJ', '.', 'Bearer ', 'bearer\t', 'BASIC  ', 'Basic\n', 'Bearer',
  '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----', '-----END PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', '-----BEGIN ',
  'sy-', 'live-env-secret-0123456789', 'admin+token.xyz', '[REDACTED]', '[REDACTED …', ' ', '  ', '\n', '-', '_', '/', '=', '"', '\\', 'é', '—', '😀', '\ud800', '\u0001',
  'the answer is ', 'Authorization: ', 'key=', 'https://example.com/?token=',
];

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A string of fragments and random runs of key-like characters (runs long enough to complete any format). */
export function randomSecretText(random: () => number): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 10);
  for (let index = 0; index < count; index += 1) {
    if (random() < 0.55) parts.push(secretFragments[Math.floor(random() * secretFragments.length)]!);
    else {
      const length = Math.floor(random() * 48);
      let run = '';
      for (let position = 0; position < length; position += 1) run += alphabet[Math.floor(random() * alphabet.length)];
      parts.push(run);
    }
  }
  return parts.join('');
}
