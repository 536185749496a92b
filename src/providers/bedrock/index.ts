import type { ProviderAdapter } from '../contract.js';
import { bedrockChatRequest } from './convert-request.js';
import { bedrockChatResponse, parseBedrockError } from './convert-response.js';
import { bedrockEmbedRequest, bedrockEmbedResponse } from './embeddings.js';
import { signBedrockRequest } from './sign-request.js';
import { bedrockStream } from './stream.js';

/** AWS Bedrock Runtime: Converse / ConverseStream (binary event stream), InvokeModel for embeddings, SigV4 or API-key auth. */
export const bedrockAdapter: ProviderAdapter = {
  dialect: 'bedrock',
  needs: { imageUrls: 'inline' },
  streamFraming: 'aws-eventstream',
  chatRequest: bedrockChatRequest,
  chatResponse: bedrockChatResponse,
  chatStream: bedrockStream,
  embedRequest: bedrockEmbedRequest,
  embedResponse: bedrockEmbedResponse,
  parseError: parseBedrockError,
  sign: (request, settings) => signBedrockRequest(request, settings),
};
