/**
 * A mock of Cohere's v2 API: `POST /v2/chat` and `POST /v2/embed`, authenticated the way Cohere
 * does (`Authorization: Bearer <key>`, a 401 `{"id", "message": "invalid api token"}` otherwise),
 * with Cohere's `{"id", "message"}` error bodies. Chat replies replay recorded fixtures: `NAME.json`
 * for a plain request, `NAME.chunks.txt` as `event: {type}\ndata: {json}\n\n` frames when the body
 * has `stream: true`. Embeddings replay `cohere-embedding.json`, as float or base64 vectors
 * (little-endian float32) by the requested `embedding_types`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { fixtureChunks, fixtureJson, sendJson, sendSse, startMockServer, type MockUpstream, type RecordedRequest } from './mock-server.js';

export const COHERE_MOCK_KEY = 'test-key';

export type CohereReply =
  /** A fixture under `cohere/`, without extension: `.json` or `.chunks.txt` by the request's `stream`. */
  | { fixture: string; gapMs?: number }
  /** A stream of event payloads, each framed with its own `type`; the connection closes after the last. */
  | { events: Array<{ type: string } & Record<string, unknown>>; gapMs?: number }
  /** An HTTP error with Cohere's body. */
  | { error: { status: number; message: string }; headers?: Record<string, string> };

export interface CohereMock extends MockUpstream {
  /** Queue the reply to the next authenticated `POST /v2/chat` (the default is `cohere-text`). */
  reply(reply: CohereReply): void;
}

export function cohereErrorBody(message: string): { id: string; message: string } {
  return { id: randomUUID(), message };
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, cohereErrorBody(message), headers);
}

/** Frames one event the way Cohere does: the SSE event name is the payload's `type`. */
export function cohereFrame(payload: { type: string }): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Float vectors as OpenAI-style base64 (little-endian float32). */
export function toBase64Vector(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function authFailure(request: RecordedRequest, apiKey: string): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string' || !/^Bearer\s+/i.test(authorization)) return 'no api key supplied';
  return authorization.replace(/^Bearer\s+/i, '') === apiKey ? undefined : 'invalid api token';
}

function embed(request: RecordedRequest, response: ServerResponse): void {
  const body = request.body as Record<string, unknown> | undefined;
  if (!body || typeof body.model !== 'string' || !Array.isArray(body.texts)) return sendError(response, 400, 'invalid request: model and texts are required');
  if (typeof body.input_type !== 'string') return sendError(response, 400, 'invalid request: valid input_type must be provided with the provided model');
  const recorded = fixtureJson('cohere/cohere-embedding.json');
  const types = Array.isArray(body.embedding_types) ? (body.embedding_types as string[]) : ['float'];
  const embeddings: Record<string, unknown> = {};
  if (types.includes('float')) embeddings.float = recorded.embeddings.float;
  if (types.includes('base64')) embeddings.base64 = (recorded.embeddings.float as number[][]).map(toBase64Vector);
  sendJson(response, 200, { ...recorded, embeddings });
}

export async function startCohereMock(options: { apiKey?: string } = {}): Promise<CohereMock> {
  const apiKey = options.apiKey ?? COHERE_MOCK_KEY;
  const replies: CohereReply[] = [];

  const mock = await startMockServer(async (request, response) => {
    if (request.method !== 'POST' || (request.path !== '/v2/chat' && request.path !== '/v2/embed')) {
      sendError(response, 404, `Not Found: ${request.method} ${request.path}`);
      return;
    }
    const failure = authFailure(request, apiKey);
    if (failure) {
      sendError(response, 401, failure);
      return;
    }
    if (request.path === '/v2/embed') {
      embed(request, response);
      return;
    }
    // The queued reply is used up even by an invalid request, so one failing test does not shift the next one's reply.
    const reply = replies.shift() ?? { fixture: 'cohere-text' };
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
      sendError(response, 400, 'invalid request: model and messages are required');
      return;
    }

    if ('error' in reply) {
      sendError(response, reply.error.status, reply.error.message, reply.headers);
      return;
    }
    if ('events' in reply) {
      await sendSse(response, reply.events.map(cohereFrame), { gapMs: reply.gapMs });
      return;
    }
    if (body.stream === true) {
      await sendSse(response, fixtureChunks(`cohere/${reply.fixture}.chunks.txt`).map(cohereFrame), { gapMs: reply.gapMs });
    } else {
      sendJson(response, 200, fixtureJson(`cohere/${reply.fixture}.json`));
    }
  });

  return Object.assign(mock, { reply: (reply: CohereReply) => void replies.push(reply) });
}
