import { contextFactory, requestParser } from '../../helpers/provider-test-kit.js';

export { assemble, chunk, usageChunk } from '../../helpers/provider-test-kit.js';

export const cohereContext = contextFactory('command-a-03-2025', { name: 'co', dialect: 'cohere', baseURL: 'https://api.cohere.com', apiKey: 'co-test', options: {} });

export const chatRequest = requestParser('co/command-a-03-2025');
