import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatRequestSchema, embeddingRequestSchema } from '../../../src/api/chat-schema.js';
import type { CallContext, ProviderSettings, SerializedRequest } from '../../../src/providers/contract.js';
import { geminiAdapter } from '../../../src/providers/gemini/index.js';
import { accessToken, clearAccessTokenCache } from '../../../src/providers/vertex/access-token.js';
import { vertexAdapter } from '../../../src/providers/vertex/index.js';
import { startVertexMock, type VertexMock } from '../../mocks/vertex-mock.js';
import { testServiceAccount } from './service-account.js';

const { account, publicKey } = testServiceAccount();
let mock: VertexMock;

function settings(overrides: Partial<ProviderSettings> = {}, options: ProviderSettings['options'] = {}): ProviderSettings {
  return {
    name: 'vertex',
    dialect: 'vertex',
    baseURL: '',
    options: { project: 'my-project', location: 'us-central1', serviceAccount: account, tokenURL: mock?.tokenURL, ...options },
    ...overrides,
  };
}

function context(model: string, providerSettings: ProviderSettings, stream = false): CallContext {
  return { model, stream, inboundHeaders: {}, settings: providerSettings };
}

const unsigned: SerializedRequest = { method: 'POST', url: 'https://example.invalid/x', headers: { 'content-type': 'application/json' }, body: '{}' };

beforeAll(async () => {
  mock = await startVertexMock({ publicKey, clientEmail: account.client_email, project: 'my-project', location: 'us-central1' });
});
beforeEach(() => {
  clearAccessTokenCache();
  mock.tokenRequests.length = 0;
});
afterAll(() => mock.close());

describe('vertex addresses', () => {
  const request = chatRequestSchema.parse({ model: 'v/gemini-2.5-flash', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.2 });

  it('uses the regional endpoint and the Gemini body, without an API-key header', () => {
    const upstream = vertexAdapter.chatRequest(request, context('gemini-2.5-flash', settings()));
    expect(upstream.url).toBe('https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent');
    expect(upstream.headers).toEqual({ 'content-type': 'application/json' });
    expect(upstream.body).toEqual(geminiAdapter.chatRequest(request, context('gemini-2.5-flash', settings())).body);
    expect(upstream.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], systemInstruction: { parts: [{ text: 'Be brief.' }] }, generationConfig: { temperature: 0.2 } });
  });

  it('streams with alt=sse; global location; project from the key; resource-named models', () => {
    expect(vertexAdapter.chatRequest(request, context('gemini-2.5-flash', settings({}, { location: 'global', project: undefined }), true)).url).toBe(
      'https://aiplatform.googleapis.com/v1/projects/test-project/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(vertexAdapter.chatRequest(request, context('endpoints/123', settings({ baseURL: 'http://mock/v1' }))).url).toBe(
      'http://mock/v1/projects/my-project/locations/us-central1/endpoints/123:generateContent',
    );
    expect(vertexAdapter.chatRequest(request, context('projects/p/locations/europe-west4/publishers/google/models/m', settings({ baseURL: 'http://mock/v1/' }))).url).toBe(
      'http://mock/v1/projects/p/locations/europe-west4/publishers/google/models/m:generateContent',
    );
  });

  it('fails with missing_credentials when no project can be found', () => {
    const noProject = settings({}, { project: undefined, serviceAccount: { client_email: 'a@b', private_key: 'x' } });
    expect(() => vertexAdapter.chatRequest(request, context('gemini-2.5-flash', noProject))).toThrow(expect.objectContaining({ code: 'missing_credentials' }));
  });

  it('maps embeddings to :predict and back, with token counts as usage', () => {
    const embedding = embeddingRequestSchema.parse({ model: 'v/text-embedding-005', input: ['hello world', 'hi'], dimensions: 2, task_type: 'RETRIEVAL_DOCUMENT', autoTruncate: false });
    const upstream = vertexAdapter.embedRequest!(embedding, context('text-embedding-005', settings()));
    expect(upstream.url).toBe('https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/text-embedding-005:predict');
    expect(upstream.body).toEqual({
      instances: [
        { content: 'hello world', task_type: 'RETRIEVAL_DOCUMENT' },
        { content: 'hi', task_type: 'RETRIEVAL_DOCUMENT' },
      ],
      parameters: { autoTruncate: false, outputDimensionality: 2 },
    });
    const body = { predictions: [{ embeddings: { values: [1, 2], statistics: { token_count: 2, truncated: false } } }, { embeddings: { values: [3, 4], statistics: { token_count: 1, truncated: false } } }] };
    expect(vertexAdapter.embedResponse!(body, context('text-embedding-005', settings()))).toEqual({
      object: 'list',
      model: 'text-embedding-005',
      data: [
        { object: 'embedding', index: 0, embedding: [1, 2] },
        { object: 'embedding', index: 1, embedding: [3, 4] },
      ],
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });
});

