/**
 * Tool-call ids that carry Gemini's thought signature.
 *
 * Gemini 3 rejects a conversation whose earlier function calls come back
 * without the `thoughtSignature` the model attached to them. OpenAI's tool
 * call has no field for it, but every client echoes the id verbatim (in the
 * assistant message and in the tool message), so the signature travels inside
 * the id: `call_0__thought__<signature>`.
 */

const separator = '__thought__';

/**
 * A signature that tells Gemini 3 to skip validation, documented by Google for
 * histories that were not produced by Gemini (or lost their signatures).
 */
export const skipSignature = 'skip_thought_signature_validator';

export function encodeToolCallId(baseId: string, thoughtSignature: string | null | undefined): string {
  return thoughtSignature ? `${baseId}${separator}${thoughtSignature}` : baseId;
}

export function decodeToolCallId(id: string): { baseId: string; thoughtSignature?: string } {
  const at = id.indexOf(separator);
  if (at < 0) return { baseId: id };
  const thoughtSignature = id.slice(at + separator.length);
  return thoughtSignature ? { baseId: id.slice(0, at), thoughtSignature } : { baseId: id.slice(0, at) };
}

/** The id of the n-th function call of a choice, when Google sent none. */
export function toolCallBaseId(functionCallId: string | null | undefined, ordinal: number): string {
  return functionCallId || `call_${ordinal}`;
}
