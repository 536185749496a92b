/**
 * The shortcuts around running checks: regex matches counted without listing
 * them, the request's text read once a scope, one checked choice without the
 * combining step, and the config's own guardrail lists resolved once.
 */
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from '../../src/api/chat-schema.js';
import { runRegex } from '../../src/guardrails/checks/regex.js';
import { guardrailsConfigSchema, type GuardrailDefinitionInput } from '../../src/guardrails/config-schema.js';
import type { Evaluator } from '../../src/guardrails/evaluate.js';
import { createState } from '../../src/guardrails/exchange-state.js';
import { runInputGuardrails } from '../../src/guardrails/input-guard.js';
import { applyOutputGuardrails, runOnChoices } from '../../src/guardrails/output-guard.js';
import { createGuardrailResolver, type RequestFactsForGuardrails } from '../../src/guardrails/resolve-guardrails.js';
import type { Exchange } from '../../src/server/pipeline.js';
import { silentLogger } from './helpers.js';
import { check, subject } from './subject.js';

const evaluator: Evaluator = {
  services: { webhooks: undefined as never, judges: undefined },
  clock: { now: () => 0 },
  logger: silentLogger as Logger,
};

function chatExchange(messages: { role: 'system' | 'user' | 'assistant'; content: string }[]): Exchange {
  const response = { headersSent: false, setHeader: () => undefined };
  return { kind: 'chat', context: { request: { headers: {} }, response, metadata: {} }, state: {}, chat: { model: 'm', messages }, candidates: [], guardrails: [] } as unknown as Exchange;
}

function answer(...contents: (string | null)[]): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: contents.map((content, index) => ({ index, message: { role: 'assistant', content }, finish_reason: 'stop' })),
  } as ChatCompletion;
}

function guardrails(definitions: Record<string, GuardrailDefinitionInput>) {
  const config = guardrailsConfigSchema.parse({ definitions, default_input: Object.keys(definitions), default_output: Object.keys(definitions) });
  const resolve = createGuardrailResolver(config);
  const facts: RequestFactsForGuardrails = { route: undefined, routeFromClient: false, keyId: undefined, teamId: undefined, header: () => undefined };
  return { config, sets: resolve(facts) };
}

describe('regex matches are counted as matchAll lists them', () => {
  it('empty matches move on by a character, or by a whole code point with u', () => {
    const cases: [string, string, string][] = [
      ['^', '', 'a\nb'],
      ['(?:)', '', 'ab'],
      ['(?:)', 'u', 'a😀b'],
      ['(?:)', '', 'a😀b'],
      ['x*', 'u', '😀x😀xx'],
      ['$', 'm', 'a\nb\n'],
      ['\\b', '', 'one two'],
      ['o', 'i', 'Oo O'],
    ];
    for (const [pattern, flags, text] of cases) {
      const expected = [...text.matchAll(new RegExp(pattern, `${flags}g`))].length;
      expect(runRegex(check({ type: 'regex', pattern, flags }), subject(text)).explanation, `/${pattern}/${flags} on ${JSON.stringify(text)}`).toContain(`(${expected} match`);
    }
  });

  it('over several segments, and again after a text without a match', () => {
    const rule = check({ type: 'regex', pattern: 'ab', not: true });
    expect(runRegex(rule, subject(['ab ab', 'x', 'ab']))).toMatchObject({ passed: false, explanation: 'the text matches /ab/ (3 matches)' });
    expect(runRegex(rule, subject('none'))).toEqual({ passed: true, explanation: 'the text does not match /ab/', spans: [] });
    expect(runRegex(rule, subject('ab')).spans).toEqual([{ start: 0, end: 2, label: 'REDACTED', segment: 0 }]);
  });
});

