/** JSON (valid, schema, keys), valid URLs and code detection. */
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/guardrails/checks/check-schemas.js';
import { detectLanguages, runContainsCode } from '../../src/guardrails/checks/contains-code.js';
import { extractJson, runJsonKeys, runJsonSchema, runJsonValid } from '../../src/guardrails/checks/json-checks.js';
import { findUrls, runValidUrls } from '../../src/guardrails/checks/valid-urls.js';
import { check, subject } from './subject.js';

describe('JSON', () => {
  it('finds JSON: the whole text, a fenced block, or the first balanced object or array', () => {
    expect(extractJson(' {"a": 1} ', true)).toEqual({ found: true, value: { a: 1 } });
    expect(extractJson('Here:\n```json\n{"a": [1, 2]}\n```\nDone.', false)).toEqual({ found: true, value: { a: [1, 2] } });
    expect(extractJson('The result is {"text": "a } b", "n": {"m": 2}} as asked', false)).toEqual({ found: true, value: { text: 'a } b', n: { m: 2 } } });
    expect(extractJson('first {broken then [1, 2]', false)).toEqual({ found: true, value: [1, 2] });
    expect(extractJson('Here: {"a": 1}', true)).toEqual({ found: false, reason: 'the text is not valid JSON' });
    expect(extractJson('no json {here', false)).toEqual({ found: false, reason: 'no valid JSON was found in the text' });
  });

  it('json_valid, strict and not', () => {
    expect(runJsonValid(check({ type: 'json_valid' }), subject('{"ok": true}'))).toEqual({ passed: true, explanation: 'the text is valid JSON' });
    expect(runJsonValid(check({ type: 'json_valid', strict: true }), subject('Sure! {"ok": true}'))).toEqual({ passed: false, explanation: 'the text is not valid JSON' });
    expect(runJsonValid(check({ type: 'json_valid' }), subject('{"ok": tru}'))).toEqual({ passed: false, explanation: 'no valid JSON was found in the text' });
    expect(runJsonValid(check({ type: 'json_valid' }), subject('{"名前": "山田", "emoji": "🎉"}')).passed).toBe(true);
  });

  it('json_schema: valid, invalid with the first errors, drafts', () => {
    const schema = { type: 'object', required: ['name', 'age'], properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 } }, additionalProperties: false };
    const rule = check({ type: 'json_schema', schema });
    expect(runJsonSchema(rule, subject('{"name": "Zoë", "age": 30}'))).toEqual({ passed: true, explanation: 'the JSON matches the schema' });
    expect(runJsonSchema(rule, subject('{"name": "Zoë", "age": -1}'))).toEqual({ passed: false, explanation: 'the JSON does not match the schema: #/age: -1 is less than 0.; #: Property "age" does not match schema.' });
    expect(runJsonSchema(rule, subject('{"name": "Zoë"}')).explanation).toBe('the JSON does not match the schema: #: Instance does not have required property "age".');
    expect(runJsonSchema(rule, subject('no json'))).toEqual({ passed: false, explanation: 'no valid JSON was found in the text' });
    const draft4 = check({ type: 'json_schema', draft: '4', schema: { type: 'number', maximum: 5, exclusiveMaximum: true } });
    expect(runJsonSchema(draft4, subject('5')).passed).toBe(false);
    expect(runJsonSchema(draft4, subject('4.9')).passed).toBe(true);
  });

  it('json_keys: all, any, none, dotted paths', () => {
    const text = subject('{"user": {"name": "Ann", "address": {"city": "Oslo"}}, "id": 1}');
    expect(runJsonKeys(check({ type: 'json_keys', keys: ['id', 'user.address.city'] }), text)).toEqual({ passed: true, explanation: 'every key is present' });
    expect(runJsonKeys(check({ type: 'json_keys', keys: ['id', 'user.email'] }), text)).toEqual({ passed: false, explanation: "missing keys 'user.email'" });
    expect(runJsonKeys(check({ type: 'json_keys', keys: ['x', 'id'], operator: 'any' }), text)).toEqual({ passed: true, explanation: "present keys 'id'" });
    expect(runJsonKeys(check({ type: 'json_keys', keys: ['x', 'y'], operator: 'any' }), text)).toEqual({ passed: false, explanation: 'none of the keys is present' });
    expect(runJsonKeys(check({ type: 'json_keys', keys: ['password'], operator: 'none' }), text)).toEqual({ passed: true, explanation: 'none of the keys is present' });
    expect(runJsonKeys(check({ type: 'json_keys', keys: ['user.name'], operator: 'none' }), text)).toEqual({ passed: false, explanation: "forbidden keys present 'user.name'" });
    expect(runJsonKeys(check({ type: 'json_keys', keys: ['toString'] }), subject('{}'))).toEqual({ passed: false, explanation: "missing keys 'toString'" });
  });
});

