/** The config schema, Portkey's shorthand, and which guardrails a request runs. */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/api/errors.js';
import { createGuardrails, defaultBenchmarkGuardrails, guardrailsConfigSchema } from '../../src/guardrails/index.js';
import { translateShorthand } from '../../src/guardrails/portkey-shorthand.js';
import { createGuardrailResolver, parseGuardrailList, type RequestFactsForGuardrails } from '../../src/guardrails/resolve-guardrails.js';
import type { RouteNode } from '../../src/routing/route-schema.js';
import { silentLogger } from './helpers.js';

const config = guardrailsConfigSchema.parse({
  definitions: {
    pii: { action: 'redact', checks: [{ type: 'pii' }] },
    short: { checks: [{ type: 'word_count', max: 100 }] },
    hook: { checks: [{ type: 'webhook', url: 'http://127.0.0.1:9/check' }] },
  },
  keys: { key_1: { input: ['short'] } },
  teams: { team_1: { input: ['pii'], output: ['short'] } },
  default_input: ['pii'],
});

function facts(extra: Partial<RequestFactsForGuardrails> = {}): RequestFactsForGuardrails {
  return { route: undefined, routeFromClient: false, keyId: undefined, teamId: undefined, header: () => undefined, ...extra };
}

function thrown(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('config schema', () => {
  it('an empty config is valid, with the defaults', () => {
    expect(guardrailsConfigSchema.parse({})).toEqual({ definitions: {}, keys: {}, teams: {}, default_input: [], default_output: [], deny_status: 446, request_headers: true, client_inline: 'offline', judge_cache_size: 1000 });
  });

  it('a definition gets its defaults', () => {
    expect(config.definitions.short).toEqual({ checks: [{ type: 'word_count', max: 100, not: false }], action: 'deny', scope: 'all', restore_output: false, stream: 'flow', lookahead_chars: 64 });
  });

  it('refuses references to unknown guardrails, naming where', () => {
    const result = guardrailsConfigSchema.safeParse({ definitions: {}, keys: { k: { output: ['ghost'] } }, default_input: ['nope'] });
    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['default_input.0', "no guardrail is named 'nope'"],
      ['keys.k.output.0', "no guardrail is named 'ghost'"],
    ]);
  });

  it('redact needs checks that find text; restore_output needs redact', () => {
    const result = guardrailsConfigSchema.safeParse({ definitions: { bad: { action: 'redact', checks: [{ type: 'pii' }, { type: 'word_count', max: 3 }, { type: 'regex', pattern: 'x' }] }, odd: { restore_output: true, checks: [{ type: 'pii' }] } } });
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['definitions.bad.checks.1.type', 'definitions.bad.checks.2.type', 'definitions.odd.restore_output']);
  });

  it('names are safe for headers; bad check parameters name their path', () => {
    expect(guardrailsConfigSchema.safeParse({ definitions: { 'a,b': { checks: [{ type: 'pii' }] } } }).success).toBe(false);
    const result = guardrailsConfigSchema.safeParse({ definitions: { w: { checks: [{ type: 'webhook', url: 'ftp://x' }] } }, deny_status: 200 });
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['definitions.w.checks.0.url', 'deny_status']);
  });

  it('the benchmark set is a valid config', () => {
    expect(guardrailsConfigSchema.parse(defaultBenchmarkGuardrails).default_input).toEqual(['pii-redaction', 'no-destructive-sql', 'word-limit']);
  });

  it('a judge check with no judge stops the start', () => {
    const judged = guardrailsConfigSchema.parse({ definitions: { j: { checks: [{ type: 'llm_judge', model: 'm', question: 'ok?' }] } } });
    expect(() => createGuardrails({ config: judged, logger: silentLogger })).toThrow('guardrails: an llm_judge check is configured but the gateway gave no judge');
  });

  it('bad guardrails on a config route stop the start', () => {
    const routes: Record<string, RouteNode> = { r: { model: 'm', input_guardrails: ['ghost'] } };
    expect(() => createGuardrails({ config, logger: silentLogger, routes })).toThrow("route r input_guardrails[0]: no guardrail is named 'ghost'");
  });
});

