/**
 * OpenAI tools and tool_choice → Google `tools[].functionDeclarations` and
 * `toolConfig.functionCallingConfig` (AUTO / NONE / ANY + allowedFunctionNames).
 * Parameters go in `parametersJsonSchema`, which takes JSON Schema directly.
 */
import type { FunctionTool, ToolChoice } from '../../api/chat-schema.js';
import { toGoogleJsonSchema } from './json-schema.js';

export interface FunctionDeclaration {
  name: string;
  description?: string;
  parametersJsonSchema?: Record<string, unknown>;
}

export interface FunctionCallingConfig {
  mode: 'AUTO' | 'NONE' | 'ANY';
  allowedFunctionNames?: string[];
}

export function convertTools(tools: readonly FunctionTool[] | null | undefined): Array<{ functionDeclarations: FunctionDeclaration[] }> | undefined {
  if (!tools || tools.length === 0) return undefined;
  const functionDeclarations = tools.map((tool): FunctionDeclaration => {
    const declaration: FunctionDeclaration = { name: tool.function.name };
    if (tool.function.description) declaration.description = tool.function.description;
    if (tool.function.parameters) declaration.parametersJsonSchema = toGoogleJsonSchema(tool.function.parameters);
    return declaration;
  });
  return [{ functionDeclarations }];
}

export function convertToolChoice(choice: ToolChoice | null | undefined): { functionCallingConfig: FunctionCallingConfig } | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'object') return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  switch (choice) {
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'required':
      return { functionCallingConfig: { mode: 'ANY' } };
    default: {
      const unreachable: never = choice;
      return unreachable;
    }
  }
}
