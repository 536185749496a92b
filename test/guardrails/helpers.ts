/** Shared pieces of the guardrails tests: a scripted upstream, a gateway with the stage, and stages that fake a caller. */
import { pino } from 'pino';
import type { ChatCompletion, ChatCompletionChunk } from '../../src/api/chat-schema.js';
import type { Principal } from '../../src/api/request-record.js';
import { createGuardrails, guardrailsConfigSchema, type Guardrails, type GuardrailsConfigInput, type Judge } from '../../src/guardrails/index.js';
import type { GatewayConfigInput } from '../../src/routing/config-schema.js';
import type { Exchange, Stage } from '../../src/server/pipeline.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { sendJson, sendSse, startMockServer, type MockUpstream, type RecordedRequest } from '../mocks/mock-server.js';

export const silentLogger = pino({ level: 'silent' });

export function completion(content: string | null, model = 'm'): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  };
}

export function chunk(content: string | undefined, finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null, index = 0): ChatCompletionChunk {
  return { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index, delta: content === undefined ? {} : { content }, finish_reason: finish }] };
}

export interface ScriptedUpstream extends MockUpstream {
  /** What the next non-streamed answers say, one per request; the last one repeats. */
  answers: string[];
  /** The pieces of each streamed answer. */
  pieces: string[];
  /** Back to the default script, with the request log emptied. */
  reset(): void;
}

/** An OpenAI-dialect upstream that answers what the test scripts. */
export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  let served = 0;
  let self: ScriptedUpstream | undefined;
  const mock = await startMockServer((request: RecordedRequest, response) => {
    if (request.path.endsWith('/embeddings')) {
      sendJson(response, 200, { object: 'list', model: 'e', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], usage: { prompt_tokens: 2, total_tokens: 2 } });
      return;
    }
    if (request.body?.stream) {
      const frames = [...self!.pieces.map((piece) => `data: ${JSON.stringify(chunk(piece))}\n\n`), `data: ${JSON.stringify(chunk(undefined, 'stop'))}\n\n`, 'data: [DONE]\n\n'];
      return sendSse(response, frames);
    }
    const answer = self!.answers[Math.min(served, self!.answers.length - 1)]!;
    served += 1;
    sendJson(response, 200, completion(answer, request.body?.model));
  });
  self = Object.assign(mock, {
    answers: ['Hello.'],
    pieces: ['Hel', 'lo.'],
    reset() {
      served = 0;
      self!.answers = ['Hello.'];
      self!.pieces = ['Hel', 'lo.'];
      mock.requests.length = 0;
    },
  });
  return self;
}

/** A stage that plays the governance stage: it sets the caller. */
export function principalStage(principal: Principal): Stage {
  return {
    name: 'fake-governance',
    before(exchange: Exchange) {
      exchange.principal = principal;
    },
  };
}

/** A stage after the guardrails that records what they left on the exchange. */
export function recorderStage(seen: Exchange[]): Stage {
  return {
    name: 'recorder',
    finish(exchange: Exchange) {
      seen.push(exchange);
    },
  };
}

export interface GuardedGateway {
  gateway: TestGateway;
  guardrails: Guardrails;
  exchanges: Exchange[];
  close(): Promise<void>;
}

export async function startGuardedGateway(options: {
  upstream: ScriptedUpstream;
  guardrails: GuardrailsConfigInput;
  config?: Partial<GatewayConfigInput>;
  before?: Stage[];
  judge?: Judge;
}): Promise<GuardedGateway> {
  const guardrails = createGuardrails({ config: guardrailsConfigSchema.parse(options.guardrails), logger: silentLogger, ...(options.judge ? { judge: options.judge } : {}) });
  const exchanges: Exchange[] = [];
  const gateway = await startGateway({
    config: { providers: { up: { type: 'openai', api_key: 'k', base_url: `${options.upstream.url}/v1` } }, ...options.config },
    stages: [...(options.before ?? []), guardrails.stage, recorderStage(exchanges)],
  });
  return {
    gateway,
    guardrails,
    exchanges,
    close: async () => {
      await gateway.close();
      await guardrails.stop();
    },
  };
}
