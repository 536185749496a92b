import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conditionQuerySchema, evaluateCondition, resolvePath, type ConditionQuery } from '../../src/routing/condition.js';

const subject = {
  metadata: { user_plan: 'pro', tier: '3', region: 'eu-west', 'app.version': '2.1', city: 'Zürich', emoji: '😀', empty: '' },
  params: { model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 512, stream: true, user: null, messages: [{ role: 'system' }, { role: 'user' }] },
  headers: { 'x-tier': 'gold', 'x-absent': undefined },
  url: { pathname: '/v1/chat/completions' },
};

function matches(query: ConditionQuery): boolean {
  expect(conditionQuerySchema.safeParse(query).success, `the schema should accept ${JSON.stringify(query)}`).toBe(true);
  return evaluateCondition(query, subject);
}

function schemaError(query: unknown): string {
  const result = conditionQuerySchema.safeParse(query);
  expect(result.success).toBe(false);
  return z.prettifyError(result.error!);
}

describe('evaluateCondition: operators', () => {
  const cases: { name: string; pass: ConditionQuery; fail: ConditionQuery }[] = [
    { name: 'literal equality', pass: { 'metadata.user_plan': 'pro' }, fail: { 'metadata.user_plan': 'free' } },
    { name: '$eq', pass: { 'params.model': { $eq: 'gpt-4o-mini' } }, fail: { 'params.model': { $eq: 'gpt-4o' } } },
    { name: '$eq on a boolean', pass: { 'params.stream': { $eq: true } }, fail: { 'params.stream': false } },
    { name: '$eq on null', pass: { 'params.user': null }, fail: { 'params.model': null } },
    { name: '$ne', pass: { 'metadata.user_plan': { $ne: 'free' } }, fail: { 'metadata.user_plan': { $ne: 'pro' } } },
    { name: '$in', pass: { 'headers.x-tier': { $in: ['gold', 'platinum'] } }, fail: { 'headers.x-tier': { $in: ['silver'] } } },
    { name: '$in with an empty list', pass: { 'headers.x-tier': { $nin: [] } }, fail: { 'headers.x-tier': { $in: [] } } },
    { name: '$nin', pass: { 'headers.x-tier': { $nin: ['silver', 'bronze'] } }, fail: { 'headers.x-tier': { $nin: ['gold'] } } },
    { name: '$gt on numbers', pass: { 'params.max_tokens': { $gt: 511 } }, fail: { 'params.max_tokens': { $gt: 512 } } },
    { name: '$gte on numbers', pass: { 'params.max_tokens': { $gte: 512 } }, fail: { 'params.max_tokens': { $gte: 513 } } },
    { name: '$lt on numbers', pass: { 'params.temperature': { $lt: 0.5 } }, fail: { 'params.temperature': { $lt: 0.2 } } },
    { name: '$lte on numbers', pass: { 'params.temperature': { $lte: 0.2 } }, fail: { 'params.temperature': { $lte: 0.1 } } },
    { name: '$gt on strings', pass: { 'metadata.region': { $gt: 'eu' } }, fail: { 'metadata.region': { $gt: 'eu-west' } } },
    { name: '$gte on strings', pass: { 'metadata.region': { $gte: 'eu-west' } }, fail: { 'metadata.region': { $gte: 'us' } } },
    { name: '$lt on strings', pass: { 'metadata.region': { $lt: 'us' } }, fail: { 'metadata.region': { $lt: 'eu-west' } } },
    { name: '$lte on strings', pass: { 'metadata.region': { $lte: 'eu-west' } }, fail: { 'metadata.region': { $lte: 'eu' } } },
    { name: '$regex', pass: { 'params.model': { $regex: '^gpt-4o' } }, fail: { 'params.model': { $regex: '^claude' } } },
    { name: '$regex with $options', pass: { 'params.model': { $regex: '^GPT', $options: 'i' } }, fail: { 'params.model': { $regex: '^GPT' } } },
    { name: '$exists: true', pass: { 'metadata.user_plan': { $exists: true } }, fail: { 'metadata.missing': { $exists: true } } },
    { name: '$exists: false', pass: { 'metadata.missing': { $exists: false } }, fail: { 'metadata.user_plan': { $exists: false } } },
    { name: 'a range (operators ANDed)', pass: { 'params.temperature': { $gte: 0, $lt: 0.5 } }, fail: { 'params.temperature': { $gte: 0.1, $lt: 0.2 } } },
  ];
  for (const { name, pass, fail } of cases) {
    it(name, () => {
      expect(matches(pass)).toBe(true);
      expect(matches(fail)).toBe(false);
    });
  }

  it('compares a number in the query with a numeric string field numerically', () => {
    expect(matches({ 'metadata.tier': { $gte: 2 } })).toBe(true);
    expect(matches({ 'metadata.tier': { $gt: 10 } })).toBe(false); // as strings, "3" > "10"
    expect(matches({ 'metadata.tier': 3 })).toBe(true);
    expect(matches({ 'metadata.tier': { $in: [1, 3] } })).toBe(true);
    expect(matches({ 'metadata.tier': { $gt: '10' } })).toBe(true); // a string in the query compares as a string
  });

  it('never matches mixed types, except through $ne and $nin', () => {
    expect(matches({ 'params.max_tokens': '512' })).toBe(false);
    expect(matches({ 'params.max_tokens': { $gt: '1' } })).toBe(false);
    expect(matches({ 'metadata.user_plan': { $gt: 1 } })).toBe(false);
    expect(matches({ 'metadata.user_plan': { $lte: 1 } })).toBe(false);
    expect(matches({ 'metadata.empty': 0 })).toBe(false);
    expect(matches({ 'params.stream': 'true' })).toBe(false);
    expect(matches({ 'params.max_tokens': { $regex: '512' } })).toBe(false);
    expect(matches({ 'params.max_tokens': { $ne: '512' } })).toBe(true);
    expect(matches({ 'params.max_tokens': { $nin: ['512'] } })).toBe(true);
  });
});

