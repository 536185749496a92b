/**
 * A fault-injecting OpenAI-dialect upstream. Each request takes the next
 * scripted behaviour (or succeeds by default): a status with headers such as
 * Retry-After, a delay before the headers, a drip-fed stream with gaps, a
 * connection dropped mid-stream, or a reset before any header.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson, startMockServer, type MockUpstream, type RecordedRequest } from './mock-server.js';

export type Fault =
  | { kind: 'ok'; text?: string; delayMs?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string }
  | { kind: 'delay-headers'; delayMs: number }
  | { kind: 'reset' }
  | { kind: 'stream'; chunks: number; gapMs?: number; firstGapMs?: number; dropAfter?: number; stallAfter?: number };

export interface FaultMock extends MockUpstream {
  /** Behaviours for the next requests, in order; when they run out, requests succeed. */
  script(...faults: Fault[]): void;
  /** Forgets scripted behaviours not used yet and the recorded requests. */
  reset(): void;
  /** Set by tests to tell the mocks apart in responses. */
  label: string;
  /** Times each request arrived (ms since epoch). */
  arrivals: number[];
}

const chunk = (label: string, content: string | undefined, finish: string | null): string =>
  `data: ${JSON.stringify({ id: `chatcmpl-${label}`, object: 'chat.completion.chunk', created: 1, model: label, choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }] })}\n\n`;

function completion(label: string, text: string): object {
  return {
    id: `chatcmpl-${label}`,
    object: 'chat.completion',
    created: 1,
    model: label,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  };
}

async function stream(response: ServerResponse, label: string, fault: Extract<Fault, { kind: 'stream' }>): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  if (fault.firstGapMs) await sleep(fault.firstGapMs);
  for (let index = 0; index < fault.chunks; index += 1) {
    if (fault.dropAfter !== undefined && index === fault.dropAfter) {
      response.socket?.destroy();
      return;
    }
    if (fault.stallAfter !== undefined && index === fault.stallAfter) {
      await sleep(60_000);
      return;
    }
    response.write(chunk(label, `${label}-${index} `, null));
    if (fault.gapMs) await sleep(fault.gapMs);
  }
  response.write(chunk(label, undefined, 'stop'));
  response.end('data: [DONE]\n\n');
}

export async function startFaultMock(label: string): Promise<FaultMock> {
  const queue: Fault[] = [];
  const arrivals: number[] = [];
  const serve = async (request: RecordedRequest, response: ServerResponse): Promise<void> => {
    arrivals.push(Date.now());
    const fault: Fault = queue.shift() ?? { kind: 'ok' };
    switch (fault.kind) {
      case 'ok':
        if (fault.delayMs) await sleep(fault.delayMs);
        if (request.body?.stream) return stream(response, label, { kind: 'stream', chunks: 2 });
        return sendJson(response, 200, completion(label, fault.text ?? `served by ${label}`));
      case 'status':
        return sendJson(response, fault.status, { error: { message: fault.message ?? `${label} failed with ${fault.status}`, type: 'server_error', param: null, code: null } }, fault.headers);
      case 'delay-headers':
        await sleep(fault.delayMs);
        if (request.body?.stream) return stream(response, label, { kind: 'stream', chunks: 2 });
        return sendJson(response, 200, completion(label, `served by ${label}`));
      case 'reset':
        response.socket?.destroy();
        return;
      case 'stream':
        return stream(response, label, fault);
      default: {
        const unreachable: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
      }
    }
  };
  const mock = await startMockServer(serve);
  return Object.assign(mock, {
    label,
    arrivals,
    script: (...faults: Fault[]) => void queue.push(...faults),
    reset: () => {
      queue.length = 0;
      mock.requests.length = 0;
      arrivals.length = 0;
    },
  });
}
