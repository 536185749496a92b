/** What a check reads (the subject) and what it answers (the outcome). */
import type { Principal } from '../../api/request-record.js';
import type { TextSpan } from '../span.js';
import type { RequestType } from './check-schemas.js';

export type Side = 'input' | 'output';

export interface CheckSubject {
  readonly side: Side;
  /** The texts checked: the request's message parts (input), or one choice's content (output). */
  readonly segments: readonly string[];
  readonly requestType: RequestType;
  /** The model the client asked for. */
  readonly model: string | undefined;
  /** The request's metadata (body `metadata` and the metadata headers). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly principal?: Principal;
  /** The request body, for webhooks. */
  readonly request: unknown;
  /** The answer (output side), for webhooks. */
  readonly response?: unknown;
}

/** A span inside one of the subject's segments. */
export interface SegmentSpan extends TextSpan {
  readonly segment: number;
}

export interface CheckOutcome {
  readonly passed: boolean;
  /** Why, without quoting the text (it may hold what the check is looking for). */
  readonly explanation: string;
  /** What a redacting guardrail replaces (PII, regex matches, banned words). */
  readonly spans?: readonly SegmentSpan[];
}

/** The subject's text as one string (for counts and whole-text checks). */
export function joinedText(subject: CheckSubject): string {
  return subject.segments.length === 1 ? subject.segments[0]! : subject.segments.join('\n');
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** Spans found in each segment by a per-text finder. */
export function spansBySegment(subject: CheckSubject, find: (text: string) => readonly TextSpan[]): SegmentSpan[] {
  const spans: SegmentSpan[] = [];
  subject.segments.forEach((text, segment) => {
    for (const span of find(text)) spans.push({ ...span, segment });
  });
  return spans;
}
