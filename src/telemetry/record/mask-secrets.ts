/**
 * Masks secrets before anything is stored: values under secret-looking keys,
 * well-known API key and token formats inside any string, the secrets the
 * gateway itself holds (from its environment), and configured extra patterns.
 * A masked value keeps its last four characters, as providers' consoles do.
 */

/** Formats of API keys and tokens that are masked wherever they appear. */
const knownSecretPatterns: readonly RegExp[] = [
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

/** Keys whose values are secrets whatever they look like. */
const secretKeyPattern = /(?:^|[_-])(?:api[_-]?key|apikey|authorization|password|passwd|secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|private[_-]?key|secret[_-]?access[_-]?key|session[_-]?token|cookie|set-cookie|x-api-key|credentials?)$/i;

/** Environment variables whose values the gateway must never log. */
const secretEnvPattern = /(?:KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)$/i;

export interface SecretMasker {
  /** Masks secrets inside a string. */
  text(value: string): string;
  /** A deep copy of a JSON value with secrets masked. */
  json(value: unknown): unknown;
}

export function maskValue(secret: string): string {
  return secret.length >= 12 ? `[REDACTED …${secret.slice(-4)}]` : '[REDACTED]';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a masker from extra pattern sources and the environment (values of *_KEY, *_TOKEN, *_SECRET... of at least 8 characters). */
export function createSecretMasker(options: { patterns?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): SecretMasker {
  const patterns = [...knownSecretPatterns, ...(options.patterns ?? []).map((source) => new RegExp(source, 'g'))];
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
