/**
 * Cohere sends the arguments of a call without parameters as `""` or `"null"`; OpenAI clients
 * parse arguments as a JSON object, so both become `{}`.
 */
export function normalizeArguments(text: string | null | undefined): string {
  const trimmed = (text ?? '').trim();
  return trimmed === '' || trimmed === 'null' ? '{}' : (text as string);
}

/**
 * Streams the argument fragments of one tool call. Fragments are passed on as they come, except
 * while the text so far could still turn out to be `null` (`n`, `nu`, ...): those are held back,
 * so an argument-less call can be sent as `{}` at the end instead.
 */
export class ArgumentsWriter {
  private buffered = '';
  private sent = false;

  /** Returns the text to send now ('' when held back). */
  write(fragment: string): string {
    if (this.sent) return fragment;
    this.buffered += fragment;
    const trimmed = this.buffered.trim();
    if (trimmed === '' || 'null'.startsWith(trimmed)) return '';
    this.sent = true;
    const text = this.buffered;
    this.buffered = '';
    return text;
  }

  /** Returns the text still owed at the end of the call. */
  finish(): string {
    if (this.sent) return '';
    this.sent = true;
    return normalizeArguments(this.buffered);
  }
}
