/** Shared pieces of the cache tests: a counting upstream, a caller-identity stage, a silent logger. */
import type { ServerResponse } from 'node:http';
import { pino } from 'pino';
import type { Stage } from '../../src/server/pipeline.js';
import { sendJson, sendSse, startMockServer, type MockUpstream } from '../mocks/mock-server.js';

export const silentLogger = pino({ level: 'silent' });

export interface CountingUpstream extends MockUpstream {
  /** Chat requests served so far. */
  readonly served: () => number;
  /** Answer the next chat request with a tool call instead of text. */
  toolCallNext(): void;
}

const chunk = (id: string, delta: object, finish: string | null): string =>
  `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: 'm1', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/**
 * An OpenAI-dialect upstream whose every answer names its sequence number
 * ("answer 3"), so a test can tell a cached answer from a fresh one.
 */
export async function startCountingUpstream(): Promise<CountingUpstream> {
  let count = 0;
  let toolCall = false;
  const mock = await startMockServer((request, response: ServerResponse) => {
    if (!request.path.endsWith('/chat/completions')) return sendJson(response, 404, { error: { message: 'no such path' } });
    count += 1;
    const id = `chatcmpl-${count}`;
    const text = `answer ${count}: the quick brown fox jumps over the lazy dog`;
    const usage = { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 };
    const useTool = toolCall;
    toolCall = false;
    if (request.body?.stream) {
      const frames = [chunk(id, { role: 'assistant', content: '' }, null)];
      if (useTool) {
        frames.push(chunk(id, { tool_calls: [{ index: 0, id: `call_${count}`, type: 'function', function: { name: 'get_weather', arguments: '' } }] }, null));
        frames.push(chunk(id, { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null));
        frames.push(chunk(id, { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null));
        frames.push(chunk(id, {}, 'tool_calls'));
      } else {
        for (const piece of text.match(/.{1,7}/g)!) frames.push(chunk(id, { content: piece }, null));
        frames.push(chunk(id, {}, 'stop'));
      }
      frames.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: 'm1', choices: [], usage })}\n\n`, 'data: [DONE]\n\n');
      return sendSse(response, frames);
    }
    const message = useTool
      ? { role: 'assistant', content: null, tool_calls: [{ id: `call_${count}`, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }
      : { role: 'assistant', content: text };
    return sendJson(response, 200, { id, object: 'chat.completion', created: 1_700_000_000, model: 'm1', choices: [{ index: 0, message, finish_reason: useTool ? 'tool_calls' : 'stop', logprobs: null }], usage });
  });
  return Object.assign(mock, {
    served: () => count,
    toolCallNext: () => {
      toolCall = true;
    },
  });
}

/** Stands in for governance: `x-test-key` / `x-test-team` become the principal. */
export const principalStage: Stage = {
  name: 'test-principal',
  before(exchange) {
    const headers = exchange.context.request.headers;
    const keyId = headers['x-test-key'];
    const teamId = headers['x-test-team'];
    if (typeof keyId === 'string') exchange.principal = { keyId, teamId: typeof teamId === 'string' ? teamId : undefined, metadata: {} };
  },
};

/** Stands in for governance's settlement, which runs before the cache's `finish`: prices every answer the provider served. */
export const pricingStage: Stage = {
  name: 'test-pricing',
  finish(exchange) {
    if (exchange.cacheStatus === 'HIT' || exchange.cacheStatus === 'SEMANTIC_HIT') return;
    if (exchange.status === 200) exchange.cost = { usd: 0.0042, estimated: false, unpriced: false };
  },
};
