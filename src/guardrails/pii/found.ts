/** What a PII detector finds: a stretch of the text, UTF-16 offsets, end exclusive. */
export interface Found {
  readonly start: number;
  readonly end: number;
}

/** What a detector returns when it finds nothing (most texts): no array is made. */
export const nothingFound: readonly Found[] = Object.freeze([]);
