/**
 * Conditions for conditional routing, in a Mongo-like query language (the one
 * Portkey's conditional router reads):
 *
 *   { "metadata.user_plan": "pro", "params.temperature": { "$lt": 0.5 },
 *     "$or": [{ "headers.x-tier": { "$in": ["gold", "platinum"] } }, { "params.model": { "$regex": "^gpt-4" } }] }
 *
 * Top-level keys are dot-separated paths into the subject; each takes a literal
 * (equality) or an object of operators. Several keys, or several operators on
 * one key, must all hold. `$and` and `$or` take lists of queries, at any depth.
 *
 * Semantics:
 * - A path is resolved through own properties only; at each step the longest
 *   key that exists wins, so a metadata key that itself has dots still resolves.
 *   Arrays are indexed by number (`params.messages.0.role`).
 * - A missing field (or one whose value is undefined) fails every operator
 *   except `$ne`, `$nin` and `$exists: false`.
 * - A number in the query compares numerically, and also matches a string field
 *   holding a number (metadata and headers are strings: `{ "metadata.tier": { "$gte": 2 } }`
 *   matches tier "3"). A string in the query compares with string fields only,
 *   by Unicode code point. Other mixed types never match (`$ne`/`$nin` hold).
 * - `$regex` matches string fields only. Patterns are compiled once, with the
 *   `u` flag, plus any of `i`, `m`, `s` given in `$options`.
 *
 * Validate queries with `conditionQuerySchema` when the config is loaded.
 * `evaluateCondition` never throws: anything malformed in an unvalidated query
 * (an unknown operator, a bad pattern) simply does not match.
 */
import { z } from 'zod';

export type ConditionLiteral = string | number | boolean | null;

export interface ConditionOperators {
  $eq?: ConditionLiteral;
  $ne?: ConditionLiteral;
  $in?: ConditionLiteral[];
  $nin?: ConditionLiteral[];
  $gt?: string | number;
  $gte?: string | number;
  $lt?: string | number;
  $lte?: string | number;
  $regex?: string;
  /** Regular-expression flags for `$regex`: any of i, m, s. */
  $options?: string;
  $exists?: boolean;
}

export type FieldCondition = ConditionLiteral | ConditionOperators;

export type ConditionQuery = {
  $and?: ConditionQuery[];
  $or?: ConditionQuery[];
  [path: string]: FieldCondition | ConditionQuery[] | undefined;
};

/** What a condition is evaluated against, e.g. `{ metadata, params, headers, url }`. */
export type ConditionSubject = Readonly<Record<string, unknown>>;

const operatorNames = ['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$regex', '$options', '$exists'] as const;
const allowedFlags = /^[ims]*$/;

// ---------------------------------------------------------------- schema

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function patternError(source: string, flags: string): string | undefined {
  try {
    new RegExp(source, `u${flags}`);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const literalSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'expected a string, number, boolean or null' });
const comparableSchema = z.union([z.string(), z.number()], { error: 'expected a number or a string' });

const operatorsSchema = z
  .strictObject(
    {
      $eq: literalSchema.optional(),
      $ne: literalSchema.optional(),
      $in: z.array(literalSchema).optional(),
      $nin: z.array(literalSchema).optional(),
      $gt: comparableSchema.optional(),
      $gte: comparableSchema.optional(),
      $lt: comparableSchema.optional(),
      $lte: comparableSchema.optional(),
      $regex: z.string().optional(),
      $options: z.string().regex(allowedFlags, '$options takes only the flags i, m and s').optional(),
      $exists: z.boolean().optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown operator ${issue.keys.map((key) => `'${key}'`).join(', ')}; expected one of ${operatorNames.join(' ')}` : undefined) },
  )
  .superRefine((operators, context) => {
    if (Object.keys(operators).length === 0) context.addIssue({ code: 'custom', message: 'an operator object needs at least one operator' });
    if (operators.$options !== undefined && operators.$regex === undefined) context.addIssue({ code: 'custom', path: ['$options'], message: '$options needs a $regex beside it' });
    if (operators.$regex !== undefined) {
      const message = patternError(operators.$regex, operators.$options ?? '');
      if (message !== undefined) context.addIssue({ code: 'custom', path: ['$regex'], message: `invalid $regex ${JSON.stringify(operators.$regex)}: ${message}` });
    }
  });

type Issues = { readonly issues: readonly { readonly message: string; readonly path: readonly PropertyKey[] }[] };

function forwardIssues(result: { success: true } | { success: false; error: Issues }, context: z.RefinementCtx, prefix: readonly PropertyKey[]): void {
  if (result.success) return;
  for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: [...prefix, ...issue.path] });
}

function checkField(path: string, condition: unknown, context: z.RefinementCtx): void {
  if (path.split('.').some((segment) => segment === '')) {
    context.addIssue({ code: 'custom', path: [path], message: `'${path}' is not a field path: expected dot-separated names such as metadata.user_plan` });
    return;
  }
  forwardIssues(isPlainObject(condition) ? operatorsSchema.safeParse(condition) : literalSchema.safeParse(condition), context, [path]);
}

/** A condition query; see the top of this file for the language. */
export const conditionQuerySchema: z.ZodType<ConditionQuery> = z.lazy(() =>
  z
    .custom<ConditionQuery>(isPlainObject, { error: 'a condition query is an object of field paths and $and/$or' })
    .superRefine((query, context) => {
      for (const [key, condition] of Object.entries(query)) {
        if (key === '$and' || key === '$or') {
          forwardIssues(z.array(conditionQuerySchema, { error: `${key} takes a list of queries` }).min(1, `${key} needs at least one query`).safeParse(condition), context, [key]);
        } else if (key.startsWith('$')) {
          context.addIssue({ code: 'custom', path: [key], message: `unknown operator '${key}' here; a query's own operators are $and and $or` });
        } else {
          checkField(key, condition, context);
        }
      }
    }),
);

