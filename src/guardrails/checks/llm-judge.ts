/**
 * The LLM-judge check: asks a model (through the gateway itself) a yes/no
 * question about the text, with an optional rubric. Answers are cached by
 * (model, question, rubric, text) for `cache_ttl_ms`; identical questions in
 * flight share one call. A time-out, an error or an answer that is neither
 * yes nor no passes under `fail_mode: open` and fails under `closed`.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { ChatCompletion, ChatRequest } from '../../api/chat-schema.js';
import type { Clock } from '../clock.js';
import type { CheckOf } from './check-schemas.js';
import type { CheckOutcome } from './check-types.js';

/** Calls a gateway route; the signal is aborted when the check times out. */
export type Judge = (request: ChatRequest, signal?: AbortSignal) => Promise<ChatCompletion>;

type Answer = 'yes' | 'no';

interface CachedAnswer {
  readonly answer: Answer;
  readonly expiresAt: number;
}

class JudgeTimeout extends Error {}

export function judgeRequest(check: CheckOf<'llm_judge'>, text: string): ChatRequest {
  const system = `You are a strict evaluator. Answer with one word: YES or NO.${check.rubric ? `\n\nRubric:\n${check.rubric}` : ''}`;
  const user = `Question: ${check.question}\n\nText to evaluate:\n<<<\n${text}\n>>>\n\nAnswer YES or NO.`;
  const request: ChatRequest = { model: check.model, messages: [{ role: 'system', content: system }, { role: 'user', content: user }], temperature: 0, stream: false };
  if (check.max_tokens !== undefined) request.max_tokens = check.max_tokens;
  return request;
}

export function parseAnswer(completion: ChatCompletion): Answer | undefined {
  const content = completion.choices[0]?.message.content ?? '';
  const match = /^[\W_]*(yes|no)\b/i.exec(content.trim());
  return match ? (match[1]!.toLowerCase() as Answer) : undefined;
}

export class JudgeRunner {
  private readonly cache: LRUCache<string, CachedAnswer>;
  private readonly pending = new Map<string, Promise<Answer>>();
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly judge: Judge,
    private readonly clock: Clock,
    private readonly logger: Logger,
    cacheSize: number,
  ) {
    this.cache = new LRUCache({ max: Math.max(1, cacheSize) });
  }

  async run(check: CheckOf<'llm_judge'>, text: string): Promise<CheckOutcome> {
    const key = createHash('sha256').update(JSON.stringify([check.model, check.question, check.rubric ?? '', text])).digest('base64url');
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.clock.now()) return this.outcome(check, cached.answer, true);
    try {
      let answer = this.pending.get(key);
      if (!answer) {
        answer = this.ask(check, text).finally(() => this.pending.delete(key));
        this.pending.set(key, answer);
      }
      const result = await answer;
      if (check.cache_ttl_ms > 0) this.cache.set(key, { answer: result, expiresAt: this.clock.now() + check.cache_ttl_ms });
      return this.outcome(check, result, false);
    } catch (error) {
      const reason = error instanceof JudgeTimeout ? `the judge timed out after ${check.timeout_ms} ms` : `the judge failed: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.warn({ model: check.model, reason, failMode: check.fail_mode }, 'guardrail judge failed');
      return check.fail_mode === 'open' ? { passed: true, explanation: `${reason}; passed (fail-open)` } : { passed: false, explanation: `${reason}; failed (fail-closed)` };
    }
  }

  private outcome(check: CheckOf<'llm_judge'>, answer: Answer, cached: boolean): CheckOutcome {
    return { passed: answer === check.pass_when, explanation: `the judge answered ${answer}${cached ? ' (cached)' : ''}; the check passes on ${check.pass_when}` };
  }

  private async ask(check: CheckOf<'llm_judge'>, text: string): Promise<Answer> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort(new JudgeTimeout());
        reject(new JudgeTimeout());
      }, check.timeout_ms);
    });
    try {
      const completion = await Promise.race([this.judge(judgeRequest(check, text), controller.signal), timeout]);
      const answer = parseAnswer(completion);
      if (!answer) throw new Error('the answer was neither yes nor no');
      return answer;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  stop(): void {
    for (const controller of this.inFlight) controller.abort(new Error('the gateway is stopping'));
    this.cache.clear();
  }
}
