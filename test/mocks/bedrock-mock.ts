/**
 * A mock Bedrock Runtime: the real paths (`/model/{modelId}/converse`, `/converse-stream`,
 * `/invoke`), real SigV4 verification (the signature is recomputed with the same library from
 * the request's signed headers and raw body) or a Bedrock API key, Converse JSON from fixtures,
 * and ConverseStream as binary `application/vnd.amazon.eventstream` frames.
 */
import type { ServerResponse } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { SignatureV4 } from '@smithy/signature-v4';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { fixtureChunks, fixtureJson, sendJson, startMockServer, type MockHandler, type MockUpstream, type RecordedRequest } from './mock-server.js';

/** The credentials the mock accepts (AWS's documented example key pair). */
export const bedrockTestCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
} as const;
/** The Bedrock API key (bearer token) the mock accepts. */
export const bedrockTestApiKey = 'ABSKbedrock-test-api-key';

const signatureMismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export type StreamEvent = Record<string, unknown>;

export interface StreamOptions {
  /** An exception frame sent after the events (e.g. `{ type: 'modelStreamErrorException', message: '...' }`). */
  exception?: { type: string; message: string };
  /** Write the encoded bytes in pieces of this size, so messages are split across writes. */
  pieceBytes?: number;
  /** Add Bedrock's random `p` padding field to each payload (default true). */
  padding?: boolean;
}

interface AuthFailure {
  status: number;
  type: string;
  message: string;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function stringHeaders(values: Record<string, string>): MessageHeaders {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { type: 'string' as const, value }]));
}

/** One event frame; the fixture line's single key is the event type, its value the payload. */
export function encodeEventFrame(line: StreamEvent, padding = true): Uint8Array {
  const [type, payload] = Object.entries(line)[0] as [string, Record<string, unknown>];
  const body = padding ? { ...payload, p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'.slice(0, 1 + (type.length * 7) % 40) } : payload;
  return codec.encode({
    headers: stringHeaders({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }),
    body: fromUtf8(JSON.stringify(body)),
  });
}

export function encodeExceptionFrame(type: string, message: string): Uint8Array {
  return codec.encode({
    headers: stringHeaders({ ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }),
    body: fromUtf8(JSON.stringify({ message })),
  });
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

async function verifySigV4(request: RecordedRequest, authorization: string): Promise<AuthFailure | undefined> {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) return { status: 403, type: 'IncompleteSignatureException', message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.` };
  const [, accessKeyId, , region, service, signedHeaders] = match;
  if (accessKeyId !== bedrockTestCredentials.accessKeyId) {
    return { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  if (service !== 'bedrock') return { status: 403, type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: 'bedrock'.` };
  if (region !== bedrockTestCredentials.region) return { status: 403, type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region.` };
  const signingDate = parseAmzDate(header(request, 'x-amz-date'));
  if (!signingDate) return { status: 403, type: 'IncompleteSignatureException', message: 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.' };
  if (Math.abs(Date.now() - signingDate.getTime()) > 15 * 60 * 1000) return { status: 403, type: 'InvalidSignatureException', message: 'Signature expired.' };

  // Recompute over exactly the signed headers, the raw path and the body as received.
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    const value = header(request, name);
    if (value === undefined) return { status: 403, type: 'InvalidSignatureException', message: signatureMismatch };
    headers[name] = value;
  }
  const bodyHash = new Sha256();
  bodyHash.update(fromUtf8(request.rawBody));
  const computedHash = Buffer.from(await bodyHash.digest()).toString('hex');
  if (headers['x-amz-content-sha256'] !== undefined) headers['x-amz-content-sha256'] = computedHash;
  const signer = new SignatureV4({
    service: 'bedrock',
    region: bedrockTestCredentials.region,
    sha256: Sha256,
    credentials: { accessKeyId: bedrockTestCredentials.accessKeyId, secretAccessKey: bedrockTestCredentials.secretAccessKey },
  });
  const expected = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: '127.0.0.1', path: request.path, query: Object.fromEntries(request.query), headers, body: request.rawBody },
    { signingDate },
  );
  return expected.headers.authorization === authorization ? undefined : { status: 403, type: 'InvalidSignatureException', message: signatureMismatch };
}

/** Checks the request the way Bedrock does: SigV4, or a Bedrock API key as a bearer token. */
export async function verifyBedrockAuth(request: RecordedRequest): Promise<AuthFailure | undefined> {
  const authorization = header(request, 'authorization');
  if (!authorization) return { status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  if (authorization.startsWith('Bearer ')) {
    return authorization.slice('Bearer '.length) === bedrockTestApiKey ? undefined : { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  return verifySigV4(request, authorization);
}

/** Bedrock's error response: `{"message": ...}` and the exception name in `x-amzn-errortype`. */
export function sendBedrockError(response: ServerResponse, status: number, type: string, message: string): void {
  sendJson(response, status, { message }, { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'mock-request-id' });
}

function authenticated(handler: MockHandler): MockHandler {
  return async (request, response) => {
    const failure = await verifyBedrockAuth(request);
    if (failure) return sendBedrockError(response, failure.status, failure.type, failure.message);
    return handler(request, response);
  };
}

async function writeStream(response: ServerResponse, events: StreamEvent[], options: StreamOptions): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'mock-request-id' });
  const frames = events.map((event) => encodeEventFrame(event, options.padding ?? true));
  if (options.exception) frames.push(encodeExceptionFrame(options.exception.type, options.exception.message));
  const bytes = Buffer.concat(frames);
  const piece = options.pieceBytes ?? bytes.byteLength;
  for (let offset = 0; offset < bytes.byteLength; offset += piece) {
    response.write(bytes.subarray(offset, offset + piece));
    if (options.pieceBytes) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  response.end();
}

/** Serves a Converse JSON body (after checking auth). */
export function converseJson(body: unknown): MockHandler {
  return authenticated((_request, response) => sendJson(response, 200, body, { 'x-amzn-requestid': 'mock-request-id' }));
}

/** Serves ConverseStream events as binary event-stream frames (after checking auth). */
export function converseStream(events: StreamEvent[], options: StreamOptions = {}): MockHandler {
  return authenticated((_request, response) => writeStream(response, events, options));
}

/** Serves a Bedrock error response (after checking auth), e.g. 429 ThrottlingException. */
export function bedrockError(status: number, type: string, message: string): MockHandler {
  return authenticated((_request, response) => sendBedrockError(response, status, type, message));
}

/** A Titan Text Embeddings body: `{embedding, inputTextTokenCount}`. */
export const titanEmbedding = { embedding: [0.0125, -0.0431, 0.0872, 0.0051], inputTextTokenCount: 7 };

const modelPath = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

/** Default answers: the text fixtures for Converse and ConverseStream, a Titan embedding for InvokeModel. */
const defaultHandler: MockHandler = authenticated(async (request, response) => {
  const route = modelPath.exec(request.path);
  if (request.method !== 'POST' || !route) return sendBedrockError(response, 404, 'UnknownOperationException', 'Unknown operation');
  switch (route[2]) {
    case 'converse':
      return sendJson(response, 200, fixtureJson('amazon-bedrock/amazon-bedrock-text.json'));
    case 'converse-stream':
      return writeStream(response, fixtureChunks('amazon-bedrock/amazon-bedrock-text.chunks.txt'), {});
    default:
      return sendJson(response, 200, titanEmbedding);
  }
});

export async function startBedrockMock(): Promise<MockUpstream> {
  return startMockServer(defaultHandler);
}