describe('evaluateCondition: missing fields', () => {
  const missing = 'metadata.nothing';
  it('fail every operator except $ne, $nin and $exists: false', () => {
    const failing: ConditionQuery[] = [
      { [missing]: 'x' },
      { [missing]: null },
      { [missing]: { $eq: 'x' } },
      { [missing]: { $in: ['x'] } },
      { [missing]: { $gt: 0 } },
      { [missing]: { $gte: '' } },
      { [missing]: { $lt: 0 } },
      { [missing]: { $lte: 'z' } },
      { [missing]: { $regex: '.*' } },
      { [missing]: { $exists: true } },
    ];
    for (const query of failing) expect(matches(query), JSON.stringify(query)).toBe(false);
    for (const query of [{ [missing]: { $ne: 'x' } }, { [missing]: { $nin: ['x'] } }, { [missing]: { $exists: false } }]) expect(matches(query), JSON.stringify(query)).toBe(true);
  });

  it('treat an undefined value (an absent header) as missing', () => {
    expect(matches({ 'headers.x-absent': { $exists: false } })).toBe(true);
    expect(matches({ 'headers.x-absent': { $regex: '' } })).toBe(false);
  });

  it('include paths that go through a non-object, or a whole missing branch', () => {
    expect(matches({ 'metadata.user_plan.length': { $exists: true } })).toBe(false);
    expect(matches({ 'nowhere.at.all': { $exists: false } })).toBe(true);
  });

  it('never reach inherited properties', () => {
    expect(matches({ 'metadata.constructor': { $exists: false } })).toBe(true);
    expect(matches({ 'metadata.__proto__': { $exists: false } })).toBe(true);
    expect(matches({ 'params.model.toString': { $exists: false } })).toBe(true);
  });
});

describe('evaluateCondition: paths, nesting and unicode', () => {
  it('resolves headers, the URL, array indices and keys that contain dots', () => {
    expect(matches({ 'url.pathname': '/v1/chat/completions' })).toBe(true);
    expect(matches({ 'params.messages.0.role': 'system', 'params.messages.1.role': 'user' })).toBe(true);
    expect(matches({ 'params.messages.length': { $gt: 1 } })).toBe(true);
    expect(matches({ 'metadata.app.version': '2.1' })).toBe(true);
    expect(resolvePath({ a: { 'b.c': { d: 1 } } }, 'a.b.c.d')).toBe(1);
  });

  it('ANDs several keys', () => {
    expect(matches({ 'metadata.user_plan': 'pro', 'params.stream': true })).toBe(true);
    expect(matches({ 'metadata.user_plan': 'pro', 'params.stream': false })).toBe(false);
  });

  it('evaluates $and, $or and their nesting', () => {
    expect(matches({ $and: [{ 'metadata.user_plan': 'pro' }, { 'headers.x-tier': 'gold' }] })).toBe(true);
    expect(matches({ $and: [{ 'metadata.user_plan': 'pro' }, { 'headers.x-tier': 'silver' }] })).toBe(false);
    expect(matches({ $or: [{ 'metadata.user_plan': 'free' }, { 'headers.x-tier': 'gold' }] })).toBe(true);
    expect(matches({ $or: [{ 'metadata.user_plan': 'free' }, { 'headers.x-tier': 'silver' }] })).toBe(false);
    const nested: ConditionQuery = {
      'url.pathname': { $regex: 'chat' },
      $or: [
        { $and: [{ 'metadata.user_plan': 'free' }, { 'params.max_tokens': { $lt: 100 } }] },
        { $and: [{ 'metadata.user_plan': 'pro' }, { $or: [{ 'headers.x-tier': 'silver' }, { 'params.temperature': { $lte: 0.2 } }] }] },
      ],
    };
    expect(matches(nested)).toBe(true);
    expect(evaluateCondition(nested, { ...subject, params: { ...subject.params, temperature: 0.9 } })).toBe(false);
  });

  it('matches an empty query', () => {
    expect(matches({})).toBe(true);
  });

  it('handles unicode in values, patterns and comparisons', () => {
    expect(matches({ 'metadata.city': 'Zürich' })).toBe(true);
    expect(matches({ 'metadata.city': 'Zu\u0308rich' })).toBe(false); // no normalisation: decomposed ü is another string
    expect(matches({ 'metadata.city': { $regex: '^z\u00fc', $options: 'i' } })).toBe(true);
    // Patterns run with the u flag: "." is one code point, \p{...} works.
    expect(matches({ 'metadata.emoji': { $regex: '^.$' } })).toBe(true);
    expect(matches({ 'metadata.emoji': { $regex: '^\\p{Extended_Pictographic}$' } })).toBe(true);
    // Strings compare by code point: U+1F600 sorts after U+FFFF (UTF-16 code units would say otherwise).
    expect(matches({ 'metadata.emoji': { $gt: '\uFFFF' } })).toBe(true);
    expect(matches({ 'metadata.city': { $gt: 'Zz' } })).toBe(true);
    const japanese = { metadata: { '言語': '日本語' } };
    expect(evaluateCondition({ 'metadata.言語': { $regex: '^日本' } }, japanese)).toBe(true);
    expect(evaluateCondition({ 'metadata.言語': { $in: ['中文', '日本語'] } }, japanese)).toBe(true);
  });

  it('reuses compiled patterns (the same query keeps giving the same answer)', () => {
    const query: ConditionQuery = { 'params.model': { $regex: 'mini$' } };
    for (let round = 0; round < 3; round += 1) expect(matches(query)).toBe(true);
  });
});

