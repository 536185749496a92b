/**
 * `full` bodies are cleaned in one walk (inline data out, secrets masked) that
 * also bounds the JSON size. The walk must give exactly what the two copies
 * gave before (`masker.json` of the body without its inline data), and the
 * bound must never be below the real size, or a body past the limit would be
 * stored whole.
 */
import { describe, expect, it } from 'vitest';
import { captureBodies } from '../../src/telemetry/record/body-capture.js';
import { cleanBody } from '../../src/telemetry/record/clean-body.js';
import { createSecretMasker } from '../../src/telemetry/record/mask-secrets.js';
import { createReferenceMasker, randomSecretText, referenceWithoutInlineData, seededRandom } from './masking-reference.js';

const options = { env: { OPENAI_API_KEY: 'sk-live-from-env-0123456789' }, patterns: ['sy-[a-z0-9]{8}'] };
const masker = createSecretMasker(options);
const reference = createReferenceMasker(options);
const referenceBody = (value: unknown): unknown => reference.json(referenceWithoutInlineData(value));

const fixedBodies: unknown[] = [
  {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: [{ type: 'text', text: 'what is this? my key is sk-abcdefghijklmnopqrstu' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAABBBB', detail: 'low' } }] },
      { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'A'.repeat(300), format: 'wav' } }, { type: 'file', file: { file_data: 'B'.repeat(257), filename: 'a.pdf' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"api_key":"x"}' } }] },
    ],
    temperature: 0.3,
    tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { token: { type: 'string' } } } } }],
    metadata: { secret_project: 'x', api_key: 'short', Authorization: 'Bearer abcdefghijklmnop', credentials: { user: 'u' }, password: ['a', 'b'] },
    data: 'short data stays',
    file_data: 'C'.repeat(256),
    note: 'data:text/plain,hello',
    empty: '',
    nothing: null,
    missing: undefined,
    holes: [1, , 3], // eslint-disable-line no-sparse-arrays
    numbers: [0, -0, 1e21, -2.2250738585072014e-308, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY],
    odd: '\u0001\u001f"\\\n\t \ud800 \udc00 😀 é —',
  },
  JSON.parse('{"__proto__":{"api_key":"x"},"constructor":"sk-abcdefghijklmnopqrstu","data":["' + 'D'.repeat(300) + '"]}'),
  [[['nested', { deep: [{ token: 'abc', tokens: 5 }] }]]],
  { created: new Date(0), big: 'E'.repeat(5000) },
];

type Json = unknown;

function randomBody(random: () => number, depth: number): Json {
  const roll = random();
  if (depth > 3 || roll < 0.35) {
    const scalar = random();
    if (scalar < 0.45) return randomSecretText(random);
    if (scalar < 0.55) return `data:image/${random() < 0.5 ? 'png;base64' : 'jpeg'},${'Z'.repeat(Math.floor(random() * 40))}`;
    if (scalar < 0.7) return Math.floor(random() * 1e6) / (random() < 0.5 ? 7 : 1);
    if (scalar < 0.8) return random() < 0.5;
    if (scalar < 0.9) return null;
    return 'x'.repeat(Math.floor(random() * 600));
  }
  if (roll < 0.6) return Array.from({ length: Math.floor(random() * 5) }, () => randomBody(random, depth + 1));
  const keys = ['role', 'content', 'text', 'data', 'file_data', 'url', 'api_key', 'Authorization', 'x-api-key', 'client_secret', 'token', 'max_tokens', 'metadata', 'arguments', 'cookie'];
  const value: Record<string, Json> = {};
  for (let count = Math.floor(random() * 6); count > 0; count -= 1) value[keys[Math.floor(random() * keys.length)]!] = randomBody(random, depth + 1);
  return value;
}

function generatedBodies(count: number): Json[] {
  const random = seededRandom(7);
  return Array.from({ length: count }, () => randomBody(random, 0));
}

