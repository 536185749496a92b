import { createHash } from 'node:crypto';

const mistralIdPattern = /^[a-zA-Z0-9]{9}$/;
const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Mistral rejects tool-call ids in the history that are not exactly 9 letters or digits
 * ("Tool call id was call_abc but must be a-z, A-Z, 0-9, with a length of 9"). Ids Mistral issued
 * pass unchanged; any other (from OpenAI, another provider, a client) is replaced by 9 characters
 * derived from its hash, so an assistant tool call and its tool result still share one id.
 */
export function mistralToolCallId(id: string): string {
  if (mistralIdPattern.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let result = '';
  for (let index = 0; index < 9; index++) result += alphabet[digest[index]! % alphabet.length];
  return result;
}
