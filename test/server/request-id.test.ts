/** Request ids the gateway makes: UUIDv7, unique and in order even many to a millisecond. */
import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { newRequestId } from '../../src/server/context.js';

describe('newRequestId', () => {
  it('makes valid, unique v7 ids that sort in the order they were made, across many pool refills', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => newRequestId());
    const after = Date.now();
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // Thousands of ids share a millisecond; the counter keeps them apart and in order.
    const millis = ids.map((id) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16));
    expect(new Set(millis).size).toBeLessThan(ids.length);
    expect(millis[0]).toBeGreaterThanOrEqual(before);
    expect(millis.at(-1)).toBeLessThanOrEqual(after + 1);
    // The random tails (the last 62 bits) differ: the pool hands out fresh bytes each time.
    expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(ids.length);
  });
});
