/**
 * Virtual key secrets: `sy-` and 43 base64url characters (32 random bytes).
 * Only the SHA-256 of a secret is stored; a secret with this much entropy
 * needs no slow hash, and a lookup by hash is one map read.
 */
import { createHash, randomBytes } from 'node:crypto';

export const keyPrefix = 'sy-';
const secretPattern = /^sy-[A-Za-z0-9_-]{20,200}$/;

export type RandomBytes = (size: number) => Buffer;

export function generateSecret(random: RandomBytes = randomBytes): string {
  return keyPrefix + random(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** What lists show of a secret: its first characters. */
export function displayPrefix(secret: string): string {
  return `${secret.slice(0, 10)}…`;
}

export function looksLikeVirtualKey(token: string): boolean {
  return token.startsWith(keyPrefix);
}

export function isWellFormedSecret(token: string): boolean {
  return secretPattern.test(token);
}
