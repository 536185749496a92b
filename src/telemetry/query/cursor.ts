/** Opaque cursors for /admin/logs: the (started_at, seq) of the last row of a page, newest first. */
import { GatewayError } from '../../api/errors.js';

export interface CursorPosition {
  /** Epoch ms. */
  readonly startedAt: number;
  readonly seq: number;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.startedAt, position.seq])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && Number.isSafeInteger(value[1])) return { startedAt: value[0] as number, seq: value[1] as number };
  } catch {
    // reported below
  }
  throw new GatewayError('invalid_request', { message: 'Invalid request: cursor: not a cursor from a previous page.', param: 'cursor' });
}
