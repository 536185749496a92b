/**
 * Mock Google Vertex AI upstream, with its OAuth token endpoint:
 * - `POST /token` takes the JWT-bearer grant (form-encoded), verifies the
 *   assertion's RS256 signature with the service account's public key and its
 *   claims (iss, aud, scope, iat/exp at most an hour apart), and issues an
 *   access token; a bad grant gets Google's `invalid_grant` body.
 * - `POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:{method}`
 *   needs `Authorization: Bearer <an issued token>` (else Google's 401
 *   UNAUTHENTICATED body) and serves generateContent like the Gemini mock,
 *   and `:predict` embeddings.
 */
import type { KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { sendGoogleError, serveGenerateContent, type GoogleFixtures } from './gemini-mock.js';
import { sendJson, startMockServer, type MockUpstream, type RecordedRequest } from './mock-server.js';

export interface VertexMockOptions {
  publicKey: KeyObject;
  clientEmail: string;
  project: string;
  location: string;
  /** Lifetime of issued tokens, in seconds (Google's is 3599). */
  expiresIn?: number;
}

export interface VertexMock extends MockUpstream, GoogleFixtures {
  tokenURL: string;
  /** Token exchanges received (valid or not). */
  tokenRequests: RecordedRequest[];
  /** Access tokens issued, in order. */
  issued: string[];
  /** Claims of the last verified assertion. */
  lastClaims?: Record<string, unknown>;
}

const scope = 'https://www.googleapis.com/auth/cloud-platform';

export async function startVertexMock(options: VertexMockOptions): Promise<VertexMock> {
  const fixtures: GoogleFixtures = { chat: { json: 'google/google-text.json', chunks: 'google/google-text.chunks.txt' } };
  const extra = { tokenRequests: [] as RecordedRequest[], issued: [] as string[], lastClaims: undefined as Record<string, unknown> | undefined, tokenURL: '' };
  const modelPath = new RegExp(`^/v1/projects/${options.project}/locations/${options.location}/publishers/google/models/([^/:]+):([A-Za-z]+)$`);
  let self: VertexMock | undefined;

  const mock = await startMockServer(async (request, response) => {
    if (request.method === 'POST' && request.path === '/token') {
      extra.tokenRequests.push(request);
      const form = new URLSearchParams(request.rawBody);
      if (request.headers['content-type'] !== 'application/x-www-form-urlencoded' || form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        return sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + (form.get('grant_type') ?? '') });
      }
      try {
        const { payload, protectedHeader } = await jwtVerify(form.get('assertion') ?? '', options.publicKey, {
          algorithms: ['RS256'],
          issuer: options.clientEmail,
          audience: self!.tokenURL,
        });
        if (protectedHeader.typ !== 'JWT' || payload.scope !== scope || payload.iat === undefined || payload.exp === undefined || payload.exp - payload.iat > 3600) {
          return sendJson(response, 400, { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' });
        }
        self!.lastClaims = { ...payload, kid: protectedHeader.kid };
      } catch {
        return sendJson(response, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      }
      const token = `ya29.mock-token-${extra.issued.length + 1}`;
      extra.issued.push(token);
      return sendJson(response, 200, { access_token: token, expires_in: options.expiresIn ?? 3599, token_type: 'Bearer' });
    }

    const match = modelPath.exec(request.path);
    if (request.method !== 'POST' || !match) return sendGoogleError(response, 404, `The requested URL ${request.path} was not found on this server.`);
    const authorization = request.headers.authorization ?? '';
    const token = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
    if (!extra.issued.includes(token)) {
      return sendGoogleError(
        response,
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED', metadata: { service: 'aiplatform.googleapis.com', method: 'google.cloud.aiplatform.v1.PredictionService.GenerateContent' } }],
      );
    }
    const [, model, method] = match;
    if (method === 'predict') {
      const instances: Array<{ content?: string }> = request.body?.instances ?? [];
      if (instances.length === 0) return sendGoogleError(response, 400, 'Invalid request: instances must not be empty.');
      const size = request.body?.parameters?.outputDimensionality ?? 3;
      const predictions = instances.map((instance, position) => ({
        embeddings: {
          statistics: { truncated: false, token_count: (instance.content ?? '').split(/\s+/).filter(Boolean).length },
          values: Array.from({ length: size }, (_, i) => (i === 0 ? position : 0.25)),
        },
      }));
      return sendJson(response, 200, { predictions, metadata: { billableCharacterCount: instances.reduce((sum, instance) => sum + (instance.content ?? '').length, 0) } });
    }
    await serveGenerateContent(request, response, model, method, self!);
  });
  extra.tokenURL = `${mock.url}/token`;
  self = Object.assign(mock, fixtures, extra);
  return self;
}
