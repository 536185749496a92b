/** Bedrock Runtime URLs: `/model/{modelId}/{action}` with the model id encoded as the AWS SDKs encode it. */
import type { ProviderSettings } from '../contract.js';

export type ModelAction = 'converse' | 'converse-stream' | 'invoke';

/**
 * encodeURIComponent, plus the characters it leaves alone that AWS escapes (`!'()*`).
 * `:` in inference-profile ids and `/` in ARNs become `%3A` and `%2F`; SigV4 then
 * encodes the path once more for its canonical request, exactly like the SDKs.
 */
export function encodeModelId(modelId: string): string {
  return encodeURIComponent(modelId).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function defaultBaseURL(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

export function modelURL(settings: ProviderSettings, modelId: string, action: ModelAction): string {
  const base = (settings.baseURL || defaultBaseURL(settings.options.region ?? 'us-east-1')).replace(/\/+$/, '');
  return `${base}/model/${encodeModelId(modelId)}/${action}`;
}
