/**
 * Output guardrails on a stream. Each choice's text goes through a
 * ChoiceGuard (restore, early checks, redaction with lookahead). When a choice
 * finishes, every output guardrail runs on its whole text before the
 * finishing chunk is sent; a failing `deny` (or `fallback`, which cannot fall
 * back once the stream has started) ends the stream with an error event.
 * With any guardrail in `hold` mode, nothing is sent until the stream ended
 * and passed.
 */
import type { ChatCompletionChunk } from '../../api/chat-schema.js';
import type { Exchange } from '../../server/pipeline.js';
import { isRedactingCheck } from '../checks/run-check.js';
import type { GuardrailsConfig, ResolvedGuardrail } from '../config-schema.js';
import { denyStatus, failedCheck, guardrailError, runGuardrails, toVerdict, verdictName, type Evaluator } from '../evaluate.js';
import { flagLoggedFailures, subjectOf, type GuardState } from '../exchange-state.js';
import { StreamRestorer } from '../redaction.js';
import { ChoiceGuard, EarlyFailureError, type Redactor } from './choice-guard.js';
import { earlyCheck, type EarlyCheck } from './early-checks.js';

type ChunkChoice = ChatCompletionChunk['choices'][number];

const stops = (guardrail: ResolvedGuardrail): boolean => guardrail.definition.action === 'deny' || guardrail.definition.action === 'fallback';

/** A choice delta with nothing left to say. */
function emptyChoice(choice: ChunkChoice): boolean {
  const delta = choice.delta;
  return (
    choice.finish_reason === null &&
    (delta.content === undefined || delta.content === null || delta.content === '') &&
    delta.role === undefined &&
    delta.tool_calls === undefined &&
    (delta.refusal === undefined || delta.refusal === null) &&
    delta.reasoning_content === undefined &&
    delta.thinking_blocks === undefined &&
    (choice.logprobs === undefined || choice.logprobs === null)
  );
}

export async function* guardStream(exchange: Exchange, state: GuardState, chunks: AsyncIterable<ChatCompletionChunk>, evaluator: Evaluator, config: GuardrailsConfig): AsyncGenerator<ChatCompletionChunk> {
  const guardrails = state.output;
  const hold = guardrails.some((guardrail) => guardrail.definition.stream === 'hold');
  const redactors: Redactor[] = guardrails
    .filter((guardrail) => guardrail.definition.action === 'redact')
    .flatMap((guardrail) => guardrail.definition.checks.filter(isRedactingCheck).map((check) => ({ guardrail, check })));
  const lookahead = Math.max(0, ...guardrails.filter((guardrail) => guardrail.definition.action === 'redact').map((guardrail) => guardrail.definition.lookahead_chars));
  const guards = new Map<number, ChoiceGuard>();
  const finished = new Set<number>();
  const held: ChatCompletionChunk[] = [];
  let multipleChoices = false;

  const guardFor = (index: number): ChoiceGuard => {
    let guard = guards.get(index);
    if (!guard) {
      const early: EarlyCheck[] = guardrails.filter(stops).flatMap((guardrail) =>
        guardrail.definition.checks.flatMap((check) => earlyCheck(guardrail, check, (text) => subjectOf(exchange, 'output', [text]), evaluator.services) ?? []),
      );
      guard = new ChoiceGuard({ early, redactors, lookahead, registry: state.registry, restorer: state.registry.canRestore ? new StreamRestorer(state.registry) : undefined, now: () => evaluator.clock.now() });
      guards.set(index, guard);
      if (guards.size > 1) multipleChoices = true;
    }
    return guard;
  };

  /** Every output guardrail on a finished choice's whole text. */
  const finishChoice = async (index: number, guard: ChoiceGuard): Promise<void> => {
    finished.add(index);
    const runs = await runGuardrails(guardrails, () => subjectOf(exchange, 'output', [guard.seen]), evaluator);
    const prefix = multipleChoices ? `choice ${index}: ` : '';
    for (const run of runs) exchange.guardrails.push(toVerdict(run, 'output', prefix + run.outcome.explanation));
    const failed = runs.filter((run) => !run.outcome.passed);
    const denied = failed.filter((run) => stops(run.guardrail));
    if (denied.length > 0) throw guardrailError('guardrail_denied', denied.map((run) => failedCheck(run, 'output', prefix + run.outcome.explanation)), denyStatus(denied, config.deny_status));
    const logged = failed.filter((run) => run.guardrail.definition.action === 'log');
    if (logged.length > 0) flagLoggedFailures(exchange, state, logged.map(verdictName));
  };

  const processChoice = async (choice: ChunkChoice): Promise<ChunkChoice> => {
    const guard = guardFor(choice.index);
    const content = choice.delta.content;
    let text = typeof content === 'string' && content !== '' ? guard.push(content) : undefined;
    if (choice.finish_reason !== null && !finished.has(choice.index)) {
      text = (text ?? '') + guard.flush();
      await finishChoice(choice.index, guard);
    }
    if (text === undefined) return choice;
    return { ...choice, delta: { ...choice.delta, content: text } };
  };

  try {
    let last: ChatCompletionChunk | undefined;
    for await (const chunk of chunks) {
      last = chunk;
      const choices: ChunkChoice[] = [];
      for (const choice of chunk.choices) choices.push(await processChoice(choice));
      const kept = choices.filter((choice) => !emptyChoice(choice));
      if (chunk.choices.length > 0 && kept.length === 0 && !chunk.usage) continue;
      const output = { ...chunk, choices: kept };
      if (hold) held.push(output);
      else yield output;
    }
    // A stream that ended without a finish_reason still has its text checked and sent.
    for (const [index, guard] of guards) {
      if (finished.has(index)) continue;
      const rest = guard.flush();
      await finishChoice(index, guard);
      if (rest !== '' && last) {
        const output: ChatCompletionChunk = { id: last.id, object: 'chat.completion.chunk', created: last.created, model: last.model, choices: [{ index, delta: { content: rest }, finish_reason: null }] };
        if (hold) held.push(output);
        else yield output;
      }
    }
  } catch (error) {
    if (!(error instanceof EarlyFailureError)) throw error;
    const { early, outcome, latencyMs } = error.failure;
    const run = { guardrail: early.guardrail, check: early.check, outcome, latencyMs };
    exchange.guardrails.push(toVerdict(run, 'output'));
    throw guardrailError('guardrail_denied', [failedCheck(run, 'output', outcome.explanation)], denyStatus([run], config.deny_status));
  }
  for (const chunk of held) yield chunk;
}
