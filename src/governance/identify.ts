/**
 * Who is calling: the virtual key presented as `Authorization: Bearer sy-…`,
 * `x-switchyard-api-key`, `x-portkey-api-key` or `x-api-key` (as Anthropic's SDKs
 * before 2026 send their key), and the end user from the
 * body's `user` or the `x-switchyard-user` header.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Exchange } from '../server/pipeline.js';
import { looksLikeVirtualKey } from './key-secret.js';

export interface PresentedKey {
  readonly secret: string;
  readonly header: 'authorization' | 'x-switchyard-api-key' | 'x-portkey-api-key' | 'x-api-key';
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

export function presentedKey(headers: IncomingHttpHeaders): PresentedKey | undefined {
  for (const header of ['x-switchyard-api-key', 'x-portkey-api-key', 'x-api-key'] as const) {
    const value = single(headers[header]);
    if (value && looksLikeVirtualKey(value)) return { secret: value, header };
  }
  const authorization = single(headers.authorization);
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  const bearer = match?.[1]?.trim();
  if (bearer && looksLikeVirtualKey(bearer)) return { secret: bearer, header: 'authorization' };
  return undefined;
}

export function endUserOf(exchange: Exchange): string | undefined {
  const fromBody = exchange.chat?.user ?? exchange.embeddings?.user;
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  return single(exchange.context.request.headers['x-switchyard-user']);
}
