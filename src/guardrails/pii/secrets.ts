/**
 * API keys and secrets: well-known token formats (by prefix), values assigned
 * to secret-sounding names (`api_key=...`, `Authorization: Bearer ...`),
 * private-key blocks, and unbroken high-entropy tokens.
 */
import { nothingFound, type Found } from './found.js';
import { scanTokenRuns, type Run } from './token-runs.js';

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

/**
 * Token formats with a recognisable prefix (OpenAI, Anthropic, AWS, GitHub, GitLab, Slack, Google, Stripe, Hugging Face, npm, SendGrid, JWTs).
 * Each match is 15 or more characters of `[A-Za-z0-9_.-]` (see token-runs.ts), with no lookaround.
 */
export const knownFormats: readonly RegExp[] = [
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
export const assignment =
  /(?<![A-Za-z0-9])(?:api[_-]?key|apikey|secret(?:[_-]?key)?|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|private[_-]?key)["']?\s*(?:[:=]|=>)\s*["']?([^\s"'`,;<>(){}[\]]{8,})/gi;
const bearer = /\bbearer\s+([A-Za-z0-9._~+/=-]{16,})/gi;

/** How the names in `assignment` end. */
const nameEndings = ['key', 'secret', 'token', 'password', 'passwd', 'pwd'];
const space = /\s/;

/** Whether the character at `index` is white space (`\s`); printable ASCII (never white space, and nearly always what is there) is told without the expression. */
function isSpaceAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (code <= 0x20 || code >= 0x7f) && space.test(text[index]!);
}

/** Whether the name before `end` ends with `ending`, ignoring ASCII case (as the `i` flag does without `u`). */
function endsWithName(text: string, end: number, ending: string): boolean {
  const start = end - ending.length;
  if (start < 0) return false;
  for (let index = 0; index < ending.length; index += 1) if ((text.charCodeAt(start + index) | 0x20) !== ending.charCodeAt(index)) return false;
  return true;
}

/**
 * Whether a `:` or `=` comes after a name ending as the secret-sounding names
 * do (then an optional quote and spaces): every `assignment` match has one,
 * and looking for it costs less than the expression's lookbehind at every position.
 */
export function mayHaveAssignment(text: string): boolean {
  let colon = text.indexOf(':');
  let equals = text.indexOf('=');
  while (colon >= 0 || equals >= 0) {
    let end: number;
    if (equals < 0 || (colon >= 0 && colon < equals)) {
      end = colon;
      colon = text.indexOf(':', colon + 1);
    } else {
      end = equals;
      equals = text.indexOf('=', equals + 1);
    }
    while (end > 0 && isSpaceAt(text, end - 1)) end -= 1;
    if (end > 0 && (text[end - 1] === '"' || text[end - 1] === "'")) end -= 1;
    for (const ending of nameEndings) if (endsWithName(text, end, ending)) return true;
  }
  return false;
}

/** Values that stand in for a secret rather than being one. */
const placeholderValue = /^(?:[x*.#_-]+|(?:your|my)[_-]?[a-z_-]*|\$\{?\w+\}?|process\.env\.\w+|os\.environ\S*|<[^>]*>|.*(?:example|placeholder|redacted|changeme|dummy).*)$/i;

const hexOrUuid = /^[0-9a-fA-F-]+$/;
const wordCharacter = /[A-Za-z0-9_]/;

/** Known-format tokens, read only inside the windows where one can be (the whole text as one window reads it all), added to `found`. */
export function findKnownFormats(text: string, windows: readonly Run[], found: Found[] = []): Found[] {
  if (windows.length === 0) return found;
  const parts = windows.map((window) => (window.start === 0 && window.end === text.length ? text : text.slice(window.start, window.end)));
  for (const pattern of knownFormats) {
    for (let position = 0; position < windows.length; position += 1) {
      const part = parts[position]!;
      const offset = windows[position]!.start;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(part); match; match = pattern.exec(part)) {
        const start = offset + match.index;
        const before = text[start - 1];
        if (before !== undefined && wordCharacter.test(before)) continue;
        found.push({ start, end: start + match[0].length });
      }
    }
  }
  return found;
}

export interface SecretOptions {
  readonly entropyThreshold: number;
}

/** Values assigned to secret-sounding names, or after `Bearer`, added to `found`. */
function findAssigned(text: string, pattern: RegExp, found: Found[]): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const value = match[1]!.replace(/["'.]+$/, '');
    if (value.length < 8 || placeholderValue.test(value) || shannonEntropy(value) < 2.5) continue;
    const start = match.index + match[0].length - match[1]!.length;
    found.push({ start, end: start + value.length });
  }
}

export function findSecrets(text: string, options: SecretOptions): readonly Found[] {
  const runs = scanTokenRuns(text);
  const found = findKnownFormats(text, runs.windows);
  privateKeyBlock.lastIndex = 0;
  for (let match = privateKeyBlock.exec(text); match; match = privateKeyBlock.exec(text)) found.push({ start: match.index, end: match.index + match[0].length });
  if (mayHaveAssignment(text)) findAssigned(text, assignment, found);
  findAssigned(text, bearer, found);
  for (const { start, end } of runs.tokens) {
    const token = text.slice(start, end);
    // Hashes and UUIDs are identifiers, not secrets; tokens need letters and digits.
    if (hexOrUuid.test(token) || !/\d/.test(token) || !/[A-Za-z]/.test(token)) continue;
    if (text.slice(Math.max(0, start - 7), start).toLowerCase().endsWith('base64,')) continue;
    if (shannonEntropy(token) < options.entropyThreshold) continue;
    found.push({ start, end });
  }
  return found.length === 0 ? nothingFound : found;
}
