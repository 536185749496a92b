/**
 * Google's generateContent wire shapes (Gemini API and Vertex AI share them),
 * in zod. Only the fields the gateway reads are listed; objects are loose so a
 * new field never breaks parsing.
 */
import { z } from 'zod';

/** One piece of a streamed function-call argument (Vertex `streamFunctionCallArguments`, Gemini 3). */
export const partialArgSchema = z.looseObject({
  jsonPath: z.string(),
  stringValue: z.string().nullish(),
  numberValue: z.number().nullish(),
  boolValue: z.boolean().nullish(),
  nullValue: z.unknown().optional(),
  willContinue: z.boolean().nullish(),
});
export type PartialArg = z.infer<typeof partialArgSchema>;

export const functionCallSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  args: z.record(z.string(), z.unknown()).nullish(),
  partialArgs: z.array(partialArgSchema).nullish(),
  willContinue: z.boolean().nullish(),
});
export type FunctionCall = z.infer<typeof functionCallSchema>;

export const partSchema = z.looseObject({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  thoughtSignature: z.string().nullish(),
  functionCall: functionCallSchema.nullish(),
  inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).nullish(),
});
export type Part = z.infer<typeof partSchema>;

export const candidateSchema = z.looseObject({
  index: z.number().nullish(),
  content: z.looseObject({ role: z.string().nullish(), parts: z.array(partSchema).nullish() }).nullish(),
  finishReason: z.string().nullish(),
  finishMessage: z.string().nullish(),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const usageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().nullish(),
  candidatesTokenCount: z.number().nullish(),
  totalTokenCount: z.number().nullish(),
  cachedContentTokenCount: z.number().nullish(),
  thoughtsTokenCount: z.number().nullish(),
  toolUsePromptTokenCount: z.number().nullish(),
});
export type UsageMetadata = z.infer<typeof usageMetadataSchema>;

export const generateContentResponseSchema = z.looseObject({
  candidates: z.array(candidateSchema).nullish(),
  promptFeedback: z.looseObject({ blockReason: z.string().nullish(), blockReasonMessage: z.string().nullish() }).nullish(),
  usageMetadata: usageMetadataSchema.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
});
export type GenerateContentResponse = z.infer<typeof generateContentResponseSchema>;

/** `{ "error": { code, message, status, details } }`: Google's error body (sometimes wrapped in an array on streams). */
export const googleErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().nullish(),
    message: z.string().nullish(),
    status: z.string().nullish(),
    details: z.array(z.unknown()).nullish(),
  }),
});

/** `batchEmbedContents` (Gemini API). */
export const batchEmbedResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
  usageMetadata: z.looseObject({ promptTokenCount: z.number().nullish() }).nullish(),
});

/** The finish reasons Google documents (FinishReason enum, Gemini API and Vertex AI). */
export const googleFinishReasons = [
  'FINISH_REASON_UNSPECIFIED',
  'STOP',
  'MAX_TOKENS',
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'OTHER',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'MALFORMED_FUNCTION_CALL',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'IMAGE_OTHER',
  'NO_IMAGE',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
  'MISSING_THOUGHT_SIGNATURE',
  'MODEL_ARMOR',
] as const;
export type GoogleFinishReason = (typeof googleFinishReasons)[number];