describe("Portkey's shorthand", () => {
  it('translates default checks and their parameters; deny decides the action; checks run on the last message', () => {
    expect(
      translateShorthand(
        {
          'default.regexMatch': { rule: '\\d{4}', not: true },
          wordCount: { minWords: 1, maxWords: 50 },
          'default.contains': { words: ['x'], operator: 'none' },
          'default.jsonKeys': { keys: ['a'], operator: 'all' },
          'default.modelWhitelist': { models: ['gpt-4o'] },
          'default.requiredMetadataKeys': { metadataKeys: ['team'], operator: 'any' },
          'default.allowedRequestTypes': { allowedTypes: 'chatComplete' },
          'default.webhook': { webhookURL: 'https://hooks.example.com/x', headers: '{"x-a":"1"}', timeout: 500 },
          'default.alluppercase': { is_enabled: false },
          deny: true,
          async: false,
          on_fail: { feedback: { value: -1 } },
        },
        'fallback-name',
      ),
    ).toEqual({
      name: 'fallback-name',
      action: 'deny',
      scope: 'last',
      checks: [
        { type: 'regex', pattern: '\\d{4}', not: true },
        { type: 'word_count', min: 1, max: 50 },
        { type: 'contains', words: ['x'], operator: 'none' },
        { type: 'json_keys', keys: ['a'], operator: 'all' },
        { type: 'model_allow_list', models: ['gpt-4o'] },
        { type: 'required_metadata', keys: ['team'], operator: 'any' },
        { type: 'request_types', allowed: ['chat', 'chat_stream'] },
        { type: 'webhook', url: 'https://hooks.example.com/x', headers: { 'x-a': '1' }, timeout_ms: 500, fail_mode: 'closed' },
      ],
    });
  });

  it('without deny a failure is logged; an id names the guardrail; our own check types work with default.', () => {
    expect(translateShorthand({ id: 'my-guard', 'default.pii': { entities: ['email'] } }, 'x')).toEqual({ name: 'my-guard', action: 'log', scope: 'last', checks: [{ type: 'pii', entities: ['email'] }] });
  });

  it('refuses checks it does not have and bad parameters, naming the check', () => {
    expect(() => translateShorthand({ 'portkey.pii': {} }, 'x')).toThrow(`"portkey.pii": the check 'portkey.pii' is not available (only Portkey's default checks and Switchyard's own)`);
    expect(() => translateShorthand({ 'default.regexMatch': { rule: '(' } }, 'x')).toThrow('"default.regexMatch": pattern: not a valid regular expression');
    expect(() => translateShorthand({ 'default.wordCount': 'many' }, 'x')).toThrow('"default.wordCount" must be an object of parameters');
    expect(() => translateShorthand({ deny: true }, 'x')).toThrow('the guardrail has no enabled check');
    expect(() => translateShorthand({ 'default.jsonSchema': { schema: {}, not: true } }, 'x')).toThrow("'not' is not supported for default.jsonSchema");
  });
});

