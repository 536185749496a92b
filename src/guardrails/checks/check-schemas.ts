/**
 * The checks a guardrail can run, in zod: a discriminated union on `type`.
 * Every check may carry an `id`, the name it has in verdicts, logs and
 * metrics (its type otherwise).
 */
import { z } from 'zod';
import { piiEntities } from '../pii/entities.js';

const checkId = z.string().min(1).max(100).optional();

/** A pattern that compiles with the given flags, so a bad one is an error that names its path. */
const regexSource = (flags: string) =>
  z
    .string()
    .min(1)
    .max(2000)
    .refine((source) => {
      try {
        new RegExp(source, flags);
        return true;
      } catch {
        return false;
      }
    }, `not a valid regular expression${flags ? ` (with flags ${flags})` : ''}`);

/** Upper-case words, digits and underscores, so placeholders read `[ORDER_ID_1]`. */
const placeholderLabel = z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'labels are upper-case letters, digits and _ (at most 32)');

const bounds = {
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().nonnegative().optional(),
  /** Invert: the count must be outside the bounds. */
  not: z.boolean().default(false),
};
const refineBounds = (value: { min?: number; max?: number }, context: z.RefinementCtx): void => {
  if (value.min === undefined && value.max === undefined) context.addIssue({ code: 'custom', path: ['min'], message: 'give min, max or both' });
  if (value.min !== undefined && value.max !== undefined && value.min > value.max) context.addIssue({ code: 'custom', path: ['max'], message: 'max is below min' });
};

export const regexCheckSchema = z
  .strictObject({
    type: z.literal('regex'),
    id: checkId,
    pattern: regexSource(''),
    /** Any of i, m, s, u (g is implied). */
    flags: z.string().regex(/^(?!.*(.).*\1)[imsu]*$/, 'flags are any of i, m, s, u, each at most once').default(''),
    /** false: the text must match; true: the text must not match (a match fails, and can be redacted). */
    not: z.boolean().default(false),
    label: placeholderLabel.default('REDACTED'),
  })
  .superRefine((check, context) => {
    try {
      new RegExp(check.pattern, `${check.flags}g`);
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['pattern'], message: `not valid with flags '${check.flags}': ${(error as Error).message}` });
    }
  });

export const containsCheckSchema = z.strictObject({
  type: z.literal('contains'),
  id: checkId,
  words: z.array(z.string().min(1).max(200)).min(1).max(10_000),
  /** any: at least one must appear; all: every one must; none: none may (a banned-word list). */
  operator: z.enum(['any', 'all', 'none']).default('none'),
  case_sensitive: z.boolean().default(false),
  /** Match whole words only (Unicode-aware; scripts written without spaces match anywhere). */
  whole_words: z.boolean().default(true),
  label: placeholderLabel.default('REDACTED'),
});

export const wordCountCheckSchema = z.strictObject({ type: z.literal('word_count'), id: checkId, ...bounds }).superRefine(refineBounds);
export const sentenceCountCheckSchema = z.strictObject({ type: z.literal('sentence_count'), id: checkId, ...bounds }).superRefine(refineBounds);
export const characterCountCheckSchema = z.strictObject({ type: z.literal('character_count'), id: checkId, ...bounds }).superRefine(refineBounds);

export const jsonValidCheckSchema = z.strictObject({
  type: z.literal('json_valid'),
  id: checkId,
  /** true: the whole text must be JSON; false: a fenced ```json block or the first {...} / [...] counts. */
  strict: z.boolean().default(false),
});

export const jsonSchemaCheckSchema = z.strictObject({
  type: z.literal('json_schema'),
  id: checkId,
  schema: z.record(z.string(), z.unknown()),
  /** The draft the schema is written against. */
  draft: z.enum(['4', '7', '2019-09', '2020-12']).default('2020-12'),
  strict: z.boolean().default(false),
});

export const jsonKeysCheckSchema = z.strictObject({
  type: z.literal('json_keys'),
  id: checkId,
  /** Top-level keys, or dotted paths (`address.city`). */
  keys: z.array(z.string().min(1)).min(1),
  operator: z.enum(['any', 'all', 'none']).default('all'),
  strict: z.boolean().default(false),
});

export const validUrlsCheckSchema = z.strictObject({
  type: z.literal('valid_urls'),
  id: checkId,
  /** Fail when the text has no URL at all. */
  require_urls: z.boolean().default(false),
  /** When given, every URL's host must be one of these or a subdomain of one. */
  allowed_hosts: z.array(z.string().min(1)).optional(),
});

export const containsCodeCheckSchema = z.strictObject({
  type: z.literal('contains_code'),
  id: checkId,
  /** A language (python, javascript, typescript, sql, ...); any language when omitted. */
  language: z.string().min(1).optional(),
  /** true: the text must not contain such code. */
  not: z.boolean().default(false),
});

