/**
 * An answer no stage changed reaches the client as the provider wrote it (its text is not serialized again);
 * one a stage changed is written from the changed object. OpenAI indents its JSON bodies, so the recorded
 * answer is sent indented here, which `JSON.stringify` of the parsed answer would not reproduce.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../../src/server/pipeline.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { fixtureJson, startMockServer, type MockUpstream } from '../mocks/mock-server.js';

const completionText = `${JSON.stringify(fixtureJson('openai/chat/openai-text.json'), null, 2)}\n`;
const embeddingText = `${JSON.stringify(fixtureJson('openai/embedding/openai-embedding.json'), null, 2)}\n`;

let upstream: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startMockServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(request.path.endsWith('/embeddings') ? embeddingText : completionText);
  });
  gateway = await startGateway({
    config: {
      providers: { openai: { api_key: 'k', base_url: `${upstream.url}/v1` } },
    },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const post = (path: string, body: unknown, through = gateway): Promise<Response> =>
  fetch(`${through.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('an answer passed on unchanged', () => {
  it('is the provider’s own text, for a chat completion and for embeddings', async () => {
    const chat = await post('/chat/completions', { model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.status).toBe(200);
    expect(await chat.text()).toBe(completionText);

    const embeddings = await post('/embeddings', { model: 'openai/text-embedding-3-small', input: 'hi' });
    expect(await embeddings.text()).toBe(embeddingText);
  });

  it('is written from the changed object when a stage changed it', async () => {
    // A stage that changes an answer returns a copy (as output guardrails do); this one marks the text.
    const marking: Stage = {
      name: 'marking',
      afterCompletion: (_exchange, completion) => ({ ...completion, choices: completion.choices.map((choice) => ({ ...choice, message: { ...choice.message, content: `[checked] ${choice.message.content}` } })) }),
    };
    const changing = await startGateway({ config: { providers: { openai: { api_key: 'k', base_url: `${upstream.url}/v1` } } }, stages: [marking] });
    const chat = await post('/chat/completions', { model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] }, changing).finally(() => changing.close());
    const text = await chat.text();
    expect(text).not.toBe(completionText);
    const original = fixtureJson('openai/chat/openai-text.json').choices[0].message.content as string;
    expect((JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe(`[checked] ${original}`);
  });
});
