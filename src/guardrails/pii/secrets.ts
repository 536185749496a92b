/**
 * API keys and secrets: well-known token formats (by prefix), values assigned
 * to secret-sounding names (`api_key=...`, `Authorization: Bearer ...`),
 * private-key blocks, and unbroken high-entropy tokens.
 */

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  const length = [...value].length;
  for (const count of counts.values()) {
    const probability = count / length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

/** Token formats with a recognisable prefix (OpenAI, Anthropic, AWS, GitHub, GitLab, Slack, Google, Stripe, Hugging Face, npm, SendGrid, JWTs). */
const knownFormats: readonly RegExp[] = [
  /sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
  /(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}/g,
  /gh[pousr]_[A-Za-z0-9]{36,}/g,
  /github_pat_[A-Za-z0-9_]{22,}/g,
  /glpat-[A-Za-z0-9_-]{20,}/g,
  /xox[abposr]-[A-Za-z0-9-]{10,}/g,
  /AIza[0-9A-Za-z_-]{35}/g,
  /(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}/g,
  /hf_[A-Za-z0-9]{30,}/g,
  /npm_[A-Za-z0-9]{36}/g,
  /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/g,
  /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

const privateKeyBlock = /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY-----|$)/g;

/** `password: x`, `api_key="x"`, `Authorization: Bearer x`: the value is the secret. */
const assignment =
  /(?<![A-Za-z0-9])(?:api[_-]?key|apikey|secret(?:[_-]?key)?|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|private[_-]?key)["']?\s*(?:[:=]|=>)\s*["']?([^\s"'`,;<>(){}[\]]{8,})/gi;
const bearer = /\bbearer\s+([A-Za-z0-9._~+/=-]{16,})/gi;

/** Values that stand in for a secret rather than being one. */
const placeholderValue = /^(?:[x*.#_-]+|(?:your|my)[_-]?[a-z_-]*|\$\{?\w+\}?|process\.env\.\w+|os\.environ\S*|<[^>]*>|.*(?:example|placeholder|redacted|changeme|dummy).*)$/i;

/** Unbroken base64 / base64url-like runs (a `=` only as padding, so `NAME=value` splits at it). */
const tokenPattern = /(?<![A-Za-z0-9+/_.-])[A-Za-z0-9+/_-]{24,}={0,2}(?![A-Za-z0-9+/_=-])/g;
const hexOrUuid = /^[0-9a-fA-F-]+$/;

export interface SecretOptions {
  readonly entropyThreshold: number;
}

export function* findSecrets(text: string, options: SecretOptions): Generator<{ start: number; end: number }> {
  for (const pattern of knownFormats) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const before = text[match.index - 1];
      if (before !== undefined && /[A-Za-z0-9_]/.test(before)) continue;
      yield { start: match.index, end: match.index + match[0].length };
    }
  }
  privateKeyBlock.lastIndex = 0;
  for (let match = privateKeyBlock.exec(text); match; match = privateKeyBlock.exec(text)) yield { start: match.index, end: match.index + match[0].length };
  for (const pattern of [assignment, bearer]) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const value = match[1]!.replace(/["'.]+$/, '');
      if (value.length < 8 || placeholderValue.test(value) || shannonEntropy(value) < 2.5) continue;
      const start = match.index + match[0].length - match[1]!.length;
      yield { start, end: start + value.length };
    }
  }
  tokenPattern.lastIndex = 0;
  for (let match = tokenPattern.exec(text); match; match = tokenPattern.exec(text)) {
    const token = match[0];
    // Hashes and UUIDs are identifiers, not secrets; tokens need letters and digits.
    if (hexOrUuid.test(token) || !/\d/.test(token) || !/[A-Za-z]/.test(token)) continue;
    if (text.slice(Math.max(0, match.index - 7), match.index).toLowerCase().endsWith('base64,')) continue;
    if (shannonEntropy(token) < options.entropyThreshold) continue;
    yield { start: match.index, end: match.index + token.length };
  }
}
