/**
 * A mock of Anthropic's Messages API: `POST /v1/messages`, authenticated the way
 * Anthropic does (an `x-api-key` header, or `Authorization: Bearer` as today's SDKs
 * send it), a required `anthropic-version`, 2026-10-21's rejection of sampling
 * parameters, Anthropic's checks of thinking blocks in the history (`thinkingFailure`),
 * and Anthropic's error bodies. Replies replay recorded fixtures:
 * `NAME.json` for a plain request, `NAME.chunks.txt` as `event: {type}\ndata: {json}\n\n`
 * frames when the request body has `stream: true`.
 */
import type { ServerResponse } from 'node:http';
import { fixtureChunks, fixtureJson, sendJson, sendSse, startMockServer, type MockUpstream, type RecordedRequest } from './mock-server.js';

export const ANTHROPIC_MOCK_KEY = 'test-key';

export type AnthropicReply =
  /** A fixture under `anthropic/`, without extension: `.json` or `.chunks.txt` by the request's `stream`. */
  | { fixture: string; gapMs?: number }
  /** A message body made of recorded blocks (a combination no single fixture holds), sent as JSON. */
  | { message: Record<string, unknown> }
  /** A stream of event payloads (each framed with its own `type`). */
  | { events: Array<{ type: string } & Record<string, unknown>>; gapMs?: number }
  /** An HTTP error with Anthropic's error body. */
  | { error: { status: number; type: string; message: string }; headers?: Record<string, string> };

export interface AnthropicMock extends MockUpstream {
  /** Queue the reply to the next authenticated `POST /v1/messages` (the default is `anthropic-text`). */
  reply(reply: AnthropicReply): void;
  /** Drop replies queued and not yet served. */
  clearReplies(): void;
}

let requestCounter = 0;
const requestId = (): string => `req_mock${String(++requestCounter).padStart(6, '0')}`;

export function anthropicErrorBody(type: string, message: string): { type: 'error'; error: { type: string; message: string }; request_id: string } {
  return { type: 'error', error: { type, message }, request_id: requestId() };
}

function sendError(response: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, anthropicErrorBody(type, message), { 'request-id': `req_${Date.now()}`, ...headers });
}

/** Frames one event the way Anthropic does: the SSE event name is the payload's `type`. */
export function anthropicFrame(payload: { type: string }): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

type Block = { type?: unknown };
const isThinking = (block: Block): boolean => block.type === 'thinking' || block.type === 'redacted_thinking';
const blocksOf = (message: { content?: unknown }): Block[] => (Array.isArray(message.content) ? (message.content as Block[]) : []);

/**
 * Anthropic's checks of thinking blocks in the history, with its messages:
 * - an assistant message holding thinking must start with it;
 * - with thinking off, the final message, when it is the assistant's, may not hold any;
 * - with thinking on (`enabled` or `adaptive`), the last assistant message before the tool results
 *   that end the history must start with a thinking block.
 */
export function thinkingFailure(body: { thinking?: unknown; messages: Array<{ role?: unknown; content?: unknown }> }): string | undefined {
  const { messages } = body;
  for (const [index, message] of messages.entries()) {
    const blocks = blocksOf(message);
    if (message.role === 'assistant' && blocks.some(isThinking) && !isThinking(blocks[0]!)) {
      return `messages.${index}.content.0: If an assistant message contains any thinking blocks, the first block must be thinking or redacted_thinking. Found ${String(blocks[0]!.type)}.`;
    }
  }
  const type = (body.thinking as { type?: unknown } | undefined)?.type;
  const thinking = type === 'enabled' || type === 'adaptive';
  const last = messages.length - 1;
  if (!thinking) {
    const position = messages[last]?.role === 'assistant' ? blocksOf(messages[last]!).findIndex(isThinking) : -1;
    if (position < 0) return undefined;
    return `messages.${last}.content.${position}: When thinking is disabled, an \`assistant\` message in the final position cannot contain \`thinking\`. To use thinking blocks, enable \`thinking\` in your request.`;
  }
  const endsWithToolResults = messages[last]?.role === 'user' && blocksOf(messages[last]!).some((block) => block.type === 'tool_result');
  let assistant = last;
  while (assistant >= 0 && messages[assistant]!.role !== 'assistant') assistant -= 1;
  if (!endsWithToolResults || assistant < 0) return undefined;
  const first = blocksOf(messages[assistant]!)[0];
  if (first && isThinking(first)) return undefined;
  return (
    `messages.${assistant}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first?.type)}\`. ` +
    'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). ' +
    'We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. ' +
    'Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking'
  );
}

/** Returns an error reason when the credentials are missing or wrong, as Anthropic checks them. */
function authFailure(request: RecordedRequest, apiKey: string): string | undefined {
  const headerKey = request.headers['x-api-key'];
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '') : undefined;
  if (headerKey === undefined && bearer === undefined) return 'x-api-key header is required';
  // Anthropic reads x-api-key when both are sent.
  const key = typeof headerKey === 'string' ? headerKey : bearer;
  return key === apiKey ? undefined : 'invalid x-api-key';
}

export async function startAnthropicMock(options: { apiKey?: string } = {}): Promise<AnthropicMock> {
  const apiKey = options.apiKey ?? ANTHROPIC_MOCK_KEY;
  const replies: AnthropicReply[] = [];

  const mock = await startMockServer(async (request, response) => {
    if (request.method !== 'POST' || request.path !== '/v1/messages') {
      sendError(response, 404, 'not_found_error', 'Not found');
      return;
    }
    const failure = authFailure(request, apiKey);
    if (failure) {
      sendError(response, 401, 'authentication_error', failure);
      return;
    }
    const version = request.headers['anthropic-version'];
    if (version !== '2023-06-01' && version !== '2026-10-21') {
      sendError(response, 400, 'invalid_request_error', version === undefined ? 'anthropic-version: header is required' : `anthropic-version: invalid version ${String(version)}`);
      return;
    }
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages) || typeof body.max_tokens !== 'number') {
      sendError(response, 400, 'invalid_request_error', 'model, messages and max_tokens are required');
      return;
    }
    if (version === '2026-10-21') {
      const removed = ['temperature', 'top_p', 'top_k'].find((key) => key in body);
      if (removed) {
        sendError(response, 400, 'invalid_request_error', `${removed}: Extra inputs are not permitted`);
        return;
      }
    }

    const thinkingError = thinkingFailure(body as Parameters<typeof thinkingFailure>[0]);
    if (thinkingError) {
      sendError(response, 400, 'invalid_request_error', thinkingError);
      return;
    }

    const reply = replies.shift() ?? { fixture: 'anthropic-text' };
    if ('error' in reply) {
      sendError(response, reply.error.status, reply.error.type, reply.error.message, reply.headers);
      return;
    }
    const stream = body.stream === true;
    const headers = { 'request-id': requestId() };
    if ('message' in reply) {
      sendJson(response, 200, reply.message, headers);
      return;
    }
    if ('events' in reply) {
      await sendSse(response, reply.events.map(anthropicFrame), { gapMs: reply.gapMs, headers });
      return;
    }
    if (stream) {
      await sendSse(response, fixtureChunks(`anthropic/${reply.fixture}.chunks.txt`).map(anthropicFrame), { gapMs: reply.gapMs, headers });
    } else {
      sendJson(response, 200, fixtureJson(`anthropic/${reply.fixture}.json`), headers);
    }
  });

  return Object.assign(mock, {
    reply: (reply: AnthropicReply) => void replies.push(reply),
    clearReplies: () => void replies.splice(0),
  });
}
