/** OpenAI `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic `tools` and `tool_choice`. */
import type { CacheControl, ChatRequest, FunctionTool, ToolChoice } from '../../api/chat-schema.js';

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  strict?: boolean;
  cache_control?: CacheControl;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export function convertTools(tools: readonly FunctionTool[]): AnthropicTool[] {
  return tools.map(({ function: fn, cache_control: cacheControl }) => ({
    name: fn.name,
    ...(fn.description !== undefined ? { description: fn.description } : {}),
    // Anthropic requires an object schema; a function without parameters takes none.
    input_schema: fn.parameters ? { type: 'object', ...fn.parameters } : { type: 'object', properties: {} },
    ...(fn.strict ? { strict: true } : {}),
    ...(cacheControl ? { cache_control: cacheControl } : {}),
  }));
}

/**
 * `auto` → auto, `none` → none, `required` → any, a named function → tool.
 * `parallel_tool_calls: false` → `disable_parallel_tool_use: true` (on `auto` when no choice was given).
 * Returns undefined when there are no tools: a choice without tools means nothing to Anthropic.
 */
export function convertToolChoice(request: Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>): AnthropicToolChoice | undefined {
  if (!request.tools || request.tools.length === 0) return undefined;
  const disableParallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const choice: ToolChoice = request.tool_choice ?? 'auto';
  if (typeof choice === 'object') return { type: 'tool', name: choice.function.name, ...disableParallel };
  switch (choice) {
    case 'auto':
      return request.tool_choice == null && request.parallel_tool_calls !== false ? undefined : { type: 'auto', ...disableParallel };
    case 'required':
      return { type: 'any', ...disableParallel };
    case 'none':
      return { type: 'none' };
    default: {
      const unreachable: never = choice;
      return unreachable;
    }
  }
}
