/**
 * Mock OpenAI-dialect upstream (OpenAI, Azure OpenAI and the OpenAI-compatible
 * catalog): real paths, Bearer or `api-key` auth with OpenAI's 401 body,
 * recorded fixtures replayed as `data: {json}\n\n` frames ending in `data: [DONE]`.
 */
import type { ServerResponse } from 'node:http';
import { fixtureChunks, fixtureJson, sendJson, sendSse, startMockServer, type MockUpstream, type RecordedRequest } from './mock-server.js';

export interface OpenAIMockOptions {
  apiKey?: string;
  /** 'bearer' (OpenAI and most) or 'api-key' (Azure). */
  auth?: 'bearer' | 'api-key' | 'none';
  /** Path prefix before /chat/completions, e.g. '/v1' or '/openai/v1'. Azure's deployment paths are always served. */
  prefix?: string;
  /**
   * Refuse a message holding a property its role does not have, as Groq (and Cerebras, in its own words) do:
   * `'messages.1' : for 'role:assistant' the following must be satisfied[('messages.1' : property 'reasoning_content' is unsupported)]`.
   */
  strictMessages?: boolean;
  /**
   * Refuse an assistant tool-call turn without `reasoning_content` (an empty one will do), as DeepSeek's thinking
   * mode, on by default, does: "The `reasoning_content` in the thinking mode must be passed back to the API."
   */
  reasoningOnToolTurns?: boolean;
}

export interface OpenAIMock extends MockUpstream {
  /** Fixture paths (under shared/fixtures) served for chat; change per test. */
  chat: { json: string; chunks: string };
  embeddingFixture: string;
}

const azurePath = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

function authorized(request: RecordedRequest, options: Required<OpenAIMockOptions>): boolean {
  if (options.auth === 'none') return true;
  if (options.auth === 'api-key') return request.headers['api-key'] === options.apiKey;
  return request.headers.authorization === `Bearer ${options.apiKey}`;
}

/** The properties each role's message may have, as Groq's API reference lists them. */
const messageProperties: Record<string, readonly string[]> = {
  system: ['role', 'content', 'name'],
  developer: ['role', 'content', 'name'],
  user: ['role', 'content', 'name'],
  assistant: ['role', 'content', 'name', 'tool_calls', 'function_call', 'reasoning'],
  tool: ['role', 'content', 'tool_call_id', 'name'],
};

/** Groq's message for the first property a message may not have, or undefined. */
function strictMessageError(messages: readonly Record<string, unknown>[]): string | undefined {
  for (const [index, message] of messages.entries()) {
    const allowed = messageProperties[String(message.role)] ?? [];
    const extra = Object.keys(message).find((key) => !allowed.includes(key));
    if (extra !== undefined) return `'messages.${index}' : for 'role:${String(message.role)}' the following must be satisfied[('messages.${index}' : property '${extra}' is unsupported)]`;
  }
  return undefined;
}

export function openaiError(response: ServerResponse, status: number, message: string, code: string | null, type = 'invalid_request_error', headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: { message, type, param: null, code } }, headers);
}

export async function startOpenAIMock(options: OpenAIMockOptions = {}): Promise<OpenAIMock> {
  const settings: Required<OpenAIMockOptions> = { apiKey: 'test-key', auth: 'bearer', prefix: '/v1', strictMessages: false, reasoningOnToolTurns: false, ...options };
  const state = { chat: { json: 'openai/chat/openai-text.json', chunks: 'openai/chat/openai-text.chunks.txt' }, embeddingFixture: 'openai/embedding/openai-embedding.json' };
  let self: OpenAIMock | undefined;
  const mock = await startMockServer(async (request, response) => {
    const azure = azurePath.exec(request.path);
    if (azure && !request.query.get('api-version')) return openaiError(response, 404, 'Resource not found', '404');
    const operation = azure ? azure[2] : request.path.startsWith(settings.prefix) ? request.path.slice(settings.prefix.length).replace(/^\//, '') : undefined;
    if (request.method !== 'POST' || (operation !== 'chat/completions' && operation !== 'embeddings')) {
      return openaiError(response, 404, `Unknown request URL: ${request.method} ${request.path}.`, 'unknown_url');
    }
    if (!authorized(request, settings)) {
      return openaiError(response, 401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_api_key');
    }
    if (operation === 'embeddings') return sendJson(response, 200, fixtureJson(self!.embeddingFixture));
    if (!request.body?.messages) return openaiError(response, 400, "Missing required parameter: 'messages'.", 'missing_required_parameter');
    const unsupported = settings.strictMessages ? strictMessageError(request.body.messages) : undefined;
    if (unsupported !== undefined) return sendJson(response, 400, { error: { message: unsupported, type: 'invalid_request_error' } });
    const lostReasoning = (message: Record<string, unknown>): boolean => message.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0 && typeof message.reasoning_content !== 'string';
    if (settings.reasoningOnToolTurns && (request.body.messages as Record<string, unknown>[]).some(lostReasoning)) {
      return openaiError(response, 400, 'The `reasoning_content` in the thinking mode must be passed back to the API.', 'invalid_request_error');
    }
    if (request.body.stream) return sendSse(response, [...fixtureChunks(self!.chat.chunks).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), 'data: [DONE]\n\n']);
    return sendJson(response, 200, fixtureJson(self!.chat.json));
  });
  self = Object.assign(mock, state);
  return self;
}
