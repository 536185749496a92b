/**
 * A mock of Mistral's API: `POST /v1/chat/completions` and `POST /v1/embeddings`, authenticated
 * the way Mistral does (`Authorization: Bearer <key>`, a 401 `{"detail":"Unauthorized"}` otherwise),
 * and as strict as Mistral about request bodies: an unknown field (top-level, in a message or in a
 * tool call) is a 422 with Mistral's validation report ("Extra inputs are not permitted"), and a
 * tool-call id in the history that is not 9 letters or digits is Mistral's 400 `invalid_function_call`.
 * Chat replies replay recorded fixtures, streams as data-only `data: {json}\n\n` frames ending in
 * `data: [DONE]`.
 */
import type { ServerResponse } from 'node:http';
import { fixtureChunks, fixtureJson, sendJson, sendSse, startMockServer, type MockUpstream, type RecordedRequest } from './mock-server.js';

export const MISTRAL_MOCK_KEY = 'test-key';

export type MistralReply =
  /** A fixture under `mistral/`, without extension: `.json` or `.chunks.txt` by the request's `stream`. */
  | { fixture: string; gapMs?: number }
  /** Raw SSE data payloads (each sent as `data: {json}`), optionally without the closing `[DONE]`. */
  | { payloads: unknown[]; done?: boolean; gapMs?: number }
  /** An HTTP error with Mistral's `object: error` body. */
  | { error: { status: number; message: unknown; type: string; code?: string | null }; headers?: Record<string, string> };

export interface MistralMock extends MockUpstream {
  /** Queue the reply to the next authenticated `POST /v1/chat/completions` (the default is `mistral-text`). */
  reply(reply: MistralReply): void;
}

const chatFields = new Set([
  'model', 'messages', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'response_format', 'tools', 'tool_choice',
  'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls', 'prompt_mode', 'reasoning_effort', 'safe_prompt',
]);
const embeddingFields = new Set(['model', 'input', 'encoding_format', 'output_dimension', 'output_dtype']);
/** The fields of each message role, and of a tool call, that Mistral accepts. */
const messageFields: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls', 'prefix']),
  tool: new Set(['role', 'content', 'tool_call_id', 'name']),
};
const toolCallFields = new Set(['id', 'type', 'function', 'index']);
const toolCallId = /^[a-zA-Z0-9]{9}$/;

/** Mistral's embeddings body, shaped as its API reference documents it (there is no recorded fixture). */
export const mistralEmbeddingVectors = [
  [-0.0389404296875, 0.048065185546875, 0.07159423828125, 0.00139617919921875, 0.028350830078125],
  [-0.0535888671875, 0.019500732421875, 0.057464599609375, 0.0029582977294921875, 0.0467529296875],
];

export function mistralErrorBody(message: unknown, type: string, code: string | null = null): Record<string, unknown> {
  return { object: 'error', message, type, param: null, code };
}

function sendError(response: ServerResponse, status: number, message: unknown, type: string, code: string | null = null, headers: Record<string, string> = {}): void {
  sendJson(response, status, mistralErrorBody(message, type, code), headers);
}

/** A 422 naming every field Mistral does not know, as its validation reports do. */
function extraFields(body: Record<string, unknown>, known: ReadonlySet<string>, loc: Array<string | number> = ['body']): Array<Record<string, unknown>> {
  return Object.keys(body)
    .filter((key) => !known.has(key))
    .map((key) => ({ type: 'extra_forbidden', loc: [...loc, key], msg: 'Extra inputs are not permitted', input: body[key] }));
}

function extraMessageFields(messages: unknown[]): Array<Record<string, unknown>> {
  return (messages as Array<Record<string, unknown>>).flatMap((message, index) => {
    const role = String(message.role);
    const known = messageFields[role];
    if (!known) return [{ type: 'union_tag_invalid', loc: ['body', 'messages', index], msg: `Input tag '${role}' found using 'role' does not match any of the expected tags`, input: message }];
    const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<Record<string, unknown>>) : [];
    return [
      ...extraFields(message, known, ['body', 'messages', index, role]),
      ...calls.flatMap((call, position) => extraFields(call, toolCallFields, ['body', 'messages', index, role, 'tool_calls', position])),
    ];
  });
}

