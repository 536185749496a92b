/**
 * Authenticates a serialized Bedrock request: AWS SigV4 (service `bedrock`) over the exact body
 * when an access key is configured, otherwise a Bedrock API key as `Authorization: Bearer`.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { GatewayError } from '../../api/errors.js';
import type { ProviderSettings, SerializedRequest } from '../contract.js';

export const signingService = 'bedrock';

export async function signBedrockRequest(request: SerializedRequest, settings: ProviderSettings, signingDate: Date = new Date()): Promise<SerializedRequest> {
  const { accessKeyId, secretAccessKey, sessionToken, region = 'us-east-1' } = settings.options;
  const headers = withoutAuthorization(request.headers);

  if (accessKeyId && secretAccessKey) {
    const url = new URL(request.url);
    const signer = new SignatureV4({
      service: signingService,
      region,
      sha256: Sha256,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    });
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...headers, host: url.host },
        body: request.body,
      },
      { signingDate },
    );
    return { ...request, headers: signed.headers };
  }
  if (settings.apiKey) return { ...request, headers: { ...headers, authorization: `Bearer ${settings.apiKey}` } };
  throw new GatewayError('missing_credentials', {
    message: 'Bedrock needs AWS credentials (access key id and secret access key) or a Bedrock API key.',
    provider: settings.name,
  });
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}
