/**
 * Request bodies that differ on every request, for rows where a static body would not
 * measure what they mean to (a cache miss, a semantic rather than an exact hit). The body
 * is sent as a template holding MARKER, which each request replaces with its own variant.
 */

/** How the variants differ. */
export type UniqueStyle =
  /** ` (request 17)`: a new question every time, for exact and semantic lookups alike. */
  | 'number'
  /**
   * A run of `.`, `!` and `?` that spells the number: a different text every time (so the
   * exact key and the embedding cache miss), with the same words (so a lexical embedding
   * is unchanged and a semantic lookup finds the same neighbours).
   */
  | 'punctuation';

/** Stands in the body for the variant; plain ASCII, so it survives JSON.stringify as it is. */
export const MARKER = '@@bench-request@@';

const PUNCTUATION = ['.', '!', '?'];

/** The variant for request `index` (0 and up); every index gives a different one. */
export function variant(style: UniqueStyle, index: number): string {
  if (style === 'number') return ` (request ${index})`;
  let rest = index;
  let marks = '';
  do {
    marks = PUNCTUATION[rest % PUNCTUATION.length] + marks;
    rest = Math.floor(rest / PUNCTUATION.length);
  } while (rest > 0);
  // Base 3 without leading zeros ('.' is the zero): one string per number.
  return ` ${marks}`;
}

export function fillTemplate(template: string, style: UniqueStyle, index: number): string {
  return template.replace(MARKER, variant(style, index));
}
