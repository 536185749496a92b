/** Checks on the request itself rather than its text: the model allow-list, required metadata keys, allowed request types. */
import type { CheckOf } from './check-schemas.js';
import type { CheckOutcome, CheckSubject } from './check-types.js';

const globs = new Map<string, RegExp>();

export function globMatches(pattern: string, value: string): boolean {
  let compiled = globs.get(pattern);
  if (!compiled) {
    compiled = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    if (globs.size < 10_000) globs.set(pattern, compiled);
  }
  return compiled.test(value);
}

export function runModelAllowList(check: CheckOf<'model_allow_list'>, subject: CheckSubject): CheckOutcome {
  const model = subject.model;
  if (model === undefined) return { passed: false, explanation: 'the request names no model' };
  const listed = check.models.some((pattern) => globMatches(pattern, model));
  const allowed = check.not ? !listed : listed;
  return { passed: allowed, explanation: allowed ? `model '${model}' is allowed` : `model '${model}' is not allowed` };
}

export function runRequiredMetadata(check: CheckOf<'required_metadata'>, subject: CheckSubject): CheckOutcome {
  const present = check.keys.filter((key) => Object.hasOwn(subject.metadata, key));
  const missing = check.keys.filter((key) => !present.includes(key));
  const list = (keys: readonly string[]): string => keys.map((key) => `'${key}'`).join(', ');
  switch (check.operator) {
    case 'all':
      return missing.length === 0 ? { passed: true, explanation: 'every metadata key is present' } : { passed: false, explanation: `missing metadata keys ${list(missing)}` };
    case 'any':
      return present.length > 0 ? { passed: true, explanation: `present metadata keys ${list(present)}` } : { passed: false, explanation: 'none of the metadata keys is present' };
    case 'none':
      return present.length === 0 ? { passed: true, explanation: 'none of the metadata keys is present' } : { passed: false, explanation: `forbidden metadata keys present ${list(present)}` };
    default: {
      const unreachable: never = check.operator;
      throw new Error(`unknown operator ${String(unreachable)}`);
    }
  }
}

export function runRequestTypes(check: CheckOf<'request_types'>, subject: CheckSubject): CheckOutcome {
  const type = subject.requestType;
  if (check.blocked?.includes(type)) return { passed: false, explanation: `request type '${type}' is blocked` };
  if (check.allowed && !check.allowed.includes(type)) return { passed: false, explanation: `request type '${type}' is not allowed` };
  return { passed: true, explanation: `request type '${type}' is allowed` };
}
