/** The Mistral dialect (`POST {base}/chat/completions`, `POST {base}/embeddings`). */
import type { ProviderAdapter } from '../contract.js';
import { convertRequest } from './convert-request.js';
import { convertResponse } from './convert-response.js';
import { embedRequest, embedResponse } from './embeddings.js';
import { parseError } from './parse-error.js';
import { createStreamMapper } from './stream.js';
import { mistralHeaders, mistralURL } from './upstream-request.js';

export const mistralAdapter: ProviderAdapter = {
  dialect: 'mistral',
  // Mistral fetches http(s) image URLs itself and takes base64 data URLs.
  needs: { imageUrls: 'url' },
  chatRequest(request, context) {
    const body = convertRequest(request, context.model, context.stream, context.settings.name);
    return { method: 'POST', url: mistralURL(context.settings.baseURL, '/chat/completions'), headers: mistralHeaders(context), body };
  },
  chatResponse: convertResponse,
  chatStream: createStreamMapper,
  embedRequest,
  embedResponse,
  parseError,
};
