/**
 * For dialects that need image bytes, http(s) image URLs are fetched by the
 * gateway and replaced with data URLs. An SSRF guard refuses private,
 * loopback, link-local and other non-public addresses (unless the config
 * allows them), checked at connect time so DNS rebinding cannot slip past,
 * and the body is capped at a size limit.
 */
import { isIP } from 'node:net';
import { Agent, interceptors, type Dispatcher } from 'undici';
import type { ChatRequest, ContentPart } from '../api/chat-schema.js';
import { GatewayError } from '../api/errors.js';
import { guardedLookup, isPublicAddress } from './ssrf-guard.js';

export { isPublicAddress } from './ssrf-guard.js';

export interface ImageFetchOptions {
  allowPrivateAddresses: boolean;
  maxBytes: number;
  timeoutMs: number;
}

export class ImageInliner {
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: ImageFetchOptions) {
    const agent = new Agent({ connect: { lookup: guardedLookup(options.allowPrivateAddresses), timeout: options.timeoutMs } });
    this.dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 3 }));
  }

  /** Returns the request with every http(s) image URL replaced by a data URL (the request itself if it has none). */
  async inline(request: ChatRequest): Promise<ChatRequest> {
    const urls = new Set<string>();
    for (const message of request.messages) {
      if (message.role !== 'user' || typeof message.content === 'string') continue;
      for (const part of message.content) if (part.type === 'image_url' && /^https?:/i.test(part.image_url.url)) urls.add(part.image_url.url);
    }
    if (urls.size === 0) return request;
    const fetched = new Map(await Promise.all([...urls].map(async (url) => [url, await this.fetchAsDataURL(url)] as const)));
    const messages = request.messages.map((message) => {
      if (message.role !== 'user' || typeof message.content === 'string') return message;
      const content = message.content.map((part): ContentPart =>
        part.type === 'image_url' && fetched.has(part.image_url.url) ? { ...part, image_url: { ...part.image_url, url: fetched.get(part.image_url.url)! } } : part,
      );
      return { ...message, content };
    });
    return { ...request, messages };
  }

  async fetchAsDataURL(url: string): Promise<string> {
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.options.allowPrivateAddresses && !isPublicAddress(host)) {
      throw new GatewayError('image_url_forbidden', { message: `The image URL ${url} points at a non-public address.`, param: 'messages' });
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({ origin: parsed.origin, path: parsed.pathname + parsed.search, method: 'GET', headersTimeout: this.options.timeoutMs, bodyTimeout: this.options.timeoutMs });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EFORBIDDENADDRESS') throw new GatewayError('image_url_forbidden', { message: `The image URL ${url} resolves to a non-public address.`, param: 'messages' });
      throw new GatewayError('image_fetch_failed', { message: `The image URL ${url} could not be fetched: ${(error as Error).message}`, param: 'messages' });
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new GatewayError('image_fetch_failed', { message: `The image URL ${url} answered HTTP ${response.statusCode}.`, param: 'messages' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > this.options.maxBytes) {
        response.body.destroy();
        throw new GatewayError('image_fetch_failed', { message: `The image at ${url} is larger than ${this.options.maxBytes} bytes.`, param: 'messages' });
      }
      chunks.push(chunk as Buffer);
    }
    const mediaType = String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim();
    if (!mediaType.startsWith('image/')) {
      throw new GatewayError('image_fetch_failed', { message: `The URL ${url} is not an image (content-type ${mediaType}).`, param: 'messages' });
    }
    return `data:${mediaType};base64,${Buffer.concat(chunks).toString('base64')}`;
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
