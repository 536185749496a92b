/**
 * Portkey's guardrail shorthand, as found in `input_guardrails` /
 * `output_guardrails` of a Portkey config:
 *   [{ "default.regexMatch": { "rule": "\\d{4}", "not": true }, "deny": true }]
 * Each key other than the reserved ones names a check (`default.` is implied
 * when the id has no dot) and holds its parameters. `deny: true` refuses with
 * 446; otherwise a failure is logged (Portkey answers 246 there; we keep 200
 * and flag the failure in `x-switchyard-guardrails-failed`). Checks are run on
 * the last message, as Portkey does.
 */
import { checkSchema, checkTypes, type CheckInput } from './checks/check-schemas.js';
import type { GuardrailDefinitionInput } from './config-schema.js';

/** Keys of a shorthand item that are not checks. */
const reservedKeys = new Set(['deny', 'on_fail', 'on_success', 'async', 'id', 'type', 'guardrail_version_id', 'sequential', 'name']);

type Parameters = Record<string, unknown>;

export class ShorthandError extends Error {}

function list(value: unknown): unknown {
  return typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}

const portkeyRequestTypes: Readonly<Record<string, readonly string[]>> = { chatComplete: ['chat', 'chat_stream'], embed: ['embeddings'] };

function requestTypes(value: unknown): unknown {
  const names = list(value);
  if (!Array.isArray(names)) return names;
  return names.flatMap((name) => (typeof name === 'string' ? (portkeyRequestTypes[name] ?? (['chat', 'chat_stream', 'embeddings'].includes(name) ? [name] : [])) : [name]));
}

function headers(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new ShorthandError('headers is not valid JSON');
  }
}

function refuseNot(parameters: Parameters, id: string): void {
  if (parameters.not === true) throw new ShorthandError(`'not' is not supported for ${id}`);
}

/** Portkey's default plugins → Switchyard checks. */
const translators: Readonly<Record<string, (parameters: Parameters, id: string) => Record<string, unknown>>> = {
  regexMatch: (p) => ({ type: 'regex', pattern: p.rule, not: p.not }),
  sentenceCount: (p) => ({ type: 'sentence_count', min: p.minSentences, max: p.maxSentences, not: p.not }),
  wordCount: (p) => ({ type: 'word_count', min: p.minWords, max: p.maxWords, not: p.not }),
  characterCount: (p) => ({ type: 'character_count', min: p.minCharacters, max: p.maxCharacters, not: p.not }),
  jsonSchema: (p, id) => (refuseNot(p, id), { type: 'json_schema', schema: p.schema }),
  jsonKeys: (p) => ({ type: 'json_keys', keys: p.keys, operator: p.operator }),
  contains: (p) => ({ type: 'contains', words: p.words, operator: p.operator }),
  // Validity is decided offline, with no DNS or HTTP probe, whatever `onlyDNS` says; like Portkey, a text with no URL fails.
  validUrls: (p, id) => (refuseNot(p, id), { type: 'valid_urls', require_urls: true }),
  containsCode: (p) => ({ type: 'contains_code', language: p.format, not: p.not }),
  alluppercase: (p) => ({ type: 'letter_case', case: 'upper', not: p.not }),
  alllowercase: (p) => ({ type: 'letter_case', case: 'lower', not: p.not }),
  endsWith: (p) => ({ type: 'ends_with', suffix: p.suffix, not: p.not }),
  modelWhitelist: (p) => ({ type: 'model_allow_list', models: p.models, not: p.not }),
  requiredMetadataKeys: (p) => ({ type: 'required_metadata', keys: p.metadataKeys, operator: p.operator }),
  allowedRequestTypes: (p) => ({ type: 'request_types', allowed: p.allowedTypes === undefined ? undefined : requestTypes(p.allowedTypes), blocked: p.blockedTypes === undefined ? undefined : requestTypes(p.blockedTypes) }),
  webhook: (p) => ({ type: 'webhook', url: p.webhookURL, headers: headers(p.headers), timeout_ms: p.timeout ?? 3000, fail_mode: 'closed' }),
};

function translateCheck(key: string, parameters: unknown): CheckInput | undefined {
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) throw new ShorthandError(`"${key}" must be an object of parameters`);
  const { is_enabled: enabled, id: _id, ...rest } = parameters as Parameters;
  if (enabled === false) return undefined;
  const id = key.includes('.') ? key : `default.${key}`;
  const [plugin, name] = [id.slice(0, id.indexOf('.')), id.slice(id.indexOf('.') + 1)];
  if (plugin !== 'default') throw new ShorthandError(`"${key}": the check '${id}' is not available (only Portkey's default checks and Switchyard's own)`);
  const translate = translators[name];
  let translated: Record<string, unknown>;
  if (translate) translated = withoutUndefined(translate(rest, id));
  else if ((checkTypes as readonly string[]).includes(name)) translated = { ...rest, type: name };
  else throw new ShorthandError(`"${key}": the check '${id}' is not available (only Portkey's default checks and Switchyard's own)`);
  const parsed = checkSchema.safeParse(translated);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ShorthandError(`"${key}": ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  return translated as CheckInput;
}

/** Translates one shorthand item into a Switchyard guardrail definition (validated later with the native schema). */
export function translateShorthand(item: Record<string, unknown>, fallbackName: string): GuardrailDefinitionInput {
  const checks: CheckInput[] = [];
  for (const [key, parameters] of Object.entries(item)) {
    if (reservedKeys.has(key)) continue;
    const check = translateCheck(key, parameters);
    if (check) checks.push(check);
  }
  if (checks.length === 0) throw new ShorthandError('the guardrail has no enabled check');
  const id = typeof item.id === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(item.id) ? item.id : fallbackName;
  return { name: id, checks, action: item.deny === true ? 'deny' : 'log', scope: 'last' };
}
