/**
 * OpenAI chat request → Google `GenerateContentRequest` body (shared by the
 * Gemini API and Vertex AI), and the Gemini API's URL and headers.
 *
 * Not sent, because Google has no counterpart and they do not change the
 * output: `user`, `metadata`, `parallel_tool_calls` (Gemini decides itself
 * whether to call functions in parallel), `stream_options` (usage always comes).
 */
import type { ChatRequest } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';
import { extraParams } from '../shared/extra-params.js';
import { convertMessages } from './convert-messages.js';
import { convertToolChoice, convertTools } from './convert-tools.js';
import { toGoogleJsonSchema } from './json-schema.js';
import { toThinkingConfig } from './thinking-config.js';

export const defaultGeminiBaseURL = 'https://generativelanguage.googleapis.com/v1beta';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unsupported(param: string, context: CallContext, detail: string): GatewayError {
  return new GatewayError('unsupported_parameter', { message: `${context.settings.name} does not support '${param}': ${detail}`, param, provider: context.settings.name });
}

function generationConfig(request: ChatRequest, context: CallContext): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) config.maxOutputTokens = maxTokens;
  if (request.stop != null) config.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.seed != null) config.seed = request.seed;
  if (request.n != null && request.n !== 1) config.candidateCount = request.n;
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;
  if (request.logprobs) config.responseLogprobs = true;
  if (request.top_logprobs != null && request.top_logprobs > 0) {
    if (!request.logprobs) throw unsupported('top_logprobs', context, 'it needs logprobs: true.');
    config.logprobs = request.top_logprobs;
  }
  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    if (format.json_schema.schema) config.responseJsonSchema = toGoogleJsonSchema(format.json_schema.schema);
  }
  const thinking = toThinkingConfig(request.reasoning_effort, context.model);
  if (thinking) config.thinkingConfig = thinking;
  return config;
}

/** The request body; parameters outside the OpenAI contract (safetySettings, cachedContent, ...) pass through. */
export function toGoogleBody(request: ChatRequest, context: CallContext): Record<string, unknown> {
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) throw unsupported('logit_bias', context, 'Google has no token bias.');
  const { contents, systemInstruction } = convertMessages(request.messages, context.model);
  const body: Record<string, unknown> = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const tools = convertTools(request.tools);
  if (tools) body.tools = tools;
  const toolConfig = convertToolChoice(request.tool_choice);
  if (toolConfig && tools) body.toolConfig = toolConfig;

  const extras = extraParams(request);
  const config = generationConfig(request, context);
  if (isRecord(extras.generationConfig)) Object.assign(config, extras.generationConfig);
  delete extras.generationConfig;
  if (Object.keys(config).length > 0) body.generationConfig = config;
  return { ...body, ...extras };
}

/** `models/{model}` unless the id already names a resource (`tunedModels/...`). */
export function geminiModelPath(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}

export function googleMethod(stream: boolean): string {
  return stream ? ':streamGenerateContent?alt=sse' : ':generateContent';
}

export function geminiHeaders(context: CallContext): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...context.settings.headers };
  if (context.settings.apiKey) headers['x-goog-api-key'] = context.settings.apiKey;
  return headers;
}

export function geminiBaseURL(context: CallContext): string {
  return (context.settings.baseURL || defaultGeminiBaseURL).replace(/\/+$/, '');
}

export function geminiChatRequest(request: ChatRequest, context: CallContext): UpstreamRequest {
  return {
    method: 'POST',
    url: `${geminiBaseURL(context)}/${geminiModelPath(context.model)}${googleMethod(context.stream)}`,
    headers: geminiHeaders(context),
    body: toGoogleBody(request, context),
  };
}
