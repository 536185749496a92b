import { contextFactory, requestParser } from '../../helpers/provider-test-kit.js';

export { assemble, chunk, usageChunk } from '../../helpers/provider-test-kit.js';

export const mistralContext = contextFactory('mistral-small-latest', { name: 'mis', dialect: 'mistral', baseURL: 'https://api.mistral.ai/v1', apiKey: 'mis-test', options: {} });

export const chatRequest = requestParser('mis/mistral-small-latest');
