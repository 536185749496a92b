import type { ProviderAdapter } from '../contract.js';
import { openaiChatRequest, openaiEmbedRequest } from './convert-request.js';
import { openaiChatResponse, openaiEmbedResponse, parseOpenAIError } from './convert-response.js';
import { openaiStream } from './stream.js';

/** OpenAI's dialect, shared by every OpenAI-compatible catalog provider. */
export const openaiAdapter: ProviderAdapter = {
  dialect: 'openai',
  needs: { imageUrls: 'url' },
  chatRequest: openaiChatRequest,
  chatResponse: openaiChatResponse,
  chatStream: openaiStream,
  embedRequest: openaiEmbedRequest,
  embedResponse: openaiEmbedResponse,
  parseError: parseOpenAIError,
};
