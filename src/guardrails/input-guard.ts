/**
 * Input guardrails, before the provider is called: every check runs on the
 * request as the client sent it; a failed `deny` (or `fallback`, which has no
 * target to fall back from yet) refuses it, `redact` replaces the body with
 * placeholders, `log` flags the response.
 */
import type { Exchange } from '../server/pipeline.js';
import type { GuardrailsConfig, ResolvedGuardrail } from './config-schema.js';
import { andThen, denyStatus, failedCheck, guardrailError, runGuardrails, toVerdict, verdictName, type CheckRun, type Evaluator } from './evaluate.js';
import { flagLoggedFailures, subjectOf, type GuardState } from './exchange-state.js';
import type { CheckSubject } from './checks/check-types.js';
import { chatSlots, embeddingSlots, rewriteChat, rewriteEmbeddings, slotKey, type Scope, type TextSlot } from './request-text.js';
import { resolveOverlaps, type TextSpan } from './span.js';

interface RestorableSpan extends TextSpan {
  readonly restorable: boolean;
}

function slotsFor(exchange: Exchange, scope: Scope): TextSlot[] {
  if (exchange.chat) return chatSlots(exchange.chat, scope);
  if (exchange.embeddings) return embeddingSlots(exchange.embeddings);
  return [];
}

interface ScopeText {
  readonly slots: TextSlot[];
  readonly subject: CheckSubject;
}

/** Runs the input guardrails: at once when every check answers at once (offline checks), else once the slowest has. */
export function runInputGuardrails(exchange: Exchange, state: GuardState, evaluator: Evaluator, config: GuardrailsConfig): void | Promise<void> {
  const slotsByGuardrail = new Map<ResolvedGuardrail, TextSlot[]>();
  // The request's text is read once for each scope, however many guardrails read it.
  const byScope = new Map<Scope, ScopeText>();
  const runs = runGuardrails(
    state.input,
    (guardrail) => {
      const scope = guardrail.definition.scope;
      let text = byScope.get(scope);
      if (!text) {
        const slots = slotsFor(exchange, scope);
        text = { slots, subject: subjectOf(exchange, 'input', slots.map((slot) => slot.text)) };
        byScope.set(scope, text);
      }
      slotsByGuardrail.set(guardrail, text.slots);
      return text.subject;
    },
    evaluator,
  );
  return andThen(runs, (settled) => applyInputRuns(exchange, state, config, settled, slotsByGuardrail));
}

/** Records the verdicts, then refuses the request, flags it, or redacts its text. */
function applyInputRuns(exchange: Exchange, state: GuardState, config: GuardrailsConfig, runs: readonly CheckRun[], slotsByGuardrail: ReadonlyMap<ResolvedGuardrail, TextSlot[]>): void {
  for (const run of runs) exchange.guardrails.push(toVerdict(run, 'input'));
  const failed = runs.filter((run) => !run.outcome.passed);
  if (failed.length === 0) return;

  const denied = failed.filter((run) => run.guardrail.definition.action === 'deny' || run.guardrail.definition.action === 'fallback');
  if (denied.length > 0) {
    throw guardrailError('guardrail_denied', denied.map((run) => failedCheck(run, 'input', run.outcome.explanation)), denyStatus(denied, config.deny_status));
  }

  const logged = failed.filter((run) => run.guardrail.definition.action === 'log');
  if (logged.length > 0) flagLoggedFailures(exchange, state, logged.map(verdictName));

  const spansBySlot = new Map<string, { slot: TextSlot; spans: RestorableSpan[] }>();
  for (const run of failed) {
    if (run.guardrail.definition.action !== 'redact' || !run.outcome.spans) continue;
    const slots = slotsByGuardrail.get(run.guardrail)!;
    for (const span of run.outcome.spans) {
      const slot = slots[span.segment]!;
      const key = slotKey(slot);
      let entry = spansBySlot.get(key);
      if (!entry) {
        entry = { slot, spans: [] };
        spansBySlot.set(key, entry);
      }
      entry.spans.push({ start: span.start, end: span.end, label: span.label, restorable: run.guardrail.definition.restore_output });
    }
  }
  if (spansBySlot.size === 0) return;
  const replacements = new Map<string, string>();
  for (const [key, { slot, spans }] of spansBySlot) {
    let text = '';
    let position = 0;
    // Each span carries its own guardrail's restore setting.
    for (const span of resolveOverlaps(spans)) {
      text += slot.text.slice(position, span.start) + state.registry.placeholder(span.label, slot.text.slice(span.start, span.end), span.restorable);
      position = span.end;
    }
    replacements.set(key, text + slot.text.slice(position));
  }
  if (exchange.chat) exchange.chat = rewriteChat(exchange.chat, replacements);
  else if (exchange.embeddings) exchange.embeddings = rewriteEmbeddings(exchange.embeddings, replacements);
}