describe('a full body, cleaned in one walk', () => {
  it('is exactly the two-pass result (inline data removed, then masked)', () => {
    for (const body of [...fixedBodies, ...generatedBodies(2000)]) {
      const cleaned = cleanBody(body, masker).body;
      expect(cleaned).toStrictEqual(referenceBody(body));
      expect(JSON.stringify(cleaned)).toBe(JSON.stringify(referenceBody(body)));
    }
  });

  it('bounds its JSON size from above', () => {
    for (const body of [...fixedBodies, ...generatedBodies(2000)]) {
      const cleaned = cleanBody(body, masker);
      expect(cleaned.maxJsonBytes).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(cleaned.body)));
    }
    expect(cleanBody({ toJSON: () => 'x'.repeat(100) }, masker).maxJsonBytes).toBe(Number.POSITIVE_INFINITY);
  });

  it('is cut to a preview past the limit exactly as before, whether or not the bound was decisive', () => {
    const chat = fixedBodies[0] as Record<string, unknown>;
    const text = JSON.stringify(referenceBody(chat));
    const bytes = Buffer.byteLength(text);
    // The bound is far above the real size here, so the real size decides.
    expect(captureBodies({ chat: chat as never }, 'full', masker, bytes).requestBody).toBe(text);
    expect(JSON.parse(captureBodies({ chat: chat as never }, 'full', masker, bytes - 1).requestBody!)).toEqual({ truncated: true, bytes, preview: text.slice(0, Math.floor((bytes - 1) / 2)) });
    expect(captureBodies({ chat: chat as never }, 'full', masker, 10 * bytes).requestBody).toBe(text);
  });

  it('returns a body with nothing to clean as the same value, and copies only what it changes', () => {
    const clean = { model: 'm', messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: null }], n: [1, , 3] }; // eslint-disable-line no-sparse-arrays
    expect(cleanBody(clean, masker).body).toBe(clean);
    const dirty = { model: 'm', messages: [{ role: 'user', content: 'key sk-abcdefghijklmnopqrstu' }, { role: 'assistant', content: 'fine' }], tools: [{ name: 't' }] };
    const before = structuredClone(dirty);
    const cleaned = cleanBody(dirty, masker).body as typeof dirty;
    expect(dirty).toStrictEqual(before);
    expect(cleaned).not.toBe(dirty);
    expect(cleaned.messages).not.toBe(dirty.messages);
    expect(cleaned.messages[0]!.content).not.toContain('abcdefghijklmnopqrstu');
    expect(cleaned.messages[1]).toBe(dirty.messages[1]);
    expect(cleaned.tools).toBe(dirty.tools);
    // An own `__proto__` key, or an object that is not plain, is still copied as JSON would see it.
    const odd = JSON.parse('{"__proto__":{"a":1},"b":2}') as Record<string, unknown>;
    expect(cleanBody(odd, masker).body).not.toBe(odd);
    expect(JSON.stringify(cleanBody(odd, masker).body)).toBe(JSON.stringify(reference.json(odd)));
  });

  it('reuses the text the answer was sent as when cleaning changed nothing, and serializes the cleaned copy when it did', () => {
    const completion = { id: 'c', choices: [{ message: { role: 'assistant', content: 'plain' } }] };
    const sent = { of: completion, text: '{"as":"sent"}' };
    expect(captureBodies({ completion: completion as never, completionText: sent as never }, 'full', masker, 1 << 20).responseBody).toBe('{"as":"sent"}');
    // Text of another object is never used.
    expect(captureBodies({ completion: completion as never, completionText: { of: {}, text: 'x' } as never }, 'full', masker, 1 << 20).responseBody).toBe(JSON.stringify(completion));
    const secret = { id: 'c', choices: [{ message: { role: 'assistant', content: 'sk-abcdefghijklmnopqrstu' } }] };
    const body = captureBodies({ completion: secret as never, completionText: { of: secret, text: JSON.stringify(secret) } as never }, 'full', masker, 1 << 20).responseBody!;
    expect(body).not.toContain('abcdefghijklmnopqrstu');
    expect(body).toBe(JSON.stringify(referenceBody(secret)));
  });
});
