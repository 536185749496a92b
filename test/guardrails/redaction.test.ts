/** Placeholders, restoring them, and streamed redaction at every chunk boundary. */
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/guardrails/checks/check-schemas.js';
import type { RedactingCheck } from '../../src/guardrails/checks/run-check.js';
import { guardrailDefinitionSchema, type ResolvedGuardrail } from '../../src/guardrails/config-schema.js';
import { applySpans, PlaceholderRegistry, StreamRestorer } from '../../src/guardrails/redaction.js';
import { ChoiceGuard, EarlyFailureError } from '../../src/guardrails/stream/choice-guard.js';
import { earlyCheck } from '../../src/guardrails/stream/early-checks.js';
import { piiSpans } from '../../src/guardrails/checks/pii-check.js';
import { resolveOverlaps } from '../../src/guardrails/span.js';
import { subject } from './subject.js';
import { silentLogger } from './helpers.js';
import { WebhookClient } from '../../src/guardrails/checks/webhook.js';
import { chatRequestSchema } from '../../src/api/chat-schema.js';
import { rewriteChat } from '../../src/guardrails/request-text.js';

describe('placeholders', () => {
  it('number each label in the order first seen, the same value keeping its placeholder', () => {
    const registry = new PlaceholderRegistry();
    expect(registry.placeholder('EMAIL', 'a@x.io', false)).toBe('[EMAIL_1]');
    expect(registry.placeholder('PHONE', '+1 415 555 0132', false)).toBe('[PHONE_1]');
    expect(registry.placeholder('EMAIL', 'b@x.io', false)).toBe('[EMAIL_2]');
    expect(registry.placeholder('EMAIL', 'a@x.io', false)).toBe('[EMAIL_1]');
  });

  it('restore only what was marked restorable, leaving other brackets alone', () => {
    const registry = new PlaceholderRegistry();
    registry.placeholder('EMAIL', 'a@x.io', true);
    registry.placeholder('SECRET', 'sk-123', false);
    expect(registry.canRestore).toBe(true);
    expect(registry.restore('to [EMAIL_1], not [SECRET_1], [EMAIL_2] or [link]')).toBe('to a@x.io, not [SECRET_1], [EMAIL_2] or [link]');
    expect(new PlaceholderRegistry().canRestore).toBe(false);
  });

  it('applySpans replaces each span', () => {
    const registry = new PlaceholderRegistry();
    const text = 'a@x.io and b@y.io';
    expect(applySpans(text, [{ start: 0, end: 6, label: 'EMAIL' }, { start: 11, end: 17, label: 'EMAIL' }], registry, false)).toBe('[EMAIL_1] and [EMAIL_2]');
    expect(applySpans(text, [], registry, false)).toBe(text);
  });

  it('overlapping spans keep the earliest, then the longest', () => {
    expect(resolveOverlaps([{ start: 5, end: 9, label: 'B' }, { start: 0, end: 6, label: 'A' }, { start: 0, end: 3, label: 'C' }, { start: 9, end: 10, label: 'D' }])).toEqual([
      { start: 0, end: 6, label: 'A' },
      { start: 9, end: 10, label: 'D' },
    ]);
  });

  it('a streamed restore holds back a placeholder split across pieces, and lets a lone [ go', () => {
    const registry = new PlaceholderRegistry();
    registry.placeholder('EMAIL', 'a@x.io', true);
    const restorer = new StreamRestorer(registry);
    expect(['Hi [', 'EMA', 'IL_1', '] and [', 'x] [EM'].map((piece) => restorer.push(piece))).toEqual(['Hi ', '', '', 'a@x.io and ', '[x] ']);
    expect(restorer.flush()).toBe('[EM');
  });
});

const pii = checkSchema.parse({ type: 'pii' }) as Extract<RedactingCheck, { type: 'pii' }>;
const guardrail: ResolvedGuardrail = { name: 'pii', definition: guardrailDefinitionSchema.parse({ action: 'redact', checks: [{ type: 'pii' }] }) };

function guard(options: { lookahead?: number; early?: boolean } = {}): { guard: ChoiceGuard; registry: PlaceholderRegistry } {
  const registry = new PlaceholderRegistry();
  const clean: ResolvedGuardrail = { name: 'clean', definition: guardrailDefinitionSchema.parse({ checks: [{ type: 'contains', words: ['darn'] }] }) };
  const early = options.early ? [earlyCheck(clean, clean.definition.checks[0]!, (text) => subject(text, { side: 'output' }), { webhooks: new WebhookClient(silentLogger), judges: undefined })!] : [];
  return { guard: new ChoiceGuard({ early, redactors: options.early ? [] : [{ guardrail, check: pii }], lookahead: options.lookahead ?? 64, registry, restorer: undefined, now: () => 0 }), registry };
}

function stream(pieces: readonly string[], options: { lookahead?: number } = {}): string[] {
  const { guard: choice } = guard(options);
  return [...pieces.map((piece) => choice.push(piece)), choice.flush()];
}

