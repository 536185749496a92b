/**
 * OpenAI `tools`, `tool_choice` and `parallel_tool_calls` → Mistral's, which have the same shapes
 * except that forcing a tool call is `any` (`required` → `any`). Function fields are rebuilt so
 * nothing Mistral does not know is sent.
 */
import type { ChatRequest, FunctionTool, ToolChoice } from '../../api/chat-schema.js';

export interface MistralTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };
}

export type MistralToolChoice = 'auto' | 'none' | 'any' | { type: 'function'; function: { name: string } };

export interface MistralToolSettings {
  tools?: MistralTool[];
  tool_choice?: MistralToolChoice;
  parallel_tool_calls?: boolean;
}

function convertTool({ function: fn }: FunctionTool): MistralTool {
  return {
    type: 'function',
    function: {
      name: fn.name,
      ...(fn.description !== undefined ? { description: fn.description } : {}),
      parameters: fn.parameters ?? { type: 'object', properties: {} },
      ...(fn.strict != null ? { strict: fn.strict } : {}),
    },
  };
}

function convertChoice(choice: ToolChoice): MistralToolChoice {
  if (typeof choice === 'object') return { type: 'function', function: { name: choice.function.name } };
  switch (choice) {
    case 'auto':
    case 'none':
      return choice;
    case 'required':
      return 'any';
    default: {
      const unreachable: never = choice;
      return unreachable;
    }
  }
}

/** Returns nothing when there are no tools: a tool choice without tools means nothing to Mistral. */
export function convertTools(request: Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>): MistralToolSettings {
  if (!request.tools || request.tools.length === 0) return {};
  return {
    tools: request.tools.map(convertTool),
    ...(request.tool_choice != null ? { tool_choice: convertChoice(request.tool_choice) } : {}),
    ...(request.parallel_tool_calls != null ? { parallel_tool_calls: request.parallel_tool_calls } : {}),
  };
}
