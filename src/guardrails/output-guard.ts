/**
 * Output guardrails on a complete (non-streamed) answer. Each choice is
 * checked on its own text, after input placeholders are restored (the checks
 * see what the client would see). `fallback` guardrails run inside each
 * attempt and make the route try its next target; `deny`, `redact` and `log`
 * run on the final answer before it is sent.
 */
import type { ChatCompletion } from '../api/chat-schema.js';
import type { GuardrailVerdict } from '../api/request-record.js';
import type { Exchange } from '../server/pipeline.js';
import type { Check } from './checks/check-schemas.js';
import type { GuardrailsConfig, ResolvedGuardrail } from './config-schema.js';
import { andThen, denyStatus, failedCheck, guardrailError, runGuardrails, toVerdict, verdictName, type CheckRun, type Evaluator, type FailedCheck } from './evaluate.js';
import { flagLoggedFailures, subjectOf, type GuardState } from './exchange-state.js';
import { applySpans } from './redaction.js';
import { resolveOverlaps, type TextSpan } from './span.js';

/** One check's result over every choice. */
export interface ChoiceRuns {
  readonly guardrail: ResolvedGuardrail;
  readonly check: Check;
  readonly passed: boolean;
  readonly explanation: string;
  readonly latencyMs: number;
  /** Spans to redact, by choice position. */
  readonly spans: ReadonlyMap<number, readonly TextSpan[]>;
}

const noSpans: ReadonlyMap<number, readonly TextSpan[]> = new Map();

/** One checked choice (the usual case): each run as it is, its spans under the choice's position. */
function single(runs: readonly CheckRun[], position: number): ChoiceRuns[] {
  return runs.map((run) => {
    const spans = run.outcome.spans;
    return {
      guardrail: run.guardrail,
      check: run.check,
      passed: run.outcome.passed,
      explanation: run.outcome.explanation,
      latencyMs: run.latencyMs,
      spans: spans && spans.length > 0 ? new Map([[position, spans]]) : noSpans,
    };
  });
}

function combine(runsByChoice: readonly (readonly CheckRun[])[], choiceIndexes: readonly number[]): ChoiceRuns[] {
  const first = runsByChoice[0] ?? [];
  return first.map((run, position) => {
    const all = runsByChoice.map((runs) => runs[position]!);
    const failing = all.map((each, choice) => ({ each, choice })).filter(({ each }) => !each.outcome.passed);
    const explanation =
      failing.length === 0 || all.length === 1 ? all[0]!.outcome.explanation : failing.map(({ each, choice }) => `choice ${choiceIndexes[choice]}: ${each.outcome.explanation}`).join('; ');
    const spans = new Map<number, readonly TextSpan[]>();
    all.forEach((each, choice) => {
      if (each.outcome.spans && each.outcome.spans.length > 0) spans.set(choice, each.outcome.spans);
    });
    return { guardrail: run.guardrail, check: run.check, passed: failing.length === 0, explanation, latencyMs: Math.max(...all.map((each) => each.latencyMs)), spans };
  });
}

export function choiceVerdict(run: ChoiceRuns): GuardrailVerdict {
  return toVerdict({ guardrail: run.guardrail, check: run.check, latencyMs: run.latencyMs, outcome: { passed: run.passed, explanation: run.explanation } }, 'output');
}

/**
 * Runs guardrails on each choice that has text; `texts[i]` is choice i's text (null: no text, e.g. tool calls only).
 * The runs come back at once when every check answered at once (see `runGuardrails`).
 */
export function runOnChoices(exchange: Exchange, guardrails: readonly ResolvedGuardrail[], texts: readonly (string | null)[], completion: ChatCompletion | undefined, evaluator: Evaluator): ChoiceRuns[] | Promise<ChoiceRuns[]> {
  const positions: number[] = [];
  for (let position = 0; position < texts.length; position += 1) if (texts[position] !== null) positions.push(position);
  if (guardrails.length === 0 || positions.length === 0) return [];
  // Every guardrail reads the same subject for a choice.
  const runFor = (position: number): CheckRun[] | Promise<CheckRun[]> => {
    const subject = subjectOf(exchange, 'output', [texts[position]!], completion);
    return runGuardrails(guardrails, () => subject, evaluator);
  };
  if (positions.length === 1) return andThen(runFor(positions[0]!), (runs) => single(runs, positions[0]!));
  return Promise.all(positions.map(runFor)).then((runsByChoice) => {
    const combined = combine(runsByChoice, positions);
    // Spans were recorded by position among the checked choices; map them back to choice positions.
    return combined.map((run) => ({ ...run, spans: new Map([...run.spans].map(([checked, spans]) => [positions[checked]!, spans])) }));
  });
}

