/** The guardrail set the benchmark runs: PII redaction, a regex and a word count, on every request's input. */
import type { GuardrailsConfigInput } from './config-schema.js';

export const defaultBenchmarkGuardrails = {
  definitions: {
    'pii-redaction': { action: 'redact', checks: [{ type: 'pii' }] },
    'no-destructive-sql': { action: 'deny', checks: [{ type: 'regex', pattern: '\\b(?:DROP|TRUNCATE)\\s+TABLE\\b', flags: 'i', not: true }] },
    'word-limit': { action: 'deny', checks: [{ type: 'word_count', max: 4000 }] },
  },
  default_input: ['pii-redaction', 'no-destructive-sql', 'word-limit'],
} as const satisfies GuardrailsConfigInput;