describe('guardrail lists', () => {
  it('names, inline definitions and shorthand in one list', () => {
    const list = parseGuardrailList(['short', { name: 'mine', checks: [{ type: 'json_valid' }] }, { 'default.wordCount': { minWords: 1, maxWords: 2 }, deny: true }], 'route input_guardrails', 'input_guardrails', config, false);
    expect(list.map((item) => [item.name, item.definition.action, item.definition.checks[0]!.type])).toEqual([
      ['short', 'deny', 'word_count'],
      ['mine', 'deny', 'json_valid'],
      ['inline-3', 'deny', 'word_count'],
    ]);
  });

  it('errors name the path and the parameter', () => {
    expect(thrown(() => parseGuardrailList('short', 'config input_guardrails', 'input_guardrails', config, true))).toMatchObject({ code: 'invalid_config', status: 400, message: 'config input_guardrails: expected a list of guardrail names or definitions', param: 'input_guardrails' });
    expect(thrown(() => parseGuardrailList([{ checks: [{ type: 'word_count', max: 'x' }] }], 'config input_guardrails', 'input_guardrails', config, true)).message).toBe('config input_guardrails[0].checks[0].max: Invalid input: expected number, received string');
    expect(thrown(() => parseGuardrailList([42], 'h', 'h', config, true)).message).toBe('h[0]: expected a guardrail name or definition');
  });

  it('clients may not bring network checks inline, or any inline guardrail under client_inline: none', () => {
    const inline = [{ checks: [{ type: 'webhook', url: 'http://127.0.0.1:9/' }] }];
    expect(thrown(() => parseGuardrailList(inline, 'x-switchyard-input-guardrails', 'x-switchyard-input-guardrails', config, true)).message).toBe(
      "x-switchyard-input-guardrails[0]: the 'webhook' check (webhook) reaches the network and is not accepted inline from clients; name a configured guardrail",
    );
    expect(parseGuardrailList(inline, 'route', 'input_guardrails', config, false)).toHaveLength(1);
    expect(parseGuardrailList(inline, 'x', 'x', { ...config, client_inline: 'all' }, true)).toHaveLength(1);
    expect(thrown(() => parseGuardrailList([{ checks: [{ type: 'pii' }] }], 'x', 'x', { ...config, client_inline: 'none' }, true)).message).toBe('x[0]: inline guardrails are not accepted from clients; name a configured one');
    expect(parseGuardrailList(['hook'], 'x', 'x', { ...config, client_inline: 'none' }, true).map((item) => item.name)).toEqual(['hook']);
  });
});

describe('resolving a request', () => {
  const resolve = createGuardrailResolver(config);
  const names = (list: readonly { name: string }[]): string[] => list.map((item) => item.name);

  it('defaults, team, key, route and headers, in that order, each guardrail once', () => {
    const route: RouteNode = { model: 'm', input_guardrails: ['pii', { name: 'route-own', checks: [{ type: 'json_valid' }] }], output_guardrails: ['pii'] };
    const headers: Record<string, string> = { 'x-switchyard-input-guardrails': 'short, hook', 'x-switchyard-output-guardrails': '[{"default.wordCount": {"minWords": 1, "maxWords": 9}}]' };
    const sets = resolve(facts({ route, keyId: 'key_1', teamId: 'team_1', header: (name) => headers[name] }));
    expect(names(sets.input)).toEqual(['pii', 'short', 'route-own', 'hook']);
    expect(names(sets.output)).toEqual(['short', 'pii', 'request-output-1']);
  });

  it('request headers can be switched off', () => {
    const quiet = createGuardrailResolver({ ...config, request_headers: false });
    expect(names(quiet(facts({ header: () => 'short' })).input)).toEqual(['pii']);
  });

  it('guardrails on a nested target are refused, not ignored', () => {
    const route: RouteNode = { strategy: { mode: 'fallback' }, targets: [{ model: 'a', output_guardrails: ['short'] }, { model: 'b' }] };
    expect(thrown(() => resolve(facts({ route }))).message).toBe("route targets[0].output_guardrails: guardrails are set on the route's root, not on a target");
  });

  it('a config route is parsed once', () => {
    const route: RouteNode = { model: 'm', input_guardrails: [{ checks: [{ type: 'pii' }] }] };
    expect(resolve(facts({ route })).input[1]).toBe(resolve(facts({ route })).input[1]);
  });

  it('a bad header is a 400 naming it', () => {
    expect(thrown(() => resolve(facts({ header: (name) => (name === 'x-switchyard-input-guardrails' ? '[not json' : undefined) })))).toMatchObject({ code: 'invalid_config', param: 'x-switchyard-input-guardrails' });
  });
});
