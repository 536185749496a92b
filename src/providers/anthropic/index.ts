/** The Anthropic Messages dialect (`POST /v1/messages`). */
import type { ProviderAdapter } from '../contract.js';
import { convertRequest } from './convert-request.js';
import { convertResponse } from './convert-response.js';
import { parseError } from './parse-error.js';
import { createStreamMapper } from './stream.js';
import { messagesURL, requestHeaders } from './upstream-request.js';

export const anthropicAdapter: ProviderAdapter = {
  dialect: 'anthropic',
  // Anthropic fetches http(s) image URLs itself (`source: { type: 'url' }`).
  needs: { imageUrls: 'url' },
  chatRequest(request, context) {
    const body = convertRequest(request, context.model, context.stream);
    return { method: 'POST', url: messagesURL(context.settings.baseURL), headers: requestHeaders(context, body), body };
  },
  chatResponse: convertResponse,
  chatStream: createStreamMapper,
  parseError,
};
