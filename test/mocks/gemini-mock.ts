/**
 * Mock Google Gemini API upstream: the real paths
 * (`/v1beta/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`,
 * `:batchEmbedContents`), the API key in `x-goog-api-key` or `?key=` with
 * Google's own error bodies (403 PERMISSION_DENIED without a key, 400
 * API_KEY_INVALID with a wrong one), recorded fixtures replayed as
 * `data: {json}\r\n\r\n` SSE frames. The generateContent handling is shared
 * with the Vertex AI mock.
 */
import type { ServerResponse } from 'node:http';
import { fixtureChunks, fixtureJson, sendJson, sendSse, startMockServer, type MockUpstream, type RecordedRequest } from './mock-server.js';

export interface GoogleFixtures {
  /** Fixture paths (under shared/fixtures) served for generateContent / streamGenerateContent. */
  chat: { json: string; chunks: string };
}

export interface GeminiMock extends MockUpstream, GoogleFixtures {}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Google's error body: `{ error: { code, message, status, details? } }`. */
export function googleErrorBody(code: number, message: string, details?: unknown[]): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = { code, message, status: statusNames[code] ?? 'UNKNOWN' };
  if (details) error.details = details;
  return { error };
}

export function sendGoogleError(response: ServerResponse, code: number, message: string, details?: unknown[]): void {
  sendJson(response, code, googleErrorBody(code, message, details));
}

/** Google's SSE framing: one `data: {json}` per event, CRLF line ends. */
export function googleSseFrames(events: unknown[]): string[] {
  return events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`);
}

/**
 * Serves one generateContent-family call for `model` (auth already checked).
 * `method` is what follows the colon in the path.
 */
export async function serveGenerateContent(request: RecordedRequest, response: ServerResponse, model: string, method: string, fixtures: GoogleFixtures): Promise<void> {
  if (method !== 'generateContent' && method !== 'streamGenerateContent') {
    return sendGoogleError(response, 404, `models/${model} is not found for API version v1beta, or is not supported for ${method}.`);
  }
  if (!Array.isArray(request.body?.contents) || request.body.contents.length === 0) {
    return sendGoogleError(response, 400, '* GenerateContentRequest.contents: contents is not specified\n');
  }
  if (method === 'generateContent') return sendJson(response, 200, fixtureJson(fixtures.chat.json));
  const events = fixtureChunks(fixtures.chat.chunks);
  // Without alt=sse Google streams one JSON array.
  if (request.query.get('alt') !== 'sse') return sendJson(response, 200, events);
  await sendSse(response, googleSseFrames(events));
}

const modelPath = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/;

/** A 1x1 PNG, served at GET /images/pixel.png so tests can exercise the gateway's image inlining. */
export const pixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export async function startGeminiMock(options: { apiKey?: string } = {}): Promise<GeminiMock> {
  const apiKey = options.apiKey ?? 'test-key';
  const fixtures: GoogleFixtures = { chat: { json: 'google/google-text.json', chunks: 'google/google-text.chunks.txt' } };
  let self: GeminiMock | undefined;
  const mock = await startMockServer(async (request, response) => {
    if (request.method === 'GET' && request.path === '/images/pixel.png') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(pixelPng.length) });
      return void response.end(pixelPng);
    }
    const match = modelPath.exec(request.path);
    if (request.method !== 'POST' || !match) return sendGoogleError(response, 404, `Method not found: ${request.method} ${request.path}`);
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key');
    if (!key) {
      return sendGoogleError(
        response,
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (key !== apiKey) {
      return sendGoogleError(response, 400, 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
      ]);
    }
    const [, model, method] = match;
    if (method === 'batchEmbedContents') {
      const requests: Array<{ model?: string; content?: { parts?: Array<{ text?: string }> }; outputDimensionality?: number }> = request.body?.requests ?? [];
      if (requests.length === 0) return sendGoogleError(response, 400, '* BatchEmbedContentsRequest.requests: requests is not specified\n');
      if (requests.some((item) => item.model !== `models/${model}`)) {
        return sendGoogleError(response, 400, `* BatchEmbedContentsRequest.requests: model must be models/${model}\n`);
      }
      // Deterministic vectors: [position, text length, ...] padded to the asked dimensionality (default 4).
      const embeddings = requests.map((item, position) => {
        const text = item.content?.parts?.map((part) => part.text ?? '').join('') ?? '';
        const size = item.outputDimensionality ?? 4;
        return { values: Array.from({ length: size }, (_, i) => (i === 0 ? position : i === 1 ? text.length : 0.5)) };
      });
      return sendJson(response, 200, { embeddings });
    }
    await serveGenerateContent(request, response, model, method, self!);
  });
  self = Object.assign(mock, fixtures);
  return self;
}
