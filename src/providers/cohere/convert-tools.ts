/**
 * OpenAI `tools` and `tool_choice` → Cohere v2 `tools`, `tool_choice` and `strict_tools`.
 *
 * Cohere's `tool_choice` has two values, `REQUIRED` and `NONE` (unset means auto):
 * - `auto` → unset; `required` → `REQUIRED`; `none` → `NONE`.
 * - a named function → the tool list is cut down to that one function, plus `REQUIRED`:
 *   the model must call a tool and only that one is offered.
 * `strict_tools` is one switch for all tools, so it is set when every tool asks for `strict`.
 * `parallel_tool_calls: false` cannot be honoured (Cohere has no such switch).
 */
import type { ChatRequest, FunctionTool } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface CohereToolSettings {
  tools?: CohereTool[];
  tool_choice?: 'REQUIRED' | 'NONE';
  strict_tools?: true;
}

function convertTool({ function: fn }: FunctionTool): CohereTool {
  return {
    type: 'function',
    function: {
      name: fn.name,
      ...(fn.description !== undefined ? { description: fn.description } : {}),
      // Cohere expects a JSON schema object; a function without parameters takes none.
      parameters: fn.parameters ?? { type: 'object', properties: {} },
    },
  };
}

export function convertTools(request: Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>, provider: string): CohereToolSettings {
  const tools = request.tools ?? [];
  if (tools.length === 0) return {};
  if (request.parallel_tool_calls === false) {
    throw new GatewayError('unsupported_parameter', { provider, param: 'parallel_tool_calls', message: 'Cohere cannot be limited to one tool call per turn.' });
  }
  const strict = tools.every((tool) => tool.function.strict === true) ? { strict_tools: true as const } : {};
  const choice = request.tool_choice ?? 'auto';
  if (typeof choice === 'object') {
    const named = tools.filter((tool) => tool.function.name === choice.function.name);
    if (named.length === 0) {
      throw new GatewayError('invalid_request', { provider, param: 'tool_choice', message: `tool_choice names '${choice.function.name}', which is not in tools.` });
    }
    return { tools: named.map(convertTool), tool_choice: 'REQUIRED', ...strict };
  }
  const converted = { tools: tools.map(convertTool), ...strict };
  switch (choice) {
    case 'auto':
      return converted;
    case 'required':
      return { ...converted, tool_choice: 'REQUIRED' };
    case 'none':
      return { ...converted, tool_choice: 'NONE' };
    default: {
      const unreachable: never = choice;
      return unreachable;
    }
  }
}
