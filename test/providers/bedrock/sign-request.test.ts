import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/api/errors.js';
import type { SerializedRequest } from '../../../src/providers/contract.js';
import { bedrockAdapter } from '../../../src/providers/bedrock/index.js';
import { signBedrockRequest } from '../../../src/providers/bedrock/sign-request.js';
import { bedrockTestApiKey, bedrockTestCredentials, verifyBedrockAuth } from '../../mocks/bedrock-mock.js';
import type { RecordedRequest } from '../../mocks/mock-server.js';
import { bedrockContext } from './context.js';

const settings = bedrockContext().settings;
const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
const request: SerializedRequest = {
  method: 'POST',
  url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse',
  headers: { 'content-type': 'application/json' },
  body,
};

/** What the mock would record for this signed request. */
function received(signed: SerializedRequest, overrides: Partial<RecordedRequest> = {}): RecordedRequest {
  const url = new URL(signed.url);
  return { method: signed.method, path: url.pathname, query: url.searchParams, headers: { ...signed.headers }, rawBody: signed.body ?? '', body: undefined, ...overrides };
}

describe('bedrock request signing', () => {
  it('signs with SigV4 for service bedrock in the configured region, over the body and the double-encoded path', async () => {
    const signed = await signBedrockRequest(request, settings, new Date(Date.UTC(2025, 0, 2, 3, 4, 5)));
    expect(signed.url).toBe(request.url);
    expect(signed.body).toBe(body);
    expect(Object.keys(signed.headers).sort()).toEqual(['authorization', 'content-type', 'host', 'x-amz-content-sha256', 'x-amz-date']);
    expect(signed.headers.host).toBe('bedrock-runtime.us-east-1.amazonaws.com');
    expect(signed.headers['x-amz-date']).toBe('20250102T030405Z');
    expect(signed.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20250102\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('produces a signature the mock verifies, and the mock rejects any tampering', async () => {
    const signed = await signBedrockRequest(request, settings);
    expect(await verifyBedrockAuth(received(signed))).toBeUndefined();
    const mismatch = { status: 403, type: 'InvalidSignatureException', message: expect.stringMatching(/^The request signature we calculated does not match/) };
    expect(await verifyBedrockAuth(received(signed, { rawBody: body.replace('Hi', 'Ho') }))).toEqual(mismatch);
    expect(await verifyBedrockAuth(received(signed, { path: '/model/us.anthropic.claude-3-7-sonnet-20250219-v1:0/converse' }))).toEqual(mismatch);
    const wrongSecret = await signBedrockRequest(request, { ...settings, options: { ...settings.options, secretAccessKey: 'not-the-secret' } });
    expect(await verifyBedrockAuth(received(wrongSecret))).toEqual(mismatch);
    const wrongRegion = await signBedrockRequest(request, { ...settings, options: { ...settings.options, region: 'eu-west-1' } });
    expect(await verifyBedrockAuth(received(wrongRegion))).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
  });

  it('signs the session token when there is one', async () => {
    const signed = await signBedrockRequest(request, { ...settings, options: { ...settings.options, sessionToken: 'session-token' } });
    expect(signed.headers['x-amz-security-token']).toBe('session-token');
    expect(signed.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
    expect(await verifyBedrockAuth(received(signed))).toBeUndefined();
  });

  it('replaces an authorization header that was already there', async () => {
    const signed = await signBedrockRequest({ ...request, headers: { ...request.headers, Authorization: 'Bearer stale' } }, settings);
    expect(signed.headers.Authorization).toBeUndefined();
    expect(await verifyBedrockAuth(received(signed))).toBeUndefined();
  });

  it('uses a Bedrock API key as a bearer token when no access key is configured', async () => {
    const signed = await bedrockAdapter.sign!(request, { ...settings, apiKey: bedrockTestApiKey, options: { region: 'us-east-1' } });
    expect(signed.headers).toEqual({ 'content-type': 'application/json', authorization: `Bearer ${bedrockTestApiKey}` });
    expect(await verifyBedrockAuth(received(signed))).toBeUndefined();
  });

  it('prefers SigV4 when both an access key and an API key are configured', async () => {
    const signed = await signBedrockRequest(request, { ...settings, apiKey: bedrockTestApiKey });
    expect(signed.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('fails with missing_credentials when there is neither', async () => {
    const error = await signBedrockRequest(request, { ...settings, options: { region: 'us-east-1' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect([(error as GatewayError).code, (error as GatewayError).status]).toEqual(['missing_credentials', 401]);
  });

  it('uses the documented test credentials', () => {
    expect(settings.options.accessKeyId).toBe(bedrockTestCredentials.accessKeyId);
    expect(settings.options.secretAccessKey).toBe(bedrockTestCredentials.secretAccessKey);
  });
});
