import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/api/errors.js';
import { cacheConfigSchema } from '../../src/cache/config-schema.js';
import { resolveRequestSettings } from '../../src/cache/request-settings.js';

const defaults = cacheConfigSchema.parse({});

function errorOf(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('cache config', () => {
  it('is off by default, with every field defaulted', () => {
    expect(defaults.mode).toBe('off');
    expect(defaults.ttl).toBe(3600);
    expect(defaults.threshold).toBeUndefined();
    expect(defaults.namespace).toBe('key');
    expect(defaults.store).toEqual({ type: 'memory', max_entries: 10_000, max_bytes: 256 * 1024 * 1024, max_entry_bytes: 1024 * 1024, redis_prefix: 'sy:cache', sweep_interval_seconds: 60 });
    expect(defaults.accounting).toEqual({ charge_hits: false, count_hit_tokens: false });
    expect(cacheConfigSchema.safeParse({ mode: 'fuzzy' }).success).toBe(false);
  });
});

describe('request settings', () => {
  it('take the route over the config, and Portkey max_age as ttl', () => {
    expect(resolveRequestSettings(defaults, 0.85, undefined, {})).toEqual({ mode: 'off', ttlSeconds: 3600, threshold: 0.85, namespaceBy: 'key', directive: 'none' });
    expect(resolveRequestSettings(defaults, 0.85, { mode: 'semantic', ttl: 60, threshold: 0.9, namespace: 'team' }, {})).toEqual({ mode: 'semantic', ttlSeconds: 60, threshold: 0.9, namespaceBy: 'team', directive: 'none' });
    expect(resolveRequestSettings(defaults, 0.85, { mode: 'simple', max_age: 120 }, {})).toMatchObject({ mode: 'simple', ttlSeconds: 120 });
    expect(resolveRequestSettings(defaults, 0.85, 'simple', {})).toMatchObject({ mode: 'simple', ttlSeconds: 3600 });
    expect(resolveRequestSettings({ ...defaults, mode: 'simple', threshold: 0.99 }, 0.85, undefined, {})).toMatchObject({ mode: 'simple', threshold: 0.99 });
  });

  it('take the request header over the route', () => {
    expect(resolveRequestSettings(defaults, 0.85, undefined, { 'x-switchyard-cache': 'semantic' })).toMatchObject({ mode: 'semantic', directive: 'none' });
    expect(resolveRequestSettings(defaults, 0.85, 'simple', { 'x-switchyard-cache': 'off' })).toMatchObject({ mode: 'off' });
    expect(resolveRequestSettings(defaults, 0.85, 'simple', { 'x-switchyard-cache': 'Force-Refresh' })).toMatchObject({ mode: 'simple', directive: 'force-refresh' });
    expect(resolveRequestSettings(defaults, 0.85, 'simple', { 'x-switchyard-cache': 'force-refresh, no-store' })).toMatchObject({ directive: 'no-store' });
    expect(resolveRequestSettings(defaults, 0.85, 'simple', { 'x-portkey-cache-force-refresh': 'true' })).toMatchObject({ directive: 'force-refresh' });
  });

  it('refuse a bad route setting with invalid_config naming its path', () => {
    const tooHigh = errorOf(() => resolveRequestSettings(defaults, 0.85, { mode: 'semantic', threshold: 1.5 }, {}));
    expect(tooHigh.code).toBe('invalid_config');
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.param).toBe('cache.threshold');
    expect(tooHigh.message).toMatch(/^cache\.threshold: /);
    const unknownField = errorOf(() => resolveRequestSettings(defaults, 0.85, { mode: 'simple', maxage: 5 }, {}));
    expect(unknownField.code).toBe('invalid_config');
    expect(unknownField.message).toContain('maxage');
    const both = errorOf(() => resolveRequestSettings(defaults, 0.85, { mode: 'simple', ttl: 5, max_age: 6 }, {}));
    expect(both.message).toBe('cache.max_age: ttl and max_age are the same setting; give one');
    expect(errorOf(() => resolveRequestSettings(defaults, 0.85, 'always', {})).code).toBe('invalid_config');
  });

  it('refuse an unknown header directive', () => {
    const error = errorOf(() => resolveRequestSettings(defaults, 0.85, undefined, { 'x-switchyard-cache': 'maybe' }));
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('x-switchyard-cache');
  });
});
