/** A stretch of text a check found (for redaction): UTF-16 offsets, end exclusive. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
  /** The placeholder label: `EMAIL` becomes `[EMAIL_1]`. */
  readonly label: string;
}

/**
 * Keeps the spans that do not overlap, preferring the earliest start, then
 * the longest, then the lower `rank` (for equal spans found by different detectors).
 */
export function resolveOverlaps<T extends TextSpan>(spans: readonly T[], rank: (span: T) => number = () => 0): T[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || rank(a) - rank(b));
  const kept: T[] = [];
  for (const span of sorted) {
    const last = kept.at(-1);
    if (last && span.start < last.end) continue;
    kept.push(span);
  }
  return kept;
}
