/**
 * The JSON text each parsed upstream event or body came from. When a chunk, an answer or an
 * embeddings response reaches the client unchanged, its original text is written instead of
 * serializing it again.
 */
const rawText = new WeakMap<object, string>();

export function rememberRawJson(value: unknown, text: string): void {
  if (value !== null && typeof value === 'object') rawText.set(value, text);
}

export function rawJsonOf(value: object): string | undefined {
  return rawText.get(value);
}
