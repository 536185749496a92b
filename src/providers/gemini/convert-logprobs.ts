/** Google's `logprobsResult` → OpenAI's `choices[].logprobs`. */
import { z } from 'zod';

const tokenLogprob = z.looseObject({ token: z.string().nullish(), logProbability: z.number().nullish() });

export const logprobsResultSchema = z.looseObject({
  chosenCandidates: z.array(tokenLogprob).nullish(),
  topCandidates: z.array(z.looseObject({ candidates: z.array(tokenLogprob).nullish() })).nullish(),
});

export interface OpenAITokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] }>;
}

function entry(candidate: z.infer<typeof tokenLogprob>): { token: string; logprob: number; bytes: number[] } {
  const token = candidate.token ?? '';
  return { token, logprob: candidate.logProbability ?? 0, bytes: [...Buffer.from(token, 'utf8')] };
}

/** Undefined when the candidate carries no (valid) logprobs. */
export function convertLogprobs(value: unknown): { content: OpenAITokenLogprob[]; refusal: null } | undefined {
  const parsed = logprobsResultSchema.safeParse(value);
  if (!parsed.success || !parsed.data.chosenCandidates) return undefined;
  const top = parsed.data.topCandidates ?? [];
  const content = parsed.data.chosenCandidates.map((chosen, position) => ({
    ...entry(chosen),
    top_logprobs: (top[position]?.candidates ?? []).map(entry),
  }));
  return { content, refusal: null };
}
