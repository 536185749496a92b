/**
 * Masks secrets before anything is stored: values under secret-looking keys,
 * well-known API key and token formats inside any string, the secrets the
 * gateway itself holds (from its environment), and configured extra patterns.
 * A masked value keeps its last four characters, as providers' consoles do.
 *
 * Each pattern runs one pass, in the same order as always: the environment's
 * secrets, the known formats, the configured patterns. One cheap prefilter
 * first looks for what the first two groups need (an environment secret, or
 * the literal each known format starts with: `sk-`, `AKIA`, `eyJ`, `Bearer`...).
 * A string with none of them cannot match either group, so their passes are
 * skipped, and the result is the same.
 */

/** Formats of API keys and tokens that are masked wherever they appear. */
export const knownSecretPatterns: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\bsk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi,
];

/**
 * The literal each known format needs: no match of either list means no known
 * format can match. `Bearer` and `Basic` are looked for in any case, as their
 * format matches them; the others as written, as their formats are. (One
 * case-insensitive regex for all of them took ~5 µs a request on the bench's
 * bodies, these two ~2.3.) `test/telemetry/mask-prefilter.test.ts` checks this
 * for every format.
 */
export const knownSecretLiterals = '-----BEGIN |sk-|AKIA|ASIA|AIza|gh[pousr]_|github_pat_|xox[abposr]-|[rs]k_live_|[rs]k_test_|eyJ';
export const knownSecretLiteralsAnyCase = 'bearer|basic';

/** Keys whose values are secrets whatever they look like. */
export const secretKeyPattern = /(?:^|[_-])(?:api[_-]?key|apikey|authorization|password|passwd|secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|private[_-]?key|secret[_-]?access[_-]?key|session[_-]?token|cookie|set-cookie|x-api-key|credentials?)$/i;

/** Environment variables whose values the gateway must never log. */
const secretEnvPattern = /(?:KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)$/i;

/** Distinct key names remembered by `isSecretKey` before the memo starts over. */
const keyMemoLimit = 1024;

export interface SecretMasker {
  /** Masks secrets inside a string. */
  text(value: string): string;
  /** Whether a JSON key's value is a secret whatever it looks like (`api_key`, `Authorization`...). */
  isSecretKey(name: string): boolean;
  /** A deep copy of a JSON value with secrets masked. */
  json(value: unknown): unknown;
}

export function maskValue(secret: string): string {
  return secret.length >= 12 ? `[REDACTED …${secret.slice(-4)}]` : '[REDACTED]';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function replaceAll(text: string, pattern: RegExp): string {
  pattern.lastIndex = 0;
  return text.replace(pattern, (match) => maskValue(match));
}

/** Builds a masker from extra pattern sources and the environment (values of *_KEY, *_TOKEN, *_SECRET... of at least 8 characters). */
export function createSecretMasker(options: { patterns?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): SecretMasker {
  const extraPatterns = (options.patterns ?? []).map((source) => new RegExp(source, 'g'));
  const envSecrets = Object.entries(options.env ?? {})
    .filter(([name, value]) => secretEnvPattern.test(name) && typeof value === 'string' && value.length >= 8)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
  const envAlternatives = envSecrets.map(escapeRegExp).join('|');
  const envPattern = envSecrets.length > 0 ? new RegExp(envAlternatives, 'g') : undefined;
  // Where an environment secret or a known format could be; no match of either: neither group can match.
  const prefilter = new RegExp(envSecrets.length > 0 ? `${knownSecretLiterals}|${envAlternatives}` : knownSecretLiterals);
  const prefilterAnyCase = new RegExp(knownSecretLiteralsAnyCase, 'i');
  const secretKeys = new Map<string, boolean>();

  function text(value: string): string {
    let masked = value;
    if (prefilter.test(value) || prefilterAnyCase.test(value)) {
      if (envPattern) masked = replaceAll(masked, envPattern);
      for (const pattern of knownSecretPatterns) masked = replaceAll(masked, pattern);
    }
    for (const pattern of extraPatterns) masked = replaceAll(masked, pattern);
    return masked;
  }

  function isSecretKey(name: string): boolean {
    let secret = secretKeys.get(name);
    if (secret === undefined) {
      secret = secretKeyPattern.test(name);
      if (secretKeys.size >= keyMemoLimit) secretKeys.clear();
      secretKeys.set(name, secret);
    }
    return secret;
  }

  function json(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return key !== undefined && isSecretKey(key) ? maskValue(value) : text(value);
    if (Array.isArray(value)) return value.map((item) => json(item));
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) {
        copy[name] = isSecretKey(name) && item !== null && typeof item === 'object' ? '[REDACTED]' : json(item, name);
      }
      return copy;
    }
    return value;
  }

  return { text, isSecretKey, json: (value) => json(value) };
}