describe('valid URLs', () => {
  it('finds URLs and trims the punctuation around them', () => {
    expect(findUrls('See https://example.com/a_(b). Or (www.example.org/x), "http://a.io/?q=1";')).toEqual(['https://example.com/a_(b)', 'www.example.org/x', 'http://a.io/?q=1']);
  });

  it('passes well-formed URLs, IDN hosts, IP hosts and ports', () => {
    expect(runValidUrls(check({ type: 'valid_urls' }), subject('https://bücher.de/x and http://192.0.2.1:8080/ and http://[2001:db8::1]/ and https://sub.example.co.uk'))).toEqual({
      passed: true,
      explanation: '4 URLs, all valid',
    });
  });

  it('fails malformed ones', () => {
    for (const bad of ['http://example..com', 'http://-bad-.com', 'https://exa_mple.com', 'https://999.999.999.999', 'http://example.com:99999', 'http://1.2.3', 'http://localhost/x', 'https://example.c0m']) {
      expect(runValidUrls(check({ type: 'valid_urls' }), subject(`see ${bad} ok`)), bad).toEqual({ passed: false, explanation: '1 URL of 1 not valid' });
    }
  });

  it('no URL passes unless require_urls; allowed_hosts limits hosts, subdomains included', () => {
    expect(runValidUrls(check({ type: 'valid_urls' }), subject('no links'))).toEqual({ passed: true, explanation: 'the text has no URL' });
    expect(runValidUrls(check({ type: 'valid_urls', require_urls: true }), subject('no links'))).toEqual({ passed: false, explanation: 'the text has no URL' });
    const hosts = check({ type: 'valid_urls', allowed_hosts: ['example.com'] });
    expect(runValidUrls(hosts, subject('https://docs.example.com/x https://example.com'))).toMatchObject({ passed: true });
    expect(runValidUrls(hosts, subject('https://example.com.evil.io/x https://notexample.com'))).toEqual({ passed: false, explanation: '2 URLs of 2 outside the allowed hosts' });
  });
});

describe('contains code', () => {
  it('reads the language of fenced blocks, with aliases', () => {
    expect(detectLanguages('```py\nprint(1)\n```\n```TSX\nconst a = 1\n```')).toEqual(new Set(['python', 'typescript']));
  });

  it('recognises untagged blocks and unfenced code by signatures', () => {
    expect(detectLanguages('```\nSELECT name FROM users WHERE id = 1;\n```')).toEqual(new Set(['sql']));
    expect(detectLanguages('Try this:\ndef add(a, b):\n    return a + b')).toEqual(new Set(['python']));
    expect(detectLanguages('use const total = await fetchAll() then console.log(total)')).toEqual(new Set(['javascript']));
    expect(detectLanguages('interface User { name: string }')).toEqual(new Set(['typescript']));
    expect(detectLanguages('fn main() { println!("hi"); }')).toEqual(new Set(['rust']));
    expect(detectLanguages('```\nsome text in a box\n```')).toEqual(new Set(['unknown']));
  });

  it('prose is not code', () => {
    for (const prose of ['I will select the best one from the list.', 'Define the problem: then solve it.', 'Import duties apply; print the receipt.', '関数を定義してください。']) {
      expect(detectLanguages(prose), prose).toEqual(new Set());
    }
  });

  it('any language, a given language, and not', () => {
    const text = subject('```python\nimport os\n```');
    expect(runContainsCode(check({ type: 'contains_code' }), text)).toEqual({ passed: true, explanation: 'the text contains code (found: python)' });
    expect(runContainsCode(check({ type: 'contains_code', language: 'py' }), text)).toEqual({ passed: true, explanation: 'the text contains python code (found: python)' });
    expect(runContainsCode(check({ type: 'contains_code', language: 'sql' }), text)).toEqual({ passed: false, explanation: 'the text contains no sql code (found: python)' });
    expect(runContainsCode(check({ type: 'contains_code', not: true }), subject('just words'))).toEqual({ passed: true, explanation: 'the text contains no code' });
    expect(runContainsCode(check({ type: 'contains_code', language: 'python', not: true }), text).passed).toBe(false);
  });

  it('a language must be named when given', () => {
    expect(checkSchema.safeParse({ type: 'contains_code', language: '' }).success).toBe(false);
  });
});

describe('no catastrophic backtracking', () => {
  // Each of these would take minutes (and time the test out) with nested quantifiers.
  const adversarial = ['a'.repeat(20_000), 'a '.repeat(10_000), 'select '.repeat(3000), 'x: \n'.repeat(5000), `${'ab-'.repeat(5000)}{`, `${'.a '.repeat(5000)}!`, '{['.repeat(5000), `${'1 '.repeat(5000)}`, `${'a@'.repeat(5000)}`];

  it('code detection finishes on long adversarial text', () => {
    for (const text of adversarial) expect(detectLanguages(text).size).toBeLessThan(3);
  });

  it('JSON extraction and URL search finish on long adversarial text', () => {
    for (const text of adversarial) {
      expect(extractJson(text, false).found).toBe(false);
      expect(findUrls(text)).toEqual([]);
    }
  });
});
