/**
 * Runs guardrails' checks on a subject, all at once (a webhook and a judge
 * wait together), timing each one, and turns the results into verdicts for
 * the request log and into the denial error.
 */
import type { Logger } from 'pino';
import { GatewayError } from '../api/errors.js';
import type { GuardrailVerdict } from '../api/request-record.js';
import { checkName, type Check } from './checks/check-schemas.js';
import type { CheckOutcome, CheckSubject, Side } from './checks/check-types.js';
import { runCheck, type CheckServices } from './checks/run-check.js';
import type { Clock } from './clock.js';
import type { ResolvedGuardrail } from './config-schema.js';

export interface CheckRun {
  readonly guardrail: ResolvedGuardrail;
  readonly check: Check;
  readonly outcome: CheckOutcome;
  readonly latencyMs: number;
}

export interface Evaluator {
  readonly services: CheckServices;
  readonly clock: Clock;
  readonly logger: Logger;
}

function failedToRun(error: unknown, evaluator: Evaluator, guardrail: string, check: Check): CheckOutcome {
  evaluator.logger.error({ err: error, guardrail, check: checkName(check) }, 'a guardrail check failed to run');
  return { passed: false, explanation: `the check failed to run: ${error instanceof Error ? error.message : String(error)}` };
}

/** Goes on with a value at once, or once its promise settles: offline checks answer at once, and then need no turn of the event loop. */
export function andThen<T, U>(value: T | Promise<T>, next: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** The runs, as they are when every check answered at once, or a promise of them when one has to wait (a webhook, a judge). */
export function runGuardrails(guardrails: readonly ResolvedGuardrail[], subjectFor: (guardrail: ResolvedGuardrail) => CheckSubject, evaluator: Evaluator): CheckRun[] | Promise<CheckRun[]> {
  const runs: (CheckRun | Promise<CheckRun>)[] = [];
  let waiting = false;
  for (const guardrail of guardrails) {
    const subject = subjectFor(guardrail);
    for (const check of guardrail.definition.checks) {
      const started = evaluator.clock.now();
      let outcome: CheckOutcome | Promise<CheckOutcome>;
      try {
        outcome = runCheck(check, subject, evaluator.services, guardrail.name);
      } catch (error) {
        outcome = failedToRun(error, evaluator, guardrail.name, check);
      }
      if (outcome instanceof Promise) {
        waiting = true;
        const finish = (settled: CheckOutcome): CheckRun => ({ guardrail, check, outcome: settled, latencyMs: evaluator.clock.now() - started });
        runs.push(outcome.then(finish, (error: unknown) => finish(failedToRun(error, evaluator, guardrail.name, check))));
      } else {
        runs.push({ guardrail, check, outcome, latencyMs: evaluator.clock.now() - started });
      }
    }
  }
  // Offline checks answer at once: no promise to wait for.
  return waiting ? Promise.all(runs) : (runs as CheckRun[]);
}

/**
 * Verdict names by check, with the guardrail name each was made for: a check belongs to
 * one definition, used under one name (nearly always), so each request's verdicts share
 * the same strings (cheaper to key the metrics by, and nothing to build).
 */
const verdictNames = new WeakMap<Check, { readonly guardrail: string; readonly name: string }>();

export function verdictName(run: Pick<CheckRun, 'guardrail' | 'check'>): string {
  const known = verdictNames.get(run.check);
  if (known !== undefined && known.guardrail === run.guardrail.name) return known.name;
  const name = `${run.guardrail.name}:${checkName(run.check)}`;
  verdictNames.set(run.check, { guardrail: run.guardrail.name, name });
  return name;
}

export function toVerdict(run: CheckRun, side: Side, explanation = run.outcome.explanation): GuardrailVerdict {
  return {
    name: verdictName(run),
    stage: side,
    passed: run.outcome.passed,
    action: run.guardrail.definition.action,
    latencyMs: Math.round(run.latencyMs * 100) / 100,
    explanation,
  };
}

/** One failed check, as the error body lists it. */
export interface FailedCheck {
  readonly guardrail: string;
  readonly check: string;
  readonly stage: Side;
  readonly explanation: string;
}

export function failedCheck(run: Pick<CheckRun, 'guardrail' | 'check'>, side: Side, explanation: string): FailedCheck {
  return { guardrail: run.guardrail.name, check: checkName(run.check), stage: side, explanation };
}

/**
 * The error for failed checks: `guardrail_denied` (deny), or the retryable
 * `guardrail_failed` (fallback), with the checks in `error.failed_checks`.
 */
export function guardrailError(code: 'guardrail_denied' | 'guardrail_failed', failures: readonly FailedCheck[], status: number): GatewayError {
  const subject = failures[0]?.stage === 'output' ? 'The answer' : 'The request';
  const list = failures.map((failure) => `${failure.guardrail}:${failure.check} (${failure.explanation})`).join('; ');
  return new GatewayError(code, { status, message: `${subject} failed guardrail checks: ${list}`, details: { failed_checks: failures } });
}

/** The status of a denial: the first failing guardrail's own, else the config's. */
export function denyStatus(failures: readonly Pick<CheckRun, 'guardrail'>[], fallbackStatus: number): number {
  return failures.find((failure) => failure.guardrail.definition.status !== undefined)?.guardrail.definition.status ?? fallbackStatus;
}
