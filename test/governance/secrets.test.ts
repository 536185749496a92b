import { describe, expect, it } from 'vitest';
import { CredentialCipher, MasterKeyError, parseMasterKey } from '../../src/governance/credential-cipher.js';
import { generateSecret, hashSecret } from '../../src/governance/key-secret.js';

describe('virtual key secrets', () => {
  it('are sy- and 32 random bytes, stored as SHA-256', () => {
    const secret = generateSecret((size) => Buffer.alloc(size, 7));
    expect(secret).toBe(`sy-${Buffer.alloc(32, 7).toString('base64url')}`);
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(secret)).toBe(hashSecret(secret));
  });
});

describe('provider credentials', () => {
  const key = parseMasterKey('00'.repeat(32));

  it('are sealed with AES-256-GCM and open only under the same key and name', () => {
    const cipher = new CredentialCipher(key, (size) => Buffer.alloc(size, 1));
    const sealed = cipher.seal('openai-prod', 'sk-secret');
    expect(Buffer.from(sealed, 'base64').length).toBe(12 + 16 + 'sk-secret'.length);
    expect(sealed).not.toContain('sk-secret');
    expect(cipher.open('openai-prod', sealed)).toBe('sk-secret');
    expect(() => cipher.open('other-name', sealed)).toThrow();
    expect(() => new CredentialCipher(parseMasterKey('11'.repeat(32))).open('openai-prod', sealed)).toThrow();
    const tampered = Buffer.from(sealed, 'base64');
    tampered[tampered.length - 1]! ^= 1;
    expect(() => cipher.open('openai-prod', tampered.toString('base64'))).toThrow();
  });

  it('take the master key as hex, base64 or a long passphrase', () => {
    expect(parseMasterKey('ab'.repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(parseMasterKey(Buffer.alloc(32, 3).toString('base64'))).toEqual(Buffer.alloc(32, 3));
    expect(parseMasterKey('a long passphrase of at least thirty-two characters').length).toBe(32);
    expect(() => parseMasterKey('short')).toThrow(MasterKeyError);
    expect(() => parseMasterKey(undefined)).toThrow('SWITCHYARD_MASTER_KEY is not set');
  });
});