describe('input: the text of each scope is read once and shared', () => {
  it('guardrails on the same scope see the same slots, and redact together', async () => {
    const { config, sets } = guardrails({
      pii: { action: 'redact', checks: [{ type: 'pii' }] },
      orders: { action: 'redact', checks: [{ type: 'regex', pattern: 'ORD-\\d+', not: true, label: 'ORDER' }] },
      last: { action: 'log', scope: 'last', checks: [{ type: 'contains', words: ['refund'], operator: 'any' }] },
    });
    const exchange = chatExchange([
      { role: 'system', content: 'Mail ann@example.com about ORD-12.' },
      { role: 'user', content: 'Where is ORD-34? bob@example.com' },
    ]);
    await runInputGuardrails(exchange, createState(exchange, sets.input, []), evaluator, config);
    expect(exchange.chat!.messages.map((message) => message.content)).toEqual(['Mail [EMAIL_1] about [ORDER_1].', 'Where is [ORDER_2]? [EMAIL_2]']);
    expect(exchange.guardrails.map((verdict) => [verdict.name, verdict.passed, verdict.explanation])).toEqual([
      ['pii:pii', false, 'found 2 PII items: 2 email'],
      ['orders:regex', false, 'the text matches /ORD-\\d+/ (2 matches)'],
      ['last:contains', false, 'none of the words was found'],
    ]);
  });
});

describe('output: one checked choice, or several', () => {
  const { config, sets } = guardrails({
    pii: { action: 'redact', checks: [{ type: 'pii' }] },
    short: { action: 'log', checks: [{ type: 'word_count', max: 3 }] },
  });

  it('one checked choice (after one without text): its spans under its own position', async () => {
    const runs = await runOnChoices(chatExchange([]), sets.output, [null, 'write to ann@example.com'], undefined, evaluator);
    expect(runs.map((run) => [run.passed, run.explanation, [...run.spans.keys()]])).toEqual([
      [false, 'found 1 PII item: 1 email', [1]],
      [false, '4 words; expected at most 3', []],
    ]);
  });

  it('several checked choices: failures named by choice, spans by choice position', async () => {
    const runs = await runOnChoices(chatExchange([]), sets.output, ['ann@example.com', null, 'one two three four and bob@example.com'], undefined, evaluator);
    expect(runs.map((run) => [run.passed, run.explanation, [...run.spans.keys()]])).toEqual([
      [false, 'choice 0: found 1 PII item: 1 email; choice 2: found 1 PII item: 1 email', [0, 2]],
      [false, 'choice 2: 7 words; expected at most 3', []],
    ]);
  });

  it('the answer is redacted choice by choice either way', async () => {
    for (const contents of [['mail ann@example.com'], ['mail ann@example.com', null, 'and bob@example.com']]) {
      const exchange = chatExchange([]);
      const state = createState(exchange, [], sets.output);
      const result = await applyOutputGuardrails(exchange, state, answer(...contents), evaluator, config);
      expect(result.choices.map((choice) => choice.message.content)).toEqual(contents.map((content) => content?.replace('ann@example.com', '[EMAIL_1]').replace('bob@example.com', '[EMAIL_2]') ?? null));
    }
  });
});

describe('the config lists are resolved once', () => {
  const config = guardrailsConfigSchema.parse({
    definitions: { a: { checks: [{ type: 'word_count', max: 9 }] }, b: { checks: [{ type: 'word_count', max: 9 }] } },
    keys: { key_1: { input: ['b', 'a'] } },
    default_input: ['a', 'a', 'b'],
  });
  const resolve = createGuardrailResolver(config);
  const facts = (keyId?: string): RequestFactsForGuardrails => ({ route: undefined, routeFromClient: false, keyId, teamId: undefined, header: () => undefined });

  it('defaults alone: each guardrail once, the same list every request', () => {
    expect(resolve(facts()).input.map((guardrail) => guardrail.name)).toEqual(['a', 'b']);
    expect(resolve(facts()).input).toBe(resolve(facts()).input);
    expect(resolve(facts()).output).toEqual([]);
  });

  it('defaults with a key: still each guardrail once, in order of first attachment', () => {
    expect(resolve(facts('key_1')).input.map((guardrail) => guardrail.name)).toEqual(['a', 'b']);
  });
});
