/**
 * Provider credentials are sealed with AES-256-GCM under the master key from
 * SWITCHYARD_MASTER_KEY: 32 bytes as 64 hex characters or base64, or else any
 * passphrase of at least 32 characters, stretched with scrypt. A sealed value
 * is base64 of iv (12 bytes) + tag (16 bytes) + ciphertext; the credential's
 * name is authenticated with it, so a sealed value cannot be moved to another name.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const ivBytes = 12;
const tagBytes = 16;
const passphraseSalt = 'switchyard-credentials-v1';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export function parseMasterKey(value: string | undefined): Buffer {
  if (!value) throw new MasterKeyError('SWITCHYARD_MASTER_KEY is not set: provider credentials cannot be stored or read without it.');
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const decoded = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    if (decoded.length === 32) return decoded;
  }
  if (text.length < 32) throw new MasterKeyError('SWITCHYARD_MASTER_KEY is too short: use 32 random bytes (64 hex characters or base64) or a passphrase of at least 32 characters.');
  return scryptSync(text, passphraseSalt, 32);
}

export class CredentialCipher {
  constructor(
    private readonly key: Buffer,
    private readonly random: (size: number) => Buffer = randomBytes,
  ) {
    if (key.length !== 32) throw new MasterKeyError('the master key must be 32 bytes');
  }

  seal(name: string, plaintext: string): string {
    const iv = this.random(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws when the value was sealed under another key or name, or was altered. */
  open(name: string, sealed: string): string {
    const raw = Buffer.from(sealed, 'base64');
    if (raw.length < ivBytes + tagBytes) throw new Error(`credential '${name}': sealed value is too short`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, ivBytes));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
    return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
  }
}

/** The cipher for the environment's master key, or undefined (with the reason) when there is none usable. */
export function cipherFromEnv(env: NodeJS.ProcessEnv): { cipher?: CredentialCipher; problem?: string } {
  try {
    return { cipher: new CredentialCipher(parseMasterKey(env.SWITCHYARD_MASTER_KEY)) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