describe('vertex signing (service account → OAuth token)', () => {
  it('signs a JWT with the right claims, exchanges it once and reuses the cached token', async () => {
    const first = await vertexAdapter.sign!(unsigned, settings());
    expect(first).toEqual({ ...unsigned, headers: { 'content-type': 'application/json', authorization: 'Bearer ya29.mock-token-1' } });
    expect(mock.lastClaims).toEqual({
      iss: account.client_email,
      aud: mock.tokenURL,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      iat: expect.any(Number),
      exp: (mock.lastClaims!.iat as number) + 3600,
      kid: 'key-1',
    });
    const second = await vertexAdapter.sign!(unsigned, settings());
    expect(second.headers.authorization).toBe('Bearer ya29.mock-token-1');
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it('shares one in-flight exchange between concurrent requests', async () => {
    const signed = await Promise.all([1, 2, 3, 4].map(() => vertexAdapter.sign!(unsigned, settings())));
    expect(new Set(signed.map((request) => request.headers.authorization)).size).toBe(1);
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it('refreshes shortly before expiry', async () => {
    let now = Date.now();
    const clock = () => now;
    const first = await accessToken(account, mock.tokenURL, 'vertex', clock);
    now += 54 * 60_000; // 54 of the token's 59:59 minutes: still valid
    expect(await accessToken(account, mock.tokenURL, 'vertex', clock)).toBe(first);
    now += 60_000; // inside the last five minutes: refreshed
    expect(await accessToken(account, mock.tokenURL, 'vertex', clock)).not.toBe(first);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it('turns a rejected key into a 401 upstream_error with Google\'s reason, and does not cache the failure', async () => {
    const other = testServiceAccount(account.client_email).account;
    const rejected = vertexAdapter.sign!(unsigned, settings({}, { project: 'my-project', serviceAccount: other, tokenURL: mock.tokenURL }));
    await expect(rejected).rejects.toMatchObject({ code: 'upstream_error', status: 401, upstreamCode: 'invalid_grant', message: 'The service account could not get an access token (invalid_grant: Invalid JWT Signature.).' });
    await expect(vertexAdapter.sign!(unsigned, settings())).resolves.toMatchObject({ headers: { authorization: expect.stringMatching(/^Bearer ya29\./) } });
  });

  it('accepts a private key with escaped newlines, and passes API-key-only (express) settings through', async () => {
    const escaped = { ...account, private_key: account.private_key.replaceAll('\n', '\\n') };
    await expect(vertexAdapter.sign!(unsigned, settings({}, { project: 'my-project', serviceAccount: escaped, tokenURL: mock.tokenURL }))).resolves.toMatchObject({
      headers: { authorization: expect.stringMatching(/^Bearer /) },
    });
    const express = settings({ apiKey: 'AQ.key' }, { location: 'global' });
    const expressSettings: ProviderSettings = { ...express, options: { location: 'global' } };
    expect(await vertexAdapter.sign!(unsigned, expressSettings)).toEqual(unsigned);
    const upstream = vertexAdapter.chatRequest(chatRequestSchema.parse({ model: 'v/m', messages: [{ role: 'user', content: 'x' }] }), context('gemini-2.5-flash', expressSettings));
    expect(upstream.url).toBe('https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-flash:generateContent');
    expect(upstream.headers['x-goog-api-key']).toBe('AQ.key');
    await expect(vertexAdapter.sign!(unsigned, { ...expressSettings, apiKey: undefined })).rejects.toMatchObject({ code: 'missing_credentials' });
  });
});