// ------------------------------------------------------------ evaluation

/** Compiled patterns by flags and source. Patterns come from config, so this stays small; the cap is a guard. */
const compiledPatterns = new Map<string, RegExp | null>();
const maxCompiledPatterns = 1000;

function compiledPattern(source: string, options: unknown): RegExp | null {
  const flags = typeof options === 'string' && allowedFlags.test(options) ? options : '';
  const cacheKey = `${flags}/${source}`;
  const cached = compiledPatterns.get(cacheKey);
  if (cached !== undefined) return cached;
  let pattern: RegExp | null;
  try {
    pattern = new RegExp(source, `u${flags}`);
  } catch {
    pattern = null;
  }
  if (compiledPatterns.size >= maxCompiledPatterns) compiledPatterns.clear();
  compiledPatterns.set(cacheKey, pattern);
  return pattern;
}

/** The value at a dot-separated path, or undefined. Own properties only; the longest existing key wins at each step. */
export function resolvePath(root: unknown, path: string): unknown {
  const segments = path.split('.');
  let current = root;
  let start = 0;
  while (start < segments.length) {
    if (typeof current !== 'object' || current === null) return undefined;
    const container = current as Record<string, unknown>;
    let end = segments.length;
    while (end > start && !Object.hasOwn(container, segments.slice(start, end).join('.'))) end -= 1;
    if (end === start) return undefined;
    current = container[segments.slice(start, end).join('.')];
    start = end;
  }
  return current;
}

/** A string that spells a finite number, as a number; otherwise undefined. */
function numericString(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  return typeof value === 'string' ? numericString(value) : undefined;
}

function compareCodePoints(left: string, right: string): number {
  const leftPoints = Array.from(left);
  const rightPoints = Array.from(right);
  const length = Math.min(leftPoints.length, rightPoints.length);
  for (let index = 0; index < length; index += 1) {
    const difference = leftPoints[index].codePointAt(0)! - rightPoints[index].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return leftPoints.length - rightPoints.length;
}

function equals(value: unknown, operand: unknown): boolean {
  if (value === undefined) return false;
  if (typeof operand === 'number') {
    const number = asNumber(value);
    return number !== undefined && number === operand;
  }
  return value === operand;
}

/** Sign of value − operand, or undefined when they do not compare (missing field, mixed types). */
function compare(value: unknown, operand: unknown): number | undefined {
  if (typeof operand === 'number' && !Number.isNaN(operand)) {
    const number = asNumber(value);
    return number === undefined ? undefined : Math.sign(number - operand);
  }
  if (typeof operand === 'string' && typeof value === 'string') return Math.sign(compareCodePoints(value, operand));
  return undefined;
}

function matchesOperator(name: string, operand: unknown, value: unknown, operators: Readonly<Record<string, unknown>>): boolean {
  switch (name) {
    case '$eq':
      return equals(value, operand);
    case '$ne':
      return !equals(value, operand);
    case '$in':
      return Array.isArray(operand) && operand.some((item) => equals(value, item));
    case '$nin':
      return Array.isArray(operand) && !operand.some((item) => equals(value, item));
    case '$gt':
      return (compare(value, operand) ?? 0) > 0;
    case '$gte': {
      const sign = compare(value, operand);
      return sign !== undefined && sign >= 0;
    }
    case '$lt':
      return (compare(value, operand) ?? 0) < 0;
    case '$lte': {
      const sign = compare(value, operand);
      return sign !== undefined && sign <= 0;
    }
    case '$regex':
      return typeof operand === 'string' && typeof value === 'string' && (compiledPattern(operand, operators.$options)?.test(value) ?? false);
    case '$options':
      return true;
    case '$exists':
      return operand === true ? value !== undefined : operand === false && value === undefined;
    default:
      return false;
  }
}

function matchesField(value: unknown, condition: unknown): boolean {
  if (!isPlainObject(condition)) return equals(value, condition);
  return Object.entries(condition).every(([name, operand]) => matchesOperator(name, operand, value, condition));
}

function isQueryList(value: unknown): value is readonly Readonly<Record<string, unknown>>[] {
  return Array.isArray(value) && value.every(isPlainObject);
}

/** Whether `subject` satisfies `query`. Never throws; an empty query matches everything. */
export function evaluateCondition(query: Readonly<Record<string, unknown>>, subject: ConditionSubject): boolean {
  return Object.entries(query).every(([key, condition]) => {
    if (key === '$and') return isQueryList(condition) && condition.every((part) => evaluateCondition(part, subject));
    if (key === '$or') return isQueryList(condition) && condition.some((part) => evaluateCondition(part, subject));
    if (key.startsWith('$')) return false;
    return matchesField(resolvePath(subject, key), condition);
  });
}
