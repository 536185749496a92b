/** The upstream client's URL parts: what `new URL` gives, parsed once per URL, with a bounded cache. */
import { describe, expect, it } from 'vitest';
import { parsedUrl } from '../../src/server/upstream.js';

describe('parsedUrl', () => {
  it('gives the origin, path with query, and host of a URL', () => {
    expect(parsedUrl('https://example.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21')).toEqual({
      origin: 'https://example.openai.azure.com',
      path: '/openai/deployments/d/chat/completions?api-version=2024-10-21',
      hostname: 'example.openai.azure.com',
      host: 'example.openai.azure.com',
    });
    expect(parsedUrl('http://[::1]:8080/v1/chat/completions')).toMatchObject({ origin: 'http://[::1]:8080', path: '/v1/chat/completions', hostname: '[::1]', host: '[::1]:8080' });
  });

  it('answers a URL seen before from its cache, and stays bounded', () => {
    const first = parsedUrl('http://127.0.0.1:9/v1/embeddings');
    expect(parsedUrl('http://127.0.0.1:9/v1/embeddings')).toBe(first);
    for (let index = 0; index < 600; index += 1) parsedUrl(`http://127.0.0.1:9/v1/path-${index}`);
    const again = parsedUrl('http://127.0.0.1:9/v1/embeddings');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('throws what new URL throws for a malformed URL', () => {
    expect(() => parsedUrl('not a url')).toThrow(TypeError);
  });
});
