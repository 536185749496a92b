/** Valid JSON, valid against a JSON schema, and required keys (top-level names or dotted paths). */
import { Validator, type OutputUnit, type SchemaDraft } from '@cfworker/json-schema';
import type { CheckOf } from './check-schemas.js';
import { joinedText, type CheckOutcome, type CheckSubject } from './check-types.js';

type Extracted = { readonly found: true; readonly value: unknown } | { readonly found: false; readonly reason: string };

const fencedBlock = /```[ \t]*(?:json5?|JSON)?[ \t]*\r?\n([\s\S]*?)```/g;

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The end of the balanced object or array starting at `start`, skipping strings; -1 if it never closes. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{' || character === '[') stack.push(character === '{' ? '}' : ']');
    else if (character === '}' || character === ']') {
      if (stack.pop() !== character) return -1;
      if (stack.length === 0) return index + 1;
    }
  }
  return -1;
}

/**
 * The JSON in a text: the whole text, else (unless strict) the first fenced
 * ```json block that parses, else the first balanced {...} or [...] that parses.
 */
export function extractJson(text: string, strict: boolean): Extracted {
  const whole = tryParse(text.trim());
  if (whole.ok) return { found: true, value: whole.value };
  if (strict) return { found: false, reason: 'the text is not valid JSON' };
  for (const match of text.matchAll(fencedBlock)) {
    const parsed = tryParse(match[1]!.trim());
    if (parsed.ok) return { found: true, value: parsed.value };
  }
  const opening = /[{[]/g;
  for (let attempts = 0, match = opening.exec(text); match && attempts < 32; attempts += 1, match = opening.exec(text)) {
    const end = balancedEnd(text, match.index);
    if (end === -1) continue;
    const parsed = tryParse(text.slice(match.index, end));
    if (parsed.ok) return { found: true, value: parsed.value };
  }
  return { found: false, reason: 'no valid JSON was found in the text' };
}

export function runJsonValid(check: CheckOf<'json_valid'>, subject: CheckSubject): CheckOutcome {
  const extracted = extractJson(joinedText(subject), check.strict);
  return extracted.found ? { passed: true, explanation: 'the text is valid JSON' } : { passed: false, explanation: extracted.reason };
}

const validators = new WeakMap<object, Validator>();

function validatorFor(check: CheckOf<'json_schema'>): Validator {
  let validator = validators.get(check.schema);
  if (!validator) {
    validator = new Validator(check.schema as ConstructorParameters<typeof Validator>[0], check.draft as SchemaDraft, false);
    validators.set(check.schema, validator);
  }
  return validator;
}

function describeErrors(errors: readonly OutputUnit[]): string {
  // The most specific errors are the deepest ones; the first few are enough to act on.
  const specific = [...errors].sort((a, b) => b.instanceLocation.length - a.instanceLocation.length);
  const unique = [...new Set(specific.map((error) => `${error.instanceLocation}: ${error.error}`))];
  return unique.slice(0, 3).join('; ');
}

export function runJsonSchema(check: CheckOf<'json_schema'>, subject: CheckSubject): CheckOutcome {
  const extracted = extractJson(joinedText(subject), check.strict);
  if (!extracted.found) return { passed: false, explanation: extracted.reason };
  const result = validatorFor(check).validate(extracted.value);
  return result.valid ? { passed: true, explanation: 'the JSON matches the schema' } : { passed: false, explanation: `the JSON does not match the schema: ${describeErrors(result.errors)}` };
}

function hasPath(value: unknown, path: string): boolean {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

export function runJsonKeys(check: CheckOf<'json_keys'>, subject: CheckSubject): CheckOutcome {
  const extracted = extractJson(joinedText(subject), check.strict);
  if (!extracted.found) return { passed: false, explanation: extracted.reason };
  const present = check.keys.filter((key) => hasPath(extracted.value, key));
  const missing = check.keys.filter((key) => !present.includes(key));
  const list = (keys: readonly string[]): string => keys.map((key) => `'${key}'`).join(', ');
  switch (check.operator) {
    case 'all':
      return missing.length === 0 ? { passed: true, explanation: 'every key is present' } : { passed: false, explanation: `missing keys ${list(missing)}` };
    case 'any':
      return present.length > 0 ? { passed: true, explanation: `present keys ${list(present)}` } : { passed: false, explanation: 'none of the keys is present' };
    case 'none':
      return present.length === 0 ? { passed: true, explanation: 'none of the keys is present' } : { passed: false, explanation: `forbidden keys present ${list(present)}` };
    default: {
      const unreachable: never = check.operator;
      throw new Error(`unknown operator ${String(unreachable)}`);
    }
  }
}
