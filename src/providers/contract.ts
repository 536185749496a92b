/**
 * The provider contract. A dialect is three pure mappings (request, response,
 * stream) plus optional embeddings, error parsing and request signing.
 * Transport, retries, timeouts, SSE framing and the OpenAI chunk envelope
 * belong to the core, never to a provider.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatRequest,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../api/chat-schema.js';

/** Resolved settings of one provider instance (from config or zero-config env). */
export interface ProviderSettings {
  /** Instance name, as used in `provider/model` and error messages. */
  readonly name: string;
  readonly dialect: DialectId;
  readonly baseURL: string;
  readonly apiKey?: string;
  /** Extra headers sent on every upstream request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Dialect-specific settings. */
  readonly options: ProviderOptions;
}

/** Dialect-specific settings, all optional; each dialect reads its own. */
export interface ProviderOptions {
  /** Azure OpenAI: the `api-version` query parameter. */
  readonly apiVersion?: string;
  /** AWS Bedrock. */
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /** Google Vertex AI. */
  readonly project?: string;
  readonly location?: string;
  /** A Google service-account key (the parsed JSON file). */
  readonly serviceAccount?: { readonly client_email: string; readonly private_key: string; readonly private_key_id?: string; readonly token_uri?: string };
  /** OAuth token endpoint override (tests point it at a mock). */
  readonly tokenURL?: string;
  /** Parameters an OpenAI-compatible provider rejects (from its catalog row). */
  readonly unsupportedParams?: readonly string[];
  /**
   * `max_tokens`: the output cap goes as `max_tokens`, which every OpenAI-compatible server reads, when the request
   * gives only `max_completion_tokens` (OpenAI's newer name, which some of them ignore). Catalog rows set it.
   */
  readonly maxTokensField?: 'max_tokens';
  /** OpenAI dialect: whether history messages keep their `reasoning_content` (see `catalog.ts`); unset means `send`. */
  readonly reasoningHistory?: ReasoningHistory;
}

/** `require`: sent, and an assistant tool-call turn without any gets an empty one (see `catalog.ts`). */
export type ReasoningHistory = 'send' | 'drop' | 'require';

export type DialectId = 'openai' | 'azure' | 'anthropic' | 'gemini' | 'vertex' | 'bedrock' | 'cohere' | 'mistral';

export interface CallContext {
  /** The provider's own model id (after alias resolution). */
  readonly model: string;
  readonly settings: ProviderSettings;
  readonly stream: boolean;
  /** Headers of the inbound request, lower-cased, for dialects that forward some (e.g. anthropic-beta). */
  readonly inboundHeaders: Readonly<Record<string, string | undefined>>;
}

export interface UpstreamRequest {
  readonly method: 'POST' | 'GET';
  /** Absolute URL. */
  readonly url: string;
  readonly headers: Record<string, string>;
  /** A JSON value; the core serializes it. */
  readonly body?: unknown;
}

/** A signed request whose body is already serialized. */
export interface SerializedRequest {
  readonly method: 'POST' | 'GET';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** One upstream stream event, framing already removed by the core. `data` is parsed JSON. */
export interface UpstreamEvent {
  /** SSE `event:` name, or Bedrock's `:event-type` header. */
  readonly type: string | undefined;
  readonly data: unknown;
}

/**
 * Stateful per-stream mapper. `event` returns zero or more OpenAI chunks;
 * `end` is called once the upstream stream closed cleanly and returns the last
 * chunks (it throws a GatewayError when the stream was incomplete).
 * Chunks are built with `ChunkFactory` so the envelope is uniform.
 */
export interface StreamMapper {
  event(event: UpstreamEvent): ChatCompletionChunk[];
  end(): ChatCompletionChunk[];
}

export interface ProviderErrorInfo {
  message: string;
  type?: string | null;
  code?: string | null;
  param?: string | null;
}

export interface ImageNeeds {
  /** 'url': the provider fetches URLs itself; 'inline': the gateway must inline http(s) images as data URLs. */
  readonly imageUrls: 'url' | 'inline';
}

export interface ProviderAdapter {
  readonly dialect: DialectId;
  readonly needs: ImageNeeds;
  /** 'sse' (default) or AWS's binary event stream. */
  readonly streamFraming?: 'sse' | 'aws-eventstream';
  chatRequest(request: ChatRequest, context: CallContext): UpstreamRequest;
  chatResponse(body: unknown, context: CallContext): ChatCompletion;
  chatStream(context: CallContext, factory: ChunkFactory): StreamMapper;
  embedRequest?(request: EmbeddingRequest, context: CallContext): UpstreamRequest;
  embedResponse?(body: unknown, context: CallContext): EmbeddingResponse;
  /** Extracts the provider's message and code from an error body (parsed JSON, or a string) and its headers. */
  parseError?(status: number, body: unknown, headers?: Readonly<Record<string, string | string[] | undefined>>): ProviderErrorInfo;
  /** Async signing (SigV4, OAuth bearer tokens). Runs after serialization. */
  sign?(request: SerializedRequest, settings: ProviderSettings): Promise<SerializedRequest>;
}

/** Builds chunks with one id, `created` and model for a whole stream. */
export interface ChunkFactory {
  readonly id: string;
  readonly model: string;
  chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finishReason?: ChatCompletionChunk['choices'][number]['finish_reason'], index?: number): ChatCompletionChunk;
  usage(usage: NonNullable<ChatCompletionChunk['usage']>): ChatCompletionChunk;
}