function restoredTexts(state: GuardState, completion: ChatCompletion): (string | null)[] {
  return completion.choices.map((choice) => (choice.message.content === null ? null : state.registry.restore(choice.message.content)));
}

function failures(runs: readonly ChoiceRuns[]): FailedCheck[] {
  return runs.map((run) => failedCheck(run, 'output', run.explanation));
}

export function checkFallbackGuardrails(exchange: Exchange, state: GuardState, completion: ChatCompletion, evaluator: Evaluator, config: GuardrailsConfig): void | Promise<void> {
  const guardrails = state.output.filter((guardrail) => guardrail.definition.action === 'fallback');
  if (guardrails.length === 0) return;
  return andThen(runOnChoices(exchange, guardrails, restoredTexts(state, completion), completion, evaluator), (runs) => {
    for (const run of runs) exchange.guardrails.push(choiceVerdict(run));
    const failed = runs.filter((run) => !run.passed);
    if (failed.length > 0) throw guardrailError('guardrail_failed', failures(failed), denyStatus(failed, config.deny_status));
    state.fallbackPassed = true;
  });
}

/** The spans `redact` guardrails found, by choice position (undefined: none). */
function redactions(failed: readonly ChoiceRuns[]): Map<number, TextSpan[]> | undefined {
  let spansByChoice: Map<number, TextSpan[]> | undefined;
  for (const run of failed) {
    if (run.guardrail.definition.action !== 'redact') continue;
    for (const [position, spans] of run.spans) {
      spansByChoice ??= new Map();
      spansByChoice.set(position, [...(spansByChoice.get(position) ?? []), ...spans]);
    }
  }
  return spansByChoice;
}

export function applyOutputGuardrails(exchange: Exchange, state: GuardState, completion: ChatCompletion, evaluator: Evaluator, config: GuardrailsConfig): ChatCompletion | Promise<ChatCompletion> {
  // `fallback` guardrails that did not run in an attempt (a cached answer) are applied here, as `deny`.
  const guardrails = state.output.filter((guardrail) => guardrail.definition.action !== 'fallback' || !state.fallbackPassed);
  const texts = restoredTexts(state, completion);
  return andThen(runOnChoices(exchange, guardrails, texts, completion, evaluator), (runs) => applyOutputRuns(exchange, state, completion, texts, runs, config));
}

/** Records the verdicts, then refuses the answer, flags it, or redacts it (restored placeholders included). */
function applyOutputRuns(exchange: Exchange, state: GuardState, completion: ChatCompletion, texts: readonly (string | null)[], runs: readonly ChoiceRuns[], config: GuardrailsConfig): ChatCompletion {
  for (const run of runs) exchange.guardrails.push(choiceVerdict(run));
  const failed = runs.filter((run) => !run.passed);
  const denied = failed.filter((run) => run.guardrail.definition.action === 'deny' || run.guardrail.definition.action === 'fallback');
  if (denied.length > 0) throw guardrailError('guardrail_denied', failures(denied), denyStatus(denied, config.deny_status));
  const logged = failed.filter((run) => run.guardrail.definition.action === 'log');
  if (logged.length > 0) flagLoggedFailures(exchange, state, logged.map(verdictName));

  const spansByChoice = redactions(failed);
  // Nothing restored or redacted: the answer goes out as it came.
  if (spansByChoice === undefined && texts.every((text, position) => text === completion.choices[position]!.message.content)) return completion;
  return {
    ...completion,
    choices: completion.choices.map((choice, position) => {
      const text = texts[position];
      if (text === null || text === undefined) return choice;
      const spans = spansByChoice?.get(position);
      const content = spans ? applySpans(text, resolveOverlaps(spans), state.registry, false) : text;
      return content === choice.message.content ? choice : { ...choice, message: { ...choice.message, content } };
    }),
  };
}
