/**
 * The webhook check: POSTs the check's context as JSON to a URL, which
 * answers `{"verdict": true|false, "explanation"?: "..."}` with a 2xx status.
 * A time-out, a network error, another status or an unreadable answer passes
 * the check under `fail_mode: open` and fails it under `closed` (the default).
 */
import { Agent, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { CheckOf } from './check-schemas.js';
import type { CheckOutcome } from './check-types.js';

const answerSchema = z.looseObject({ verdict: z.boolean(), explanation: z.string().max(2000).optional() });

/** What the webhook receives. */
export interface WebhookPayload {
  readonly guardrail: string;
  readonly check: string;
  readonly stage: 'input' | 'output';
  readonly request_type: string;
  readonly model: string | undefined;
  readonly text: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly key_id?: string;
  readonly team_id?: string;
  readonly request: unknown;
  readonly response?: unknown;
}

class WebhookTimeout extends Error {}

const maxAnswerBytes = 64 * 1024;

export class WebhookClient {
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly logger: Logger,
    private readonly dispatcher: Dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64 }),
  ) {}

  async run(check: CheckOf<'webhook'>, payload: WebhookPayload): Promise<CheckOutcome> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new WebhookTimeout()), check.timeout_ms);
    try {
      const response = await request(check.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...check.headers },
        body: JSON.stringify(payload),
        signal: controller.signal,
        dispatcher: this.dispatcher,
      });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`the webhook answered HTTP ${response.statusCode}`);
      if (text.length > maxAnswerBytes) throw new Error('the webhook answer is too large');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error('the webhook answer is not JSON');
      }
      const answer = answerSchema.safeParse(body);
      if (!answer.success) throw new Error('the webhook answer has no boolean verdict');
      return { passed: answer.data.verdict, explanation: answer.data.explanation ?? `the webhook answered ${answer.data.verdict ? 'pass' : 'fail'}` };
    } catch (error) {
      const reason = controller.signal.reason instanceof WebhookTimeout ? `the webhook timed out after ${check.timeout_ms} ms` : error instanceof Error ? error.message : String(error);
      this.logger.warn({ url: check.url, reason, failMode: check.fail_mode }, 'guardrail webhook failed');
      return check.fail_mode === 'open' ? { passed: true, explanation: `${reason}; passed (fail-open)` } : { passed: false, explanation: `${reason}; failed (fail-closed)` };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  async close(): Promise<void> {
    for (const controller of this.inFlight) controller.abort(new Error('the gateway is stopping'));
    await this.dispatcher.close();
  }
}
