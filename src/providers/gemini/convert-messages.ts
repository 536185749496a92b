/**
 * OpenAI messages → Google `contents` + `systemInstruction`.
 *
 * - system/developer messages become the one `systemInstruction`;
 * - user → role `user`, assistant → role `model`;
 * - images/audio/files: `data:` URLs → `inlineData`; other URIs (gs://, Files API) → `fileData`;
 * - assistant tool calls → `functionCall` parts, with the thought signature the id carries;
 * - tool messages → `functionResponse` parts, named after the call they answer;
 * - adjacent turns of one role are merged, so parallel tool results form one turn.
 */
import type { ChatMessage, ContentPart } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import { contentParts, contentText, parseDataUrl, parseToolArguments, systemText } from '../shared/content.js';
import { usesThinkingLevels } from './thinking-config.js';
import { decodeToolCallId, skipSignature } from './tool-call-id.js';

export interface GooglePart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { name: string; args: Record<string, unknown> };
  functionResponse?: { name: string; response: Record<string, unknown> };
  thoughtSignature?: string;
}

export interface GoogleContent {
  role: 'user' | 'model';
  parts: GooglePart[];
}

export interface ConvertedMessages {
  contents: GoogleContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
}

const mimeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  txt: 'text/plain',
};

function guessMimeType(name: string): string | undefined {
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(name)?.[1]?.toLowerCase();
  return extension ? mimeByExtension[extension] : undefined;
}

function uriPart(uri: string, mimeType: string | undefined): GooglePart {
  const data = parseDataUrl(uri);
  if (data) return { inlineData: { mimeType: data.mediaType, data: data.data } };
  return { fileData: mimeType ? { mimeType, fileUri: uri } : { fileUri: uri } };
}

function userPart(part: ContentPart): GooglePart {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image_url':
      return uriPart(part.image_url.url, guessMimeType(part.image_url.url));
    case 'input_audio':
      return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
    case 'file': {
      const source = part.file.file_data ?? part.file.file_id;
      if (!source) throw new GatewayError('invalid_request', { message: 'A file part needs file_data or file_id.', param: 'messages' });
      const mimeType = guessMimeType(part.file.filename ?? '') ?? guessMimeType(source);
      // Bare base64 (no data: prefix) is how OpenAI's SDK sends file_data; it needs a type to be inlined.
      if (part.file.file_data && !part.file.file_data.startsWith('data:')) {
        return { inlineData: { mimeType: mimeType ?? 'application/pdf', data: part.file.file_data } };
      }
      return uriPart(source, mimeType);
    }
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
}

/** A tool result as the object Google's `functionResponse.response` must be. */
function toolResponse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON: sent as text
  }
  return { result: text };
}

function assistantParts(message: Extract<ChatMessage, { role: 'assistant' }>, model: string): GooglePart[] {
  const parts: GooglePart[] = [];
  const text = contentText(message.content);
  if (text !== '') parts.push({ text });
  let signed = false;
  for (const call of message.tool_calls ?? []) {
    const { thoughtSignature } = decodeToolCallId(call.id);
    const part: GooglePart = { functionCall: { name: call.function.name, args: parseToolArguments(call.function.arguments) } };
    // Gemini 3 validates the signature of the first call of each model turn; lost ones are waived explicitly.
    const signature = thoughtSignature ?? (!signed && usesThinkingLevels(model) ? skipSignature : undefined);
    if (signature) part.thoughtSignature = signature;
    signed = true;
    parts.push(part);
  }
  return parts;
}

export function convertMessages(messages: readonly ChatMessage[], model: string): ConvertedMessages {
  const contents: GoogleContent[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: GoogleContent['role'], parts: GooglePart[]): void => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        break;
      case 'user':
        push('user', contentParts(message.content).map(userPart));
        break;
      case 'assistant':
        for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
        push('model', assistantParts(message, model));
        break;
      case 'tool': {
        const name = toolNames.get(message.tool_call_id) ?? (typeof message.name === 'string' ? message.name : undefined);
        if (!name) {
          throw new GatewayError('invalid_request', {
            message: `The tool message for '${message.tool_call_id}' answers no earlier assistant tool call; Gemini needs the function's name.`,
            param: 'messages',
          });
        }
        push('user', [{ functionResponse: { name, response: toolResponse(contentText(message.content)) } }]);
        break;
      }
      default: {
        const unreachable: never = message;
        throw new GatewayError('invalid_request', { message: `Unknown message role in ${JSON.stringify(unreachable)}.` });
      }
    }
  }

  const system = systemText(messages);
  return system === undefined ? { contents } : { contents, systemInstruction: { parts: [{ text: system }] } };
}