export const letterCaseCheckSchema = z.strictObject({
  type: z.literal('letter_case'),
  id: checkId,
  /** upper: no lower-case letter; lower: no upper-case letter. Letters without case (CJK...) pass both. */
  case: z.enum(['upper', 'lower']),
  not: z.boolean().default(false),
});

export const endsWithCheckSchema = z.strictObject({
  type: z.literal('ends_with'),
  id: checkId,
  suffix: z.string().min(1),
  not: z.boolean().default(false),
});

export const modelAllowListCheckSchema = z.strictObject({
  type: z.literal('model_allow_list'),
  id: checkId,
  /** Model names as requested; `*` matches any run of characters (`gpt-4o*`). */
  models: z.array(z.string().min(1)).min(1),
  /** true: the list is a deny-list. */
  not: z.boolean().default(false),
});

export const requiredMetadataCheckSchema = z.strictObject({
  type: z.literal('required_metadata'),
  id: checkId,
  keys: z.array(z.string().min(1)).min(1),
  operator: z.enum(['any', 'all', 'none']).default('all'),
});

export const requestTypes = ['chat', 'chat_stream', 'embeddings'] as const;
export type RequestType = (typeof requestTypes)[number];

export const requestTypesCheckSchema = z
  .strictObject({
    type: z.literal('request_types'),
    id: checkId,
    allowed: z.array(z.enum(requestTypes)).optional(),
    blocked: z.array(z.enum(requestTypes)).optional(),
  })
  .refine((check) => check.allowed !== undefined || check.blocked !== undefined, 'give allowed, blocked or both');

export const piiCheckSchema = z.strictObject({
  type: z.literal('pii'),
  id: checkId,
  entities: z.array(z.enum(piiEntities)).min(1).default([...piiEntities]),
  /** Bits per character above which an unbroken token of 24+ characters counts as a secret. */
  entropy_threshold: z.number().min(3).max(6).default(4),
});

export const promptInjectionCheckSchema = z.strictObject({
  type: z.literal('prompt_injection'),
  id: checkId,
  /** Fails when the score (0..1) reaches this. */
  threshold: z.number().gt(0).max(1).default(0.5),
  /** More phrases (regular expressions, case-insensitive), each weighing `extra_weight`. */
  extra_patterns: z.array(regexSource('iu')).default([]),
  extra_weight: z.number().gt(0).max(1).default(0.6),
});

const failMode = z.enum(['open', 'closed']).default('closed');

export const webhookCheckSchema = z.strictObject({
  type: z.literal('webhook'),
  id: checkId,
  url: z.url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL' }),
  headers: z.record(z.string(), z.string()).default({}),
  timeout_ms: z.number().int().positive().max(60_000).default(3000),
  /** open: a time-out or error passes the check; closed: it fails it. */
  fail_mode: failMode,
});

export const llmJudgeCheckSchema = z.strictObject({
  type: z.literal('llm_judge'),
  id: checkId,
  /** The gateway model or route that judges. */
  model: z.string().min(1),
  /** A yes/no question about the text. */
  question: z.string().min(1).max(4000),
  rubric: z.string().max(8000).optional(),
  /** The answer that passes the check. */
  pass_when: z.enum(['yes', 'no']).default('yes'),
  timeout_ms: z.number().int().positive().max(120_000).default(10_000),
  cache_ttl_ms: z.number().int().nonnegative().default(300_000),
  max_tokens: z.number().int().positive().optional(),
  fail_mode: failMode,
});

export const checkSchema = z.discriminatedUnion('type', [
  regexCheckSchema,
  containsCheckSchema,
  wordCountCheckSchema,
  sentenceCountCheckSchema,
  characterCountCheckSchema,
  jsonValidCheckSchema,
  jsonSchemaCheckSchema,
  jsonKeysCheckSchema,
  validUrlsCheckSchema,
  containsCodeCheckSchema,
  letterCaseCheckSchema,
  endsWithCheckSchema,
  modelAllowListCheckSchema,
  requiredMetadataCheckSchema,
  requestTypesCheckSchema,
  piiCheckSchema,
  promptInjectionCheckSchema,
  webhookCheckSchema,
  llmJudgeCheckSchema,
]);
export type Check = z.infer<typeof checkSchema>;
export type CheckInput = z.input<typeof checkSchema>;
export type CheckType = Check['type'];
export const checkTypes: readonly CheckType[] = checkSchema.options.map((option) => option.shape.type.value);
export type CheckOf<T extends CheckType> = Extract<Check, { type: T }>;

/** Checks that reach the network (refused in client-supplied guardrails unless allowed). */
export const networkCheckTypes: ReadonlySet<CheckType> = new Set(['webhook', 'llm_judge']);

export function checkName(check: Check): string {
  return check.id ?? check.type;
}
