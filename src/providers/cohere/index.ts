/** The Cohere v2 dialect (`POST /v2/chat`, `POST /v2/embed`). */
import type { ProviderAdapter } from '../contract.js';
import { convertRequest } from './convert-request.js';
import { convertResponse } from './convert-response.js';
import { embedRequest, embedResponse } from './embeddings.js';
import { parseError } from './parse-error.js';
import { createStreamMapper } from './stream.js';
import { cohereHeaders, cohereURL } from './upstream-request.js';

export const cohereAdapter: ProviderAdapter = {
  dialect: 'cohere',
  // Cohere takes http(s) image URLs as well as base64 data URLs.
  needs: { imageUrls: 'url' },
  chatRequest(request, context) {
    const body = convertRequest(request, context.model, context.stream, context.settings.name);
    return { method: 'POST', url: cohereURL(context.settings.baseURL, 'chat'), headers: cohereHeaders(context), body };
  },
  chatResponse: convertResponse,
  chatStream: createStreamMapper,
  embedRequest,
  embedResponse,
  parseError,
};
