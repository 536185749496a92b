/**
 * Streamed function-call arguments (`functionCall.partialArgs`) → JSON text.
 *
 * Gemini 3 / Vertex can stream a call's arguments as leaf values addressed by
 * JSON path (`$.recipe.ingredients[0].name`), strings possibly in several
 * pieces (`willContinue`). OpenAI clients expect argument text deltas whose
 * concatenation is the JSON object, so this writer emits exactly that text as
 * the leaves arrive (in document order, as Google sends them): opening and
 * closing objects/arrays as the path moves, and `finish()` closes the rest.
 */
import type { PartialArg } from './api-schema.js';

type Segment = string | number;

interface OpenContainer {
  segment: Segment;
  isArray: boolean;
  members: number;
}

/** `$.a.b[0]['c d']` → ['a', 'b', 0, 'c d']. */
export function parseJsonPath(path: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/g;
  const rest = path.startsWith('$') ? path.slice(1) : `.${path}`;
  for (const match of rest.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1'));
  }
  return segments;
}

function leafJson(arg: PartialArg): string | undefined {
  if (arg.stringValue != null) return JSON.stringify(arg.stringValue);
  if (arg.numberValue != null) return JSON.stringify(arg.numberValue);
  if (arg.boolValue != null) return JSON.stringify(arg.boolValue);
  if ('nullValue' in arg) return 'null';
  return undefined;
}

function samePath(left: readonly Segment[], right: readonly Segment[]): boolean {
  return left.length === right.length && left.every((segment, position) => segment === right[position]);
}

export class PartialArgsWriter {
  /** Open containers below the root object. */
  private readonly stack: OpenContainer[] = [];
  private root: OpenContainer | undefined;
  /** The path of a string value whose closing quote is still to come. */
  private openString: Segment[] | undefined;
  private written = false;

  /** The JSON text these partial args add. */
  write(args: readonly PartialArg[]): string {
    let text = '';
    for (const arg of args) text += this.writeOne(arg);
    return text;
  }

  /** Closes everything still open; `{}` when no argument ever came. */
  finish(): string {
    if (!this.written) return '{}';
    let text = this.closeString();
    while (this.stack.length > 0) text += this.stack.pop()!.isArray ? ']' : '}';
    return `${text}}`;
  }

  private writeOne(arg: PartialArg): string {
    const path = parseJsonPath(arg.jsonPath);
    if (path.length === 0) return '';
    if (this.openString && arg.stringValue != null && samePath(this.openString, path)) {
      const piece = JSON.stringify(arg.stringValue).slice(1, -1);
      if (arg.willContinue) return piece;
      this.openString = undefined;
      return `${piece}"`;
    }
    const value = leafJson(arg);
    if (value === undefined) return '';
    let text = this.closeString();
    if (!this.root) {
      this.root = { segment: '$', isArray: false, members: 0 };
      this.written = true;
      text += '{';
    }
    text += this.moveTo(path.slice(0, -1), path.at(-1)!);
    text += this.member(this.current(), path.at(-1)!);
    if (arg.stringValue != null && arg.willContinue) {
      this.openString = path;
      return text + value.slice(0, -1);
    }
    return text + value;
  }

  private current(): OpenContainer {
    return this.stack.at(-1) ?? this.root!;
  }

  private closeString(): string {
    if (!this.openString) return '';
    this.openString = undefined;
    return '"';
  }

  /** The separator and key that start a member of `container`. */
  private member(container: OpenContainer, segment: Segment): string {
    const comma = container.members > 0 ? ',' : '';
    container.members += 1;
    return container.isArray ? comma : `${comma}${JSON.stringify(String(segment))}:`;
  }

  /** Closes containers off the target path and opens the ones on it. */
  private moveTo(containerPath: readonly Segment[], leaf: Segment): string {
    let common = 0;
    while (common < this.stack.length && common < containerPath.length && this.stack[common].segment === containerPath[common]) common += 1;
    let text = '';
    while (this.stack.length > common) text += this.stack.pop()!.isArray ? ']' : '}';
    for (let depth = common; depth < containerPath.length; depth += 1) {
      const segment = containerPath[depth];
      text += this.member(this.current(), segment);
      const next = depth + 1 < containerPath.length ? containerPath[depth + 1] : leaf;
      const isArray = typeof next === 'number';
      this.stack.push({ segment, isArray, members: 0 });
      text += isArray ? '[' : '{';
    }
    return text;
  }
}