function badToolCallId(messages: unknown[]): string | undefined {
  for (const message of messages as Array<{ role?: string; tool_call_id?: unknown; tool_calls?: Array<{ id?: unknown }> }>) {
    const ids = message.role === 'tool' ? [message.tool_call_id] : (message.tool_calls ?? []).map((call) => call.id);
    for (const id of ids) if (typeof id !== 'string' || !toolCallId.test(id)) return String(id);
  }
  return undefined;
}

function embeddings(body: Record<string, unknown>, response: ServerResponse): void {
  const extra = extraFields(body, embeddingFields);
  if (extra.length > 0) return sendError(response, 422, { detail: extra }, 'invalid_request_error');
  const texts = typeof body.input === 'string' ? [body.input] : (body.input as unknown[]);
  const base64 = body.encoding_format === 'base64';
  sendJson(response, 200, {
    id: 'fe87621011b544829fe9f966488f3d84',
    object: 'list',
    data: texts.map((_, index) => {
      const vector = mistralEmbeddingVectors[index % mistralEmbeddingVectors.length]!;
      return { object: 'embedding', embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector, index };
    }),
    model: body.model,
    usage: { prompt_tokens: 16, total_tokens: 16, completion_tokens: 0, request_count: null },
  });
}

function authorized(request: RecordedRequest, apiKey: string): boolean {
  return request.headers.authorization === `Bearer ${apiKey}`;
}

export async function startMistralMock(options: { apiKey?: string } = {}): Promise<MistralMock> {
  const apiKey = options.apiKey ?? MISTRAL_MOCK_KEY;
  const replies: MistralReply[] = [];

  const mock = await startMockServer(async (request, response) => {
    if (request.method !== 'POST' || (request.path !== '/v1/chat/completions' && request.path !== '/v1/embeddings')) {
      sendJson(response, 404, { detail: 'Not Found' });
      return;
    }
    if (!authorized(request, apiKey)) {
      sendJson(response, 401, { detail: 'Unauthorized' });
      return;
    }
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body.model !== 'string') {
      sendError(response, 422, { detail: [{ type: 'missing', loc: ['body', 'model'], msg: 'Field required', input: body ?? null }] }, 'invalid_request_error');
      return;
    }
    if (request.path === '/v1/embeddings') {
      embeddings(body, response);
      return;
    }
    // The queued reply is used up even by a request that fails validation, so one failing test does not shift the next one's reply.
    const reply = replies.shift() ?? { fixture: 'mistral-text' };
    const extra = [...extraFields(body, chatFields), ...(Array.isArray(body.messages) ? extraMessageFields(body.messages) : [])];
    if (extra.length > 0) {
      sendError(response, 422, { detail: extra }, 'invalid_request_error');
      return;
    }
    const badId = Array.isArray(body.messages) ? badToolCallId(body.messages) : undefined;
    if (badId !== undefined) {
      sendError(response, 400, `Tool call id was ${badId} but must be a-z, A-Z, 0-9, with a length of 9.`, 'invalid_function_call', '3280');
      return;
    }

    if ('error' in reply) {
      sendError(response, reply.error.status, reply.error.message, reply.error.type, reply.error.code ?? null, reply.headers);
      return;
    }
    if ('payloads' in reply) {
      const frames = reply.payloads.map((payload) => `data: ${JSON.stringify(payload)}\n\n`);
      await sendSse(response, reply.done === false ? frames : [...frames, 'data: [DONE]\n\n'], { gapMs: reply.gapMs });
      return;
    }
    if (body.stream === true) {
      const frames = fixtureChunks(`mistral/${reply.fixture}.chunks.txt`).map((payload) => `data: ${JSON.stringify(payload)}\n\n`);
      await sendSse(response, [...frames, 'data: [DONE]\n\n'], { gapMs: reply.gapMs });
    } else {
      sendJson(response, 200, fixtureJson(`mistral/${reply.fixture}.json`));
    }
  });

  return Object.assign(mock, { reply: (reply: MistralReply) => void replies.push(reply) });
}
