/**
 * OpenAI chat request → Converse / ConverseStream request.
 * Parameters Converse cannot honour are refused (unsupported_parameter), never dropped.
 */
import type { ChatRequest, FunctionTool, ResponseFormat, ToolChoice } from '../../api/chat-schema.js';
import { GatewayError } from '../../api/errors.js';
import type { CallContext, UpstreamRequest } from '../contract.js';
import { extraParams } from '../shared/extra-params.js';
import { reasoningBudget, thinkingOn, withoutBlocks } from '../shared/reasoning.js';
import { cachePoint, type ContentBlock, type ConverseRequestBody, type ToolChoiceBody, type ToolSpec } from './api-schema.js';
import { convertMessages } from './convert-messages.js';
import { modelURL } from './model-url.js';

/** Converse's own top-level fields: extra params with these names go to the top level, others to additionalModelRequestFields. */
const converseTopLevelFields = new Set(['guardrailConfig', 'performanceConfig', 'promptVariables', 'additionalModelResponseFieldPaths', 'requestMetadata', 'serviceTier']);

/** The visible-answer allowance added to the thinking budget when the client set no max tokens. */
const defaultAnswerTokens = 4096;

function refuse(param: string, message: string, provider: string): never {
  throw new GatewayError('unsupported_parameter', { message, param, provider });
}

function checkUnsupported(request: ChatRequest, provider: string): void {
  if (request.n != null && request.n > 1) refuse('n', 'Bedrock Converse returns one choice; n > 1 is not supported.', provider);
  if (request.seed != null) refuse('seed', 'Bedrock Converse has no seed parameter.', provider);
  if (request.presence_penalty) refuse('presence_penalty', 'Bedrock Converse has no presence_penalty.', provider);
  if (request.frequency_penalty) refuse('frequency_penalty', 'Bedrock Converse has no frequency_penalty.', provider);
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) refuse('logit_bias', 'Bedrock Converse has no logit_bias.', provider);
  if (request.logprobs) refuse('logprobs', 'Bedrock Converse does not return logprobs.', provider);
  if (request.top_logprobs != null) refuse('top_logprobs', 'Bedrock Converse does not return logprobs.', provider);
  if (request.parallel_tool_calls === false) refuse('parallel_tool_calls', 'Bedrock Converse cannot turn off parallel tool calls.', provider);
}

/** A tool's `cache_control` → a `cachePoint` after its spec. */
function toolSpecs(tools: readonly FunctionTool[]): ToolSpec[] {
  return tools.flatMap(({ function: fn, cache_control: cacheControl }): ToolSpec[] => {
    const spec: ToolSpec = {
      toolSpec: {
        name: fn.name,
        ...(fn.description === undefined ? {} : { description: fn.description }),
        inputSchema: { json: fn.parameters ?? { type: 'object', properties: {} } },
      },
    };
    return cacheControl ? [spec, cachePoint] : [spec];
  });
}

function toolChoiceBody(choice: Exclude<ToolChoice, 'none'>): ToolChoiceBody {
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.function.name } };
}

/**
 * `tool_choice: 'none'` has no Converse equivalent, so the tools are left out. When the history
 * holds tool blocks Converse requires `toolConfig`, so the tools are kept there (without a choice).
 */
function toolConfig(request: ChatRequest, hasToolBlocks: boolean): ConverseRequestBody['toolConfig'] {
  const tools = request.tools ?? [];
  if (tools.length === 0) return undefined;
  const choice = request.tool_choice;
  if (choice === 'none') return hasToolBlocks ? { tools: toolSpecs(tools) } : undefined;
  return { tools: toolSpecs(tools), ...(choice == null ? {} : { toolChoice: toolChoiceBody(choice) }) };
}

/** json_schema → Converse native structured output (`outputConfig.textFormat`); its schema travels as a JSON string. */
function outputConfig(format: ResponseFormat | null | undefined, provider: string): ConverseRequestBody['outputConfig'] {
  if (format == null || format.type === 'text') return undefined;
  if (format.type === 'json_object') {
    refuse('response_format', 'Bedrock has no JSON mode without a schema; use response_format json_schema.', provider);
  }
  const { name, description, schema } = format.json_schema;
  const jsonSchema = { schema: JSON.stringify(schema ?? { type: 'object' }), name, ...(description === undefined ? {} : { description }) };
  return { textFormat: { type: 'json_schema', structure: { jsonSchema } } };
}

function isAnthropicModel(model: string): boolean {
  return model.includes('anthropic.');
}

function inferenceConfig(request: ChatRequest, thinkingBudget: number | undefined): ConverseRequestBody['inferenceConfig'] {
  const config: NonNullable<ConverseRequestBody['inferenceConfig']> = {};
  let maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  if (thinkingBudget !== undefined) maxTokens = (maxTokens ?? defaultAnswerTokens) + thinkingBudget;
  if (maxTokens != null) config.maxTokens = maxTokens;
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  if (request.stop != null) config.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  return Object.keys(config).length > 0 ? config : undefined;
}

/** reasoning_effort → Anthropic's extended thinking budget; other Bedrock models take their own field via extra params. */
function thinkingBudgetFor(request: ChatRequest, context: CallContext): number | undefined {
  const budget = reasoningBudget(request.reasoning_effort);
  if (budget === undefined) return undefined;
  if (!isAnthropicModel(context.model)) {
    refuse('reasoning_effort', `reasoning_effort maps to Anthropic models on Bedrock only; pass ${context.model}'s own reasoning field as an extra parameter.`, context.settings.name);
  }
  return budget;
}

export function converseBody(request: ChatRequest, context: CallContext): ConverseRequestBody {
  const provider = context.settings.name;
  checkUnsupported(request, provider);
  const { system, messages, hasToolBlocks } = convertMessages(request.messages, provider);
  const budget = thinkingBudgetFor(request, context);
  const body: ConverseRequestBody = { messages };
  if (system.length > 0) body.system = system;
  const inference = inferenceConfig(request, budget);
  if (inference) body.inferenceConfig = inference;
  const tools = toolConfig(request, hasToolBlocks);
  if (tools) body.toolConfig = tools;
  const output = outputConfig(request.response_format, provider);
  if (output) body.outputConfig = output;
  if (request.metadata && Object.keys(request.metadata).length > 0) body.requestMetadata = { ...request.metadata };

  const additional: Record<string, unknown> = {};
  if (budget !== undefined) additional.thinking = { type: 'enabled', budget_tokens: budget };
  for (const [key, value] of Object.entries(extraParams(request))) {
    if (key === 'additionalModelRequestFields' && value !== null && typeof value === 'object') Object.assign(additional, value);
    else if (converseTopLevelFields.has(key)) body[key] = value;
    else additional[key] = value;
  }
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;
  if (!thinkingOn(additional.thinking)) body.messages = withoutBlocks(messages, (block: ContentBlock) => 'reasoningContent' in block);
  return body;
}


export function bedrockHeaders(context: CallContext): Record<string, string> {
  return { 'content-type': 'application/json', ...context.settings.headers };
}

export function bedrockChatRequest(request: ChatRequest, context: CallContext): UpstreamRequest {
  return {
    method: 'POST',
    url: modelURL(context.settings, context.model, context.stream ? 'converse-stream' : 'converse'),
    headers: bedrockHeaders(context),
    body: converseBody(request, context),
  };
}
