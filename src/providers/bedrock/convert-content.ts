/** OpenAI user content parts → Converse content blocks (text, image, document); a part's `cache_control` → a `cachePoint` after its block. */
import type { ContentPart } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { parseDataUrl } from '../shared/content.js';
import { cachePoint, type ContentBlock, type DocumentFormat, type ImageFormat } from './api-schema.js';

const imageFormats: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const documentFormats: Readonly<Record<string, DocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

function imageBlock(url: string, provider: string): ContentBlock {
  const data = parseDataUrl(url);
  if (!data) {
    // The core inlines http(s) URLs (needs.imageUrls = 'inline'); anything else is not an image we can send.
    throw new GatewayError('invalid_request', { message: 'Bedrock needs images as base64 data URLs.', param: 'messages', provider });
  }
  const format = imageFormats[data.mediaType.toLowerCase()];
  if (!format) {
    throw new GatewayError('unsupported_parameter', { message: `Bedrock accepts png, jpeg, gif and webp images, not ${data.mediaType}.`, param: 'messages', provider });
  }
  return { image: { format, source: { bytes: data.data } } };
}

/** Bedrock document names allow letters, digits, single spaces, hyphens, parentheses and square brackets. */
function documentName(filename: string | undefined, position: number): string {
  const stem = (filename ?? '').replace(/\.[^.]*$/, '');
  const cleaned = stem.replace(/[^A-Za-z0-9\s\-()[\]]/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned || `document-${position + 1}`;
}

function documentBlock(part: Extract<ContentPart, { type: 'file' }>, position: number, provider: string): ContentBlock {
  const data = part.file.file_data === undefined ? undefined : parseDataUrl(part.file.file_data);
  if (!data) {
    throw new GatewayError('unsupported_parameter', { message: 'Bedrock needs files inline as base64 data URLs (file_data), not file ids.', param: 'messages', provider });
  }
  const format = documentFormats[data.mediaType.toLowerCase()];
  if (!format) {
    throw new GatewayError('unsupported_parameter', { message: `Bedrock does not accept documents of type ${data.mediaType}.`, param: 'messages', provider });
  }
  return { document: { format, name: documentName(part.file.filename, position), source: { bytes: data.data } } };
}

/** Converts user parts; empty text parts are left out (Bedrock rejects blank text blocks). */
export function userContentBlocks(parts: readonly ContentPart[], provider: string): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  let documents = 0;
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.text !== '') blocks.push({ text: part.text });
        break;
      case 'image_url':
        blocks.push(imageBlock(part.image_url.url, provider));
        break;
      case 'file':
        blocks.push(documentBlock(part, documents++, provider));
        break;
      case 'input_audio':
        throw new GatewayError('unsupported_parameter', { message: 'Bedrock Converse does not accept audio input.', param: 'messages', provider });
      default: {
        const unreachable: never = part;
        throw new GatewayError('invalid_request', { message: `Unknown content part ${JSON.stringify(unreachable)}.`, param: 'messages' });
      }
    }
    if (part.cache_control && blocks.length > 0) blocks.push(cachePoint);
  }
  return blocks;
}
