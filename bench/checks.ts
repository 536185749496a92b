/**
 * Checks made before a row is loaded: one request must succeed with a well-formed body,
 * and a streaming target must pass frames on as they come rather than all at the end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { fillTemplate, type UniqueStyle } from './unique-prompts.js';

export interface RequestShape {
  url: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
}

export interface StreamingCheck {
  firstFrameMilliseconds: number;
  totalMilliseconds: number;
  /** True when the first frame came well before the last, false when it was held back. */
  streams: boolean;
}

/** Pause the mock puts between frames during the streaming check. */
const FRAME_DELAY_MILLISECONDS = 40;

function describeBody(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** Returns a problem, or undefined when one request gives a good answer. */
export async function checkOneRequest(shape: RequestShape): Promise<string | undefined> {
  try {
    const response = await request(shape.url, {
      method: 'POST',
      headers: shape.headers,
      body: shape.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return `status ${response.statusCode}: ${describeBody(text)}`;
    if (shape.stream) {
      if (!text.includes('data: ') || !text.includes('[DONE]')) return `not an SSE stream ending in [DONE]: ${describeBody(text)}`;
      if (!text.includes('"usage"')) return 'stream carries no usage chunk although include_usage was asked for';
      return undefined;
    }
    // A chat completion, an Anthropic message (the Messages API rows) or a Response (the Responses API rows).
    const parsed = JSON.parse(text) as {
      choices?: Array<{ message?: { content?: string } }>;
      type?: string;
      content?: Array<{ type?: string; text?: string }>;
      object?: string;
      output?: Array<{ type?: string; content?: Array<{ type?: string; text?: string }> }>;
    };
    if (parsed.type === 'message') return parsed.content?.some((block) => block.type === 'text' && block.text) ? undefined : `a message without text: ${describeBody(text)}`;
    if (parsed.object === 'response') {
      const texts = (parsed.output ?? []).flatMap((item) => (item.type === 'message' ? (item.content ?? []) : []));
      return texts.some((part) => part.type === 'output_text' && part.text) ? undefined : `a response without output_text: ${describeBody(text)}`;
    }
    if (!parsed.choices?.[0]?.message?.content) return `no choices[0].message.content: ${describeBody(text)}`;
    return undefined;
  } catch (error) {
    return `request failed: ${String(error)}`;
  }
}

async function setFrameDelay(origins: string[], milliseconds: number): Promise<void> {
  for (const origin of origins) {
    const response = await request(`${origin}/bench/stream-delay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ milliseconds }),
    });
    await response.body.text();
  }
}

/** Times the first and last frame of one stream while the mock(s) at `mockOrigins` pause between frames. */
export async function checkStreaming(shape: RequestShape, mockOrigins: string[]): Promise<StreamingCheck> {
  await setFrameDelay(mockOrigins, FRAME_DELAY_MILLISECONDS);
  try {
    const started = performance.now();
    const response = await request(shape.url, { method: 'POST', headers: shape.headers, body: shape.body });
    let firstFrameMilliseconds = Number.NaN;
    for await (const part of response.body) {
      if (Number.isNaN(firstFrameMilliseconds) && (part as Buffer).includes('data:')) {
        firstFrameMilliseconds = performance.now() - started;
      }
    }
    const totalMilliseconds = performance.now() - started;
    const streams = firstFrameMilliseconds < totalMilliseconds / 2 && totalMilliseconds > FRAME_DELAY_MILLISECONDS * 5;
    return { firstFrameMilliseconds, totalMilliseconds, streams };
  } finally {
    await setFrameDelay(mockOrigins, 0);
  }
}

/** Tries of the cache probe; the loaded requests number their unique prompts from here on. */
export const PROBE_ATTEMPTS = 20;
const PROBE_PAUSE_MILLISECONDS = 50;
const CACHE_HEADER = 'x-switchyard-cache';

export interface CacheProbe {
  /** Why the row cannot run here: the gateway has no cache yet. */
  skip?: string;
  problem?: string;
}

/**
 * Sends the loaded request (probe number `attempt` of a unique template) until it gets the
 * expected cache status. A hit may take a moment to appear, as the answer that fills the
 * cache is stored just after it is sent; a unique template makes every try a new request,
 * so a probe that missed does not turn the next one into an exact hit.
 */
export async function checkCacheStatus(shape: RequestShape, expected: string, style: UniqueStyle | undefined): Promise<CacheProbe> {
  let last = '';
  for (let attempt = 0; attempt < PROBE_ATTEMPTS; attempt += 1) {
    try {
      const body = style ? fillTemplate(shape.body, style, attempt) : shape.body;
      const response = await request(shape.url, { method: 'POST', headers: shape.headers, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
      const text = await response.body.text();
      if (response.statusCode !== 200) return { problem: `status ${response.statusCode}: ${describeBody(text)}` };
      const status = response.headers[CACHE_HEADER];
      if (status === undefined) return { skip: `the gateway answered without an ${CACHE_HEADER} header: no response cache in this build` };
      if (status === expected) return {};
      last = String(status);
    } catch (error) {
      return { problem: `request failed: ${String(error)}` };
    }
    await sleep(PROBE_PAUSE_MILLISECONDS);
  }
  return { problem: `expected ${CACHE_HEADER}: ${expected}, still ${last} after ${PROBE_ATTEMPTS} tries` };
}

/** switchyard_cache_requests_total by status, from the gateway's /metrics; undefined when unreadable. */
export async function countCacheStatuses(origin: string): Promise<Record<string, number> | undefined> {
  try {
    const response = await request(`${origin}/metrics`, { headersTimeout: 10_000, bodyTimeout: 10_000 });
    const text = await response.body.text();
    if (response.statusCode !== 200) return undefined;
    const counts: Record<string, number> = {};
    for (const match of text.matchAll(/^switchyard_cache_requests_total\{[^}]*status="([^"]+)"[^}]*\}\s+([0-9.e+]+)$/gm)) {
      counts[match[1]] = Number(match[2]);
    }
    return counts;
  } catch {
    return undefined;
  }
}
