/** The LLM-judge check with a fake judge: answers, the cache and its time to live, sharing, the time-out and fail modes. */
import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatRequest } from '../../src/api/chat-schema.js';
import { JudgeRunner, judgeRequest, parseAnswer } from '../../src/guardrails/checks/llm-judge.js';
import { completion, silentLogger } from './helpers.js';
import { check } from './subject.js';

function fakeJudge(answer: string | ((request: ChatRequest) => Promise<ChatCompletion>)) {
  const calls: ChatRequest[] = [];
  const judge = async (request: ChatRequest): Promise<ChatCompletion> => {
    calls.push(request);
    return typeof answer === 'string' ? completion(answer) : answer(request);
  };
  return { judge, calls };
}

const polite = check({ type: 'llm_judge', model: 'judge-route', question: 'Is the text polite?', rubric: 'Rude words or insults make it impolite.' });

describe('LLM judge', () => {
  it('asks the configured route a yes/no question with the rubric and the text', () => {
    expect(judgeRequest(polite, 'Thanks!')).toEqual({
      model: 'judge-route',
      temperature: 0,
      stream: false,
      messages: [
        { role: 'system', content: 'You are a strict evaluator. Answer with one word: YES or NO.\n\nRubric:\nRude words or insults make it impolite.' },
        { role: 'user', content: 'Question: Is the text polite?\n\nText to evaluate:\n<<<\nThanks!\n>>>\n\nAnswer YES or NO.' },
      ],
    });
    expect(judgeRequest(check({ type: 'llm_judge', model: 'm', question: 'q', max_tokens: 3 }), 't').max_tokens).toBe(3);
  });

  it('reads yes and no, ignoring case and decoration', () => {
    expect(parseAnswer(completion('YES'))).toBe('yes');
    expect(parseAnswer(completion('**No.** It is rude.'))).toBe('no');
    expect(parseAnswer(completion('Yesterday it was'))).toBeUndefined();
    expect(parseAnswer(completion(null))).toBeUndefined();
  });

  it('passes on the configured answer', async () => {
    const { judge } = fakeJudge('no');
    const runner = new JudgeRunner(judge, { now: () => 0 }, silentLogger, 10);
    expect(await runner.run(polite, 'You fool')).toEqual({ passed: false, explanation: 'the judge answered no; the check passes on yes' });
    expect(await runner.run(check({ type: 'llm_judge', model: 'judge-route', question: 'Is it rude?', pass_when: 'no' }), 'Hello')).toEqual({ passed: true, explanation: 'the judge answered no; the check passes on no' });
  });

  it('caches answers for the time to live, per text, question and model', async () => {
    let now = 0;
    const { judge, calls } = fakeJudge('yes');
    const runner = new JudgeRunner(judge, { now: () => now }, silentLogger, 10);
    const rule = check({ type: 'llm_judge', model: 'judge-route', question: 'Polite?', cache_ttl_ms: 1000 });
    expect(await runner.run(rule, 'Hi')).toEqual({ passed: true, explanation: 'the judge answered yes; the check passes on yes' });
    now = 999;
    expect(await runner.run(rule, 'Hi')).toEqual({ passed: true, explanation: 'the judge answered yes (cached); the check passes on yes' });
    await runner.run(rule, 'Hello');
    await runner.run({ ...rule, question: 'Kind?' }, 'Hi');
    expect(calls).toHaveLength(3);
    now = 1000;
    await runner.run(rule, 'Hi');
    expect(calls).toHaveLength(4);
  });

  it('a time to live of 0 does not cache; the cache size bounds what is kept', async () => {
    const { judge, calls } = fakeJudge('yes');
    const uncached = new JudgeRunner(judge, { now: () => 0 }, silentLogger, 10);
    const rule = check({ type: 'llm_judge', model: 'm', question: 'q', cache_ttl_ms: 0 });
    await uncached.run(rule, 'a');
    await uncached.run(rule, 'a');
    expect(calls).toHaveLength(2);
    const small = new JudgeRunner(judge, { now: () => 0 }, silentLogger, 1);
    const cached = check({ type: 'llm_judge', model: 'm', question: 'q' });
    await small.run(cached, 'a');
    await small.run(cached, 'b');
    await small.run(cached, 'a');
    expect(calls).toHaveLength(5);
  });

  it('identical questions in flight share one call', async () => {
    let release: (() => void) | undefined;
    const { judge, calls } = fakeJudge(() => new Promise((resolve) => (release = () => resolve(completion('yes')))));
    const runner = new JudgeRunner(judge, { now: () => 0 }, silentLogger, 10);
    const both = Promise.all([runner.run(polite, 'x'), runner.run(polite, 'x')]);
    await new Promise((resolve) => setImmediate(resolve));
    release!();
    expect((await both).map((outcome) => outcome.passed)).toEqual([true, true]);
    expect(calls).toHaveLength(1);
  });

  it('a time-out, an error or an unclear answer follow the fail mode, and are not cached', async () => {
    const hanging = fakeJudge((request) => new Promise(() => void request));
    const runner = new JudgeRunner(hanging.judge, { now: () => 0 }, silentLogger, 10);
    expect(await runner.run(check({ type: 'llm_judge', model: 'm', question: 'q', timeout_ms: 20 }), 'x')).toEqual({ passed: false, explanation: 'the judge timed out after 20 ms; failed (fail-closed)' });
    expect(await runner.run(check({ type: 'llm_judge', model: 'm', question: 'q', timeout_ms: 20, fail_mode: 'open' }), 'x')).toEqual({ passed: true, explanation: 'the judge timed out after 20 ms; passed (fail-open)' });
    const failing = fakeJudge(() => Promise.reject(new Error('route down')));
    expect(await new JudgeRunner(failing.judge, { now: () => 0 }, silentLogger, 10).run(polite, 'x')).toEqual({ passed: false, explanation: 'the judge failed: route down; failed (fail-closed)' });
    const unclear = fakeJudge('Maybe');
    const unclearRunner = new JudgeRunner(unclear.judge, { now: () => 0 }, silentLogger, 10);
    expect(await unclearRunner.run(polite, 'x')).toEqual({ passed: false, explanation: 'the judge failed: the answer was neither yes nor no; failed (fail-closed)' });
    await unclearRunner.run(polite, 'x');
    expect(unclear.calls).toHaveLength(2);
  });
});
