/**
 * The text of one streamed choice on its way to the client: input
 * placeholders restored, early checks run on settled text, and redaction
 * with a lookahead. The last `lookahead` characters are kept back, and so is
 * an unbroken token still being written (up to `maxTokenChars`), and any
 * match that touches the end of what has arrived, so an e-mail or a key
 * split across chunks is replaced whole.
 */
import type { TextSpan } from '../span.js';
import { resolveOverlaps } from '../span.js';
import type { CheckOutcome } from '../checks/check-types.js';
import { redactableSpans, type RedactingCheck } from '../checks/run-check.js';
import type { ResolvedGuardrail } from '../config-schema.js';
import type { PlaceholderRegistry, StreamRestorer } from '../redaction.js';
import type { EarlyCheck } from './early-checks.js';

export const maxTokenChars = 512;

export interface Redactor {
  readonly guardrail: ResolvedGuardrail;
  readonly check: RedactingCheck;
}

export interface EarlyFailure {
  readonly early: EarlyCheck;
  readonly outcome: CheckOutcome;
  readonly latencyMs: number;
}

export class EarlyFailureError extends Error {
  constructor(readonly failure: EarlyFailure) {
    super(failure.outcome.explanation);
  }
}

export interface ChoiceGuardOptions {
  readonly early: readonly EarlyCheck[];
  readonly redactors: readonly Redactor[];
  readonly lookahead: number;
  readonly registry: PlaceholderRegistry;
  readonly restorer: StreamRestorer | undefined;
  readonly now: () => number;
}

const lastWhitespace = (text: string): number => {
  for (let index = text.length - 1; index >= 0; index -= 1) if (/\s/.test(text[index]!)) return index;
  return -1;
};

export class ChoiceGuard {
  /** The text so far, as the client would see it unredacted (placeholders restored). */
  seen = '';
  private emitted = 0;
  private settled = 0;

  constructor(private readonly options: ChoiceGuardOptions) {}

  /** Takes a piece of content; returns what may be sent now. Throws EarlyFailureError when an early check fails. */
  push(piece: string): string {
    const restored = this.options.restorer ? this.options.restorer.push(piece) : piece;
    this.seen += restored;
    if (this.options.early.length > 0) this.runEarly(lastWhitespace(this.seen) + 1);
    return this.emit(false);
  }

  /** The choice is over: everything left is checked and sent. */
  flush(): string {
    if (this.options.restorer) this.seen += this.options.restorer.flush();
    if (this.options.early.length > 0) this.runEarly(this.seen.length);
    return this.emit(true);
  }

  private runEarly(settledEnd: number): void {
    if (settledEnd <= this.settled) return;
    this.settled = settledEnd;
    for (const early of this.options.early) {
      const started = this.options.now();
      const outcome = early.feed(this.seen, settledEnd);
      if (outcome) throw new EarlyFailureError({ early, outcome, latencyMs: this.options.now() - started });
    }
  }

  private emit(final: boolean): string {
    const { seen } = this;
    let cut = seen.length;
    if (!final) {
      if (this.options.early.length > 0) cut = Math.min(cut, this.settled);
      if (this.options.redactors.length > 0) {
        cut = Math.min(cut, seen.length - this.options.lookahead);
        const tokenStart = lastWhitespace(seen) + 1;
        if (seen.length - tokenStart <= maxTokenChars) cut = Math.min(cut, tokenStart);
      }
    }
    cut = Math.max(cut, this.emitted);
    if (this.options.redactors.length === 0) return this.take(cut, []);
    const spans = this.findSpans();
    const applied: TextSpan[] = [];
    for (const span of spans) {
      if (span.start >= cut) break;
      // A match that reaches the end of what has arrived may still grow: keep it back.
      if (!final && (span.end > cut || span.end >= seen.length)) {
        cut = Math.max(this.emitted, span.start);
        break;
      }
      applied.push(span);
    }
    return this.take(cut, applied.filter((span) => span.start < cut));
  }

  /** Spans in the unsent text, found with some sent text before it as context. */
  private findSpans(): TextSpan[] {
    const windowStart = Math.max(0, this.emitted - Math.max(this.options.lookahead, 64));
    const window = this.seen.slice(windowStart);
    const found: TextSpan[] = [];
    for (const { check } of this.options.redactors) {
      for (const span of redactableSpans(check, window)) {
        const start = Math.max(span.start + windowStart, this.emitted);
        const end = span.end + windowStart;
        // A match whose beginning was already sent (it was not a match then) still has its rest replaced.
        if (end > this.emitted) found.push({ start, end, label: span.label });
      }
    }
    return resolveOverlaps(found);
  }

  private take(cut: number, spans: readonly TextSpan[]): string {
    let text = '';
    let position = this.emitted;
    for (const span of spans) {
      text += this.seen.slice(position, span.start) + this.options.registry.placeholder(span.label, this.seen.slice(span.start, span.end), false);
      position = span.end;
    }
    text += this.seen.slice(position, cut);
    this.emitted = cut;
    return text;
  }
}