const text = 'Mail ann@example.org, card 4111 1111 1111 1111, key sk-proj-Ab3De5Gh7Jk9Lm1Np3Qr5St7, call +44 20 7946 0958 ok.';
const expected = 'Mail [EMAIL_1], card [CREDIT_CARD_1], key [SECRET_1], call [PHONE_1] ok.';
const fragments = ['ann', '@', 'example', '4111', '1111', 'sk-', 'Ab3', '7946', '0958', '+44'];

describe('streamed redaction', () => {
  it('matches the whole-text redaction at every single split point, and no piece carries a fragment', () => {
    const registry = new PlaceholderRegistry();
    expect(applySpans(text, piiSpans(pii, text), registry, false)).toBe(expected);
    for (let split = 0; split <= text.length; split += 1) {
      const pieces = stream([text.slice(0, split), text.slice(split)]);
      expect(pieces.join(''), `split at ${split}`).toBe(expected);
      for (const fragment of fragments) expect(pieces.some((piece) => piece.includes(fragment)), `split at ${split}: ${fragment}`).toBe(false);
    }
  });

  it('one character at a time', () => {
    const pieces = stream([...text]);
    expect(pieces.join('')).toBe(expected);
    for (const fragment of fragments) expect(pieces.some((piece) => piece.includes(fragment))).toBe(false);
  });

  it('three pieces, at many pairs of split points', () => {
    for (let first = 1; first < text.length; first += 7) {
      for (let second = first + 1; second < text.length; second += 5) {
        expect(stream([text.slice(0, first), text.slice(first, second), text.slice(second)]).join(''), `${first}/${second}`).toBe(expected);
      }
    }
  });

  it('text without PII flows, held back only by the lookahead', () => {
    const words = 'The quick brown fox jumps over the lazy dog and keeps running through the field until sunset comes. ';
    const pieces = stream([words, words, words]);
    expect(pieces.join('')).toBe(words.repeat(3));
    expect(pieces[0]).toBe(words.slice(0, words.length - 64));
  });

  it('the lookahead is what catches an entity that has spaces: with none, a card split at a space leaks its start', () => {
    const card = ['card 4111 1111 ', '1111 1111 paid.'];
    // The rest of a match whose start already left is still replaced.
    expect(stream(card, { lookahead: 0 })).toEqual(['card 4111 1111 ', '[CREDIT_CARD_1] ', 'paid.']);
    expect(stream(card).join('')).toBe('card [CREDIT_CARD_1] paid.');
  });

  it('a long unbroken token is held until it ends, so a split secret is caught whole', () => {
    const secret = `sk-${'Ab3De5Gh7Jk9Lm1Np3Qr5St7'.repeat(8)}`;
    const pieces = stream(['key ', secret.slice(0, 100), secret.slice(100), ' done']);
    expect(pieces.join('')).toBe('key [SECRET_1] done');
    expect(pieces.slice(0, 3).join('')).toBe('key ');
  });
});

describe('early checks on a stream', () => {
  it('judge settled text only: a word being written is not judged until it ends', () => {
    const { guard: choice } = guard({ early: true });
    expect(choice.push('The ass')).toBe('The ');
    expect(choice.push('istant says darn')).toBe('assistant says ');
    expect(choice.push('!')).toBe('');
    expect(() => choice.push(' Then')).toThrow(EarlyFailureError);
  });

  it('a failure carries the check and its explanation', () => {
    const { guard: choice } = guard({ early: true });
    let caught: unknown;
    try {
      choice.push('well darn ');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EarlyFailureError);
    expect((caught as EarlyFailureError).failure).toMatchObject({ early: { guardrail: { name: 'clean' }, check: { type: 'contains' } }, outcome: { passed: false, explanation: "found 'darn'" }, latencyMs: 0 });
  });
});

describe('a redacted request', () => {
  it("keeps each rewritten part's prompt-cache breakpoint, so redaction does not cost the cache", () => {
    const chat = chatRequestSchema.parse({
      model: 'anthropic/claude',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Escalate to ops@example.com.', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
        { role: 'user', content: [{ type: 'text', text: 'I am ann@example.org' }, { type: 'text', text: 'no pii', cache_control: { type: 'ephemeral' } }] },
      ],
    });
    const rewritten = rewriteChat(chat, new Map([['0.0', 'Escalate to [EMAIL_1].'], ['1.0', 'I am [EMAIL_2]']]));
    expect(rewritten.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Escalate to [EMAIL_1].', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      { role: 'user', content: [{ type: 'text', text: 'I am [EMAIL_2]' }, { type: 'text', text: 'no pii', cache_control: { type: 'ephemeral' } }] },
    ]);
    expect(chat.messages[0]!.content).toEqual([{ type: 'text', text: 'Escalate to ops@example.com.', cache_control: { type: 'ephemeral', ttl: '1h' } }]);
  });
});
