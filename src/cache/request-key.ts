/**
 * Cache keys of a chat request.
 *
 * - The exact key (simple mode, and the first look in semantic mode) hashes
 *   the normalized request: the route, the model, the messages, the tools and
 *   every param that can change the output. Key order, null against absent,
 *   the order of `tools` (a set keyed by unique name) and of `stop`, the
 *   values of tool-call ids (renumbered in order of appearance), and the
 *   params that cannot change the output (`user`, `stream`, `stream_options`,
 *   `metadata`, `store`, `service_tier`, `prompt_cache_key`,
 *   `safety_identifier`) are ignored. The order of messages and of tool calls
 *   within a message is kept.
 * - Semantic mode embeds the text of the final user turn, and hashes
 *   everything else exactly (the context hash): the earlier turns, the system
 *   prompt, the final turn's non-text parts, the tools, the params, the route
 *   and the embedder. A semantic hit needs the same context hash.
 */
import type { ChatMessage, ChatRequest } from '../api/chat-schema.js';
import type { RouteNode } from '../routing/route-schema.js';
import { canonicalJson, hashCanonical, sha256Hex } from './canonical-json.js';

const ignoredParams = new Set(['model', 'messages', 'tools', 'user', 'stream', 'stream_options', 'metadata', 'store', 'service_tier', 'prompt_cache_key', 'safety_identifier']);

/** Route settings that do not change what a target answers: credentials, retries, time-outs, stage settings. */
const routeKeysIgnored = new Set(['api_key', 'retry', 'timeouts', 'cache', 'input_guardrails', 'output_guardrails', 'weight']);

export interface RouteIdentity {
  /** What the entry is filed under for purges: the route's name, else the requested model. */
  readonly label: string;
  /** Hash of the route's output-relevant settings (targets, models, override params, base URLs). */
  readonly fingerprint: string;
}

function stripRoute(node: RouteNode): unknown {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node)) {
    if (routeKeysIgnored.has(name)) continue;
    kept[name] = name === 'targets' && Array.isArray(value) ? value.map((child: RouteNode) => stripRoute(child)) : value;
  }
  return kept;
}

export function routeIdentity(route: RouteNode | undefined, routeName: string | undefined, model: string): RouteIdentity {
  return { label: routeName ?? model, fingerprint: hashCanonical(route ? stripRoute(route) : { model }) };
}

function normalizeContent(content: unknown): unknown {
  if (Array.isArray(content) && content.length === 1) {
    const part = content[0] as { type?: unknown; text?: unknown };
    if (part?.type === 'text' && typeof part.text === 'string') return part.text;
  }
  return content;
}

/** Messages with tool-call ids renumbered in order of appearance and single text parts as strings. */
function normalizeMessages(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  const ids = new Map<string, string>();
  const renumber = (id: string): string => {
    let mapped = ids.get(id);
    if (mapped === undefined) {
      mapped = `call_${ids.size}`;
      ids.set(id, mapped);
    }
    return mapped;
  };
  return messages.map((message) => {
    const normalized: Record<string, unknown> = { ...message, content: normalizeContent(message.content) };
    if (message.role === 'assistant' && message.tool_calls) {
      normalized.tool_calls = message.tool_calls.map((call) => ({ ...call, id: renumber(call.id) }));
    }
    if (message.role === 'tool') normalized.tool_call_id = renumber(message.tool_call_id);
    return normalized;
  });
}

function normalizeParams(request: ChatRequest): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) {
    if (ignoredParams.has(name) || value === undefined || value === null) continue;
    if (name === 'stop') params.stop = [...new Set(typeof value === 'string' ? [value] : (value as string[]))].sort();
    else params[name] = value;
  }
  return params;
}

function normalizeTools(request: ChatRequest): unknown[] | undefined {
  if (!request.tools || request.tools.length === 0) return undefined;
  return [...request.tools].sort((left, right) => (left.function.name < right.function.name ? -1 : left.function.name > right.function.name ? 1 : 0));
}

export interface SemanticParts {
  /** The text of the final user turn: what is embedded. */
  readonly text: string;
  /** Everything else, hashed exactly. */
  readonly contextHash: string;
}

export interface RequestKeys {
  readonly exact: string;
  /** Absent when the last message is not a user turn with text, or the text is too long to embed. */
  readonly semantic?: SemanticParts;
}

function userText(message: ChatMessage): { text: string; rest: unknown } | undefined {
  if (message.role !== 'user') return undefined;
  if (typeof message.content === 'string') return { text: message.content, rest: { ...message, content: undefined } };
  const texts: string[] = [];
  const others: unknown[] = [];
  for (const part of message.content) (part.type === 'text' ? texts.push(part.text) : others.push(part));
  return { text: texts.join('\n'), rest: { ...message, content: others } };
}

export function requestKeys(request: ChatRequest, route: RouteIdentity, options: { embedderId: string; maxTextChars: number; semantic: boolean }): RequestKeys {
  const messages = normalizeMessages(request.messages);
  const tools = normalizeTools(request);
  const params = normalizeParams(request);
  const base = { version: 1, route: route.fingerprint, model: request.model, tools, params };
  const exact = sha256Hex(canonicalJson({ ...base, messages }));
  if (!options.semantic) return { exact };
  const last = request.messages.at(-1);
  const final = last ? userText(last) : undefined;
  if (!final || final.text.trim() === '' || final.text.length > options.maxTextChars) return { exact };
  const finalNormalized = messages.at(-1)!;
  const { content: _content, ...finalRest } = finalNormalized;
  const contextHash = hashCanonical({ ...base, embedder: options.embedderId, earlier: messages.slice(0, -1), final: { ...finalRest, others: (final.rest as { content?: unknown }).content } });
  return { exact, semantic: { text: final.text, contextHash } };
}
