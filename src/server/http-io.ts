/** Small helpers for node:http: reading a bounded body, writing JSON and errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { GatewayError, toErrorBody, toGatewayError } from '../api/errors.js';

export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    throw new GatewayError('body_too_large', { message: `The request body is ${declared} bytes; the limit is ${limitBytes}.` });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      request.resume();
      throw new GatewayError('body_too_large', { message: `The request body is over the ${limitBytes}-byte limit.` });
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new GatewayError('invalid_json', { message: 'The request body is empty; a JSON object was expected.' });
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new GatewayError('invalid_json', { message: `The request body is not valid JSON: ${(error as Error).message}` });
  }
}

/** Validates with a zod schema; the error names the first failing field's path. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new GatewayError('invalid_request', { message: `Invalid request: ${path || 'body'}: ${issue.message}${more}`, param: path || null });
}

/** The JSON text of a body as sent, and its UTF-8 bytes. */
export interface SentJson {
  readonly text: string;
  readonly bytes: Buffer;
}

/**
 * Writes `body` as JSON. The text is encoded once, here: the bytes give the content length and are what is
 * written, and the caller may keep them (the request log does), instead of the socket encoding the text again.
 * `text`: the body's JSON, where the caller has it (an upstream answer passed on unchanged, `raw-json.ts`).
 */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, text = JSON.stringify(body)): SentJson {
  const bytes = Buffer.from(text);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, ...headers });
  response.end(bytes);
  return { text, bytes };
}

/** Writes an error with its status (and `retry-after`); `render` gives the body in the client's API format (OpenAI's by default). */
export function sendError(response: ServerResponse, error: unknown, render: (error: GatewayError) => unknown = toErrorBody, extraHeaders: Record<string, string> = {}): void {
  const gatewayError = toGatewayError(error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const headers: Record<string, string> = { ...extraHeaders };
  if (gatewayError.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(gatewayError.retryAfterMs / 1000));
  sendJson(response, gatewayError.status, render(gatewayError), headers);
}

/** Lower-cased single-valued view of the inbound headers. */
export function headerRecord(request: IncomingMessage): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) record[name] = Array.isArray(value) ? value.join(', ') : value;
  return record;
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match ? match[1]!.trim() : undefined;
}
