import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface TestServiceAccount {
  account: { type: 'service_account'; project_id: string; private_key_id: string; private_key: string; client_email: string; token_uri: string };
  publicKey: KeyObject;
}

/** A fresh RSA key pair shaped like a downloaded service-account key file. */
export function testServiceAccount(clientEmail = 'gateway@test-project.iam.gserviceaccount.com'): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    account: {
      type: 'service_account',
      project_id: 'test-project',
      private_key_id: 'key-1',
      private_key: privateKey,
      client_email: clientEmail,
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    publicKey: createPublicKey(publicKey),
  };
}