describe('evaluateCondition on unvalidated queries', () => {
  it('never throws: anything malformed does not match', () => {
    expect(evaluateCondition({ 'params.model': { $regex: '(' } }, subject)).toBe(false);
    expect(evaluateCondition({ 'params.model': { $where: 'x' } }, subject)).toBe(false);
    expect(evaluateCondition({ $nor: [] }, subject)).toBe(false);
    expect(evaluateCondition({ $or: 'not a list' }, subject)).toBe(false);
    expect(evaluateCondition({ $and: [1, 2] }, subject)).toBe(false);
    expect(evaluateCondition({ 'params.max_tokens': { $in: 512 } }, subject)).toBe(false);
    expect(evaluateCondition({ 'params.max_tokens': { $exists: 'yes' } }, subject)).toBe(false);
  });
});

describe('conditionQuerySchema', () => {
  it('accepts the full language', () => {
    const query = {
      'metadata.user_plan': 'pro',
      'params.temperature': { $gte: 0, $lt: 1 },
      $or: [{ 'headers.x-tier': { $in: ['gold', 1, true, null] } }, { $and: [{ 'url.pathname': { $regex: '^/v1/', $options: 'im' } }, { 'x.y': { $exists: false } }] }],
    };
    expect(conditionQuerySchema.parse(query)).toEqual(query);
  });

  it('rejects an invalid $regex with a clear message', () => {
    const message = schemaError({ $or: [{ 'params.model': { $regex: 'gpt-(4' } }] });
    expect(message).toContain('invalid $regex "gpt-(4"');
    expect(message).toContain('$or[0]["params.model"].$regex');
  });

  it('rejects unknown operators, naming the allowed ones', () => {
    expect(schemaError({ 'params.model': { $where: 'x' } })).toContain("unknown operator '$where'; expected one of $eq $ne $in $nin $gt $gte $lt $lte $regex $options $exists");
    expect(schemaError({ $nor: [{ a: 1 }] })).toContain("unknown operator '$nor' here");
  });

  it('rejects malformed operands', () => {
    expect(schemaError({ a: { $in: 'x' } })).toContain('$in');
    expect(schemaError({ a: { $gt: true } })).toContain('expected a number or a string');
    expect(schemaError({ a: { $exists: 1 } })).toContain('$exists');
    expect(schemaError({ a: { $options: 'i' } })).toContain('$options needs a $regex beside it');
    expect(schemaError({ a: { $regex: 'x', $options: 'g' } })).toContain('$options takes only the flags i, m and s');
    expect(schemaError({ a: {} })).toContain('at least one operator');
    expect(schemaError({ a: [1, 2] })).toContain('expected a string, number, boolean or null');
  });

  it('rejects malformed $and / $or and paths', () => {
    expect(schemaError({ $and: [] })).toContain('$and needs at least one query');
    expect(schemaError({ $or: { a: 1 } })).toContain('$or takes a list of queries');
    expect(schemaError({ $and: ['a'] })).toContain('a condition query is an object');
    expect(schemaError({ 'metadata..plan': 'x' })).toContain('is not a field path');
    expect(schemaError('metadata.plan')).toContain('a condition query is an object');
  });
});
