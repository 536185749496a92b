/**
 * Google Vertex AI: the Gemini generateContent body, addressed to
 * `projects/{project}/locations/{location}/publishers/google/models/{model}`,
 * authorized by an OAuth bearer token that `sign` gets for the configured
 * service account (see access-token.ts). Embeddings go through `:predict`.
 */
import type { ChatRequest } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, ProviderAdapter, ProviderSettings, SerializedRequest, UpstreamRequest } from '../contract.js';
import { googleMethod, toGoogleBody } from '../gemini/convert-request.js';
import { geminiAdapter } from '../gemini/index.js';
import { accessToken, defaultTokenURL } from './access-token.js';
import { vertexEmbedRequest, vertexEmbedResponse } from './embeddings.js';
import { vertexHeaders } from './headers.js';
import { vertexModelURL } from './model-url.js';

function vertexChatRequest(request: ChatRequest, context: CallContext): UpstreamRequest {
  return { method: 'POST', url: vertexModelURL(context, googleMethod(context.stream)), headers: vertexHeaders(context), body: toGoogleBody(request, context) };
}

async function vertexSign(request: SerializedRequest, settings: ProviderSettings): Promise<SerializedRequest> {
  const account = settings.options.serviceAccount;
  if (!account) {
    if (settings.apiKey) return request;
    throw new GatewayError('missing_credentials', { message: `${settings.name}: Vertex AI needs a service account (config 'service_account') or an API key.`, provider: settings.name });
  }
  const tokenURL = settings.options.tokenURL || account.token_uri || defaultTokenURL;
  const token = await accessToken(account, tokenURL, settings.name);
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

export const vertexAdapter: ProviderAdapter = {
  ...geminiAdapter,
  dialect: 'vertex',
  chatRequest: vertexChatRequest,
  embedRequest: vertexEmbedRequest,
  embedResponse: vertexEmbedResponse,
  sign: vertexSign,
};
