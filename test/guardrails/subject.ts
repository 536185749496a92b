/** Builds check subjects and parsed checks for unit tests. */
import { checkSchema, type Check, type CheckInput } from '../../src/guardrails/checks/check-schemas.js';
import type { CheckSubject } from '../../src/guardrails/checks/check-types.js';

export function subject(segments: string | string[], extra: Partial<CheckSubject> = {}): CheckSubject {
  return { side: 'input', segments: typeof segments === 'string' ? [segments] : segments, requestType: 'chat', model: 'gpt-4o', metadata: {}, request: {}, ...extra };
}

export function check<T extends CheckInput>(input: T): Extract<Check, { type: T['type'] }> {
  return checkSchema.parse(input) as Extract<Check, { type: T['type'] }>;
}
