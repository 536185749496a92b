/**
 * A `full` body as the log keeps it: a copy with inline data (data: URLs,
 * audio and file data) replaced by a note of its size, and secrets masked
 * exactly as `masker.json` masks them, in one walk.
 *
 * Nothing is copied that did not change: a body with nothing to clean comes
 * back as the same value.
 *
 * The walk also adds up a bound on the UTF-8 bytes of the copy's JSON, so the
 * JSON of a body that surely fits under `max_body_bytes` is not measured byte
 * by byte (`body-capture.ts` serializes every body once, to JSON text).
 */
import { maskValue, type SecretMasker } from './mask-secrets.js';

export interface CleanedBody {
  readonly body: unknown;
  /** At least the UTF-8 bytes of `JSON.stringify(body)`; Infinity when that cannot be bounded. */
  readonly maxJsonBytes: number;
}

/** UTF-8 bytes one UTF-16 unit of a string takes in JSON, at most (an escape: `\u001f`, a lone `\udc00`). */
const maxBytesPerUnit = 6;
/** Bytes a number, boolean or null takes in JSON, at most (`-2.2250738585072014e-308` is 24). */
const maxScalarBytes = 32;

const dataUrlPattern = /^data:([^;,]+)?(;base64)?,/;

/** A string with inline data (a data: URL, or audio and file data) replaced by a note of its size. */
function withoutInlineText(value: string, key: string | undefined): string {
  const dataUrl = value.startsWith('data:') ? dataUrlPattern.exec(value) : null;
  if (dataUrl) return `data:${dataUrl[1] ?? ''}[${value.length - dataUrl[0].length} characters]`;
  if ((key === 'data' || key === 'file_data') && value.length > 256) return `[${value.length} characters]`;
  return value;
}

/** Objects the walk may return as they are when nothing in them changes (others are copied, as JSON sees them). */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

export function cleanBody(value: unknown, masker: SecretMasker): CleanedBody {
  let bound = 0;
  const counted = (text: string): string => {
    bound += 2 + maxBytesPerUnit * text.length;
    return text;
  };

  // Copy on write: an array or plain object comes back as it is unless something in it changed, so a body
  // with nothing to clean allocates nothing and its JSON text, where the caller has it, can be reused.
  function walk(item: unknown, key?: string): unknown {
    if (typeof item === 'string') {
      const kept = withoutInlineText(item, key);
      return counted(key !== undefined && masker.isSecretKey(key) ? maskValue(kept) : masker.text(kept));
    }
    if (Array.isArray(item)) {
      // Brackets, commas, and `null` for holes.
      bound += 2 + 5 * item.length;
      let copy: unknown[] | undefined;
      for (let index = 0; index < item.length; index += 1) {
        if (!(index in item)) continue;
        const element: unknown = item[index];
        const cleaned = walk(element);
        if (Object.is(cleaned, element)) continue;
        copy ??= item.slice();
        copy[index] = cleaned;
      }
      return copy ?? item;
    }
    if (item !== null && typeof item === 'object') {
      bound += 2;
      const source = item as Record<string, unknown>;
      const names = Object.keys(source);
      // Anything else (a Date, a class instance) is copied key by key, as before; so is a `__proto__` own key.
      let copy: Record<string, unknown> | undefined = isPlainObject(item) ? undefined : {};
      for (let index = 0; index < names.length; index += 1) {
        const name = names[index]!;
        const child = source[name];
        // The quoted name, a colon and a comma.
        bound += 4 + maxBytesPerUnit * name.length;
        const cleaned = masker.isSecretKey(name) && child !== null && typeof child === 'object' ? counted('[REDACTED]') : walk(child, name);
        if (!copy && Object.is(cleaned, child) && name !== '__proto__') continue;
        if (!copy) {
          copy = {};
          for (let earlier = 0; earlier < index; earlier += 1) copy[names[earlier]!] = source[names[earlier]!];
        }
        copy[name] = cleaned;
      }
      return copy ?? item;
    }
    // A function (a `toJSON`), symbol or bigint has no bound: the caller measures the JSON itself.
    if (typeof item === 'function' || typeof item === 'symbol' || typeof item === 'bigint') bound = Infinity;
    else bound += maxScalarBytes;
    return item;
  }

  const body = walk(value);
  return { body, maxJsonBytes: bound };
}
