/**
 * Typed placeholders: each distinct value found gets `[LABEL_n]`, numbered per
 * label in the order first seen, and the same value keeps the same placeholder
 * for the whole request (input and output). Placeholders made on the input by
 * a guardrail with `restore_output` can be put back into the answer.
 */
import type { TextSpan } from './span.js';

const placeholderPattern = /\[([A-Z][A-Z0-9_]*_\d+)\]/g;

export class PlaceholderRegistry {
  // Made with the first placeholder: most requests have none.
  private byLabel: Map<string, Map<string, string>> | undefined;
  private restorable: Map<string, string> | undefined;

  placeholder(label: string, value: string, restorable: boolean): string {
    this.byLabel ??= new Map();
    let values = this.byLabel.get(label);
    if (!values) {
      values = new Map();
      this.byLabel.set(label, values);
    }
    let placeholder = values.get(value);
    if (!placeholder) {
      placeholder = `[${label}_${values.size + 1}]`;
      values.set(value, placeholder);
    }
    if (restorable) (this.restorable ??= new Map()).set(placeholder.slice(1, -1), value);
    return placeholder;
  }

  get canRestore(): boolean {
    return this.restorable !== undefined;
  }

  /** Puts the restorable values back; other bracketed text is left as it is. */
  restore(text: string): string {
    const restorable = this.restorable;
    if (restorable === undefined || !text.includes('[')) return text;
    return text.replace(placeholderPattern, (whole, name: string) => restorable.get(name) ?? whole);
  }
}

/** Replaces non-overlapping spans (sorted by start) with their placeholders. */
export function applySpans(text: string, spans: readonly TextSpan[], registry: PlaceholderRegistry, restorable: boolean): string {
  if (spans.length === 0) return text;
  let result = '';
  let position = 0;
  for (const span of spans) {
    result += text.slice(position, span.start) + registry.placeholder(span.label, text.slice(span.start, span.end), restorable);
    position = span.end;
  }
  return result + text.slice(position);
}

/** The longest text kept back while a stream might be in the middle of a placeholder. */
const longestPlaceholder = 48;
const partialPlaceholder = /\[[A-Z0-9_]*$/;

/**
 * Restores placeholders in a stream of text pieces: a trailing `[EMA` is kept
 * back until the next piece shows whether it is a placeholder.
 */
export class StreamRestorer {
  private pending = '';

  constructor(private readonly registry: PlaceholderRegistry) {}

  push(piece: string): string {
    const text = this.pending + piece;
    const partial = partialPlaceholder.exec(text);
    if (partial && text.length - partial.index <= longestPlaceholder) {
      this.pending = text.slice(partial.index);
      return this.registry.restore(text.slice(0, partial.index));
    }
    this.pending = '';
    return this.registry.restore(text);
  }

  flush(): string {
    const text = this.pending;
    this.pending = '';
    return this.registry.restore(text);
  }
}
