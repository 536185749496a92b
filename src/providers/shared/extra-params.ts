import { knownChatKeys, type ChatRequest } from '../../api/chat-schema.js';

/** Parameters the client sent that the OpenAI contract does not define: passed through to native dialects. */
export function extraParams(request: ChatRequest): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const key of Object.keys(request)) {
    if (!knownChatKeys.has(key)) extras[key] = (request as Record<string, unknown>)[key];
  }
  return extras;
}
