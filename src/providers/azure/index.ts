/**
 * Azure OpenAI: OpenAI's body, addressed to a deployment
 * (`{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...`)
 * with the `api-key` header. The model the client names is the deployment.
 */
import type { ChatRequest, EmbeddingRequest } from '../../api/chat-schema.js';
import type { CallContext, ProviderAdapter, UpstreamRequest } from '../contract.js';
import { toOpenAIBody } from '../openai/convert-request.js';
import { openaiAdapter } from '../openai/index.js';

export const defaultAzureApiVersion = '2024-10-21';

function azureURL(context: CallContext, operation: 'chat/completions' | 'embeddings'): string {
  const base = context.settings.baseURL.replace(/\/+$/, '').replace(/\/openai$/, '');
  const version = encodeURIComponent(context.settings.options.apiVersion ?? defaultAzureApiVersion);
  return `${base}/openai/deployments/${encodeURIComponent(context.model)}/${operation}?api-version=${version}`;
}

function azureHeaders(context: CallContext): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...context.settings.headers };
  if (context.settings.apiKey) headers['api-key'] = context.settings.apiKey;
  return headers;
}

function azureChatRequest(request: ChatRequest, context: CallContext): UpstreamRequest {
  const body = toOpenAIBody(request, context);
  delete body.model;
  return { method: 'POST', url: azureURL(context, 'chat/completions'), headers: azureHeaders(context), body };
}

function azureEmbedRequest(request: EmbeddingRequest, context: CallContext): UpstreamRequest {
  const { model: _model, ...body } = request;
  return { method: 'POST', url: azureURL(context, 'embeddings'), headers: azureHeaders(context), body };
}

export const azureAdapter: ProviderAdapter = {
  ...openaiAdapter,
  dialect: 'azure',
  chatRequest: azureChatRequest,
  embedRequest: azureEmbedRequest,
};
