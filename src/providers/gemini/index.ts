/**
 * Google Gemini API (`generativelanguage.googleapis.com/v1beta`): the
 * generateContent dialect with an `x-goog-api-key` header. Vertex AI speaks
 * the same body; see ../vertex.
 */
import type { ProviderAdapter } from '../contract.js';
import { geminiChatRequest } from './convert-request.js';
import { googleChatResponse } from './convert-response.js';
import { geminiEmbedRequest, geminiEmbedResponse } from './embeddings.js';
import { parseGoogleError } from './parse-error.js';
import { googleStream } from './stream.js';

export const geminiAdapter: ProviderAdapter = {
  dialect: 'gemini',
  needs: { imageUrls: 'inline' },
  chatRequest: geminiChatRequest,
  chatResponse: googleChatResponse,
  chatStream: googleStream,
  embedRequest: geminiEmbedRequest,
  embedResponse: geminiEmbedResponse,
  parseError: parseGoogleError,
};
