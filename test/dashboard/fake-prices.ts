/** USD per million tokens for the fake's models (input, output); an unknown model stays unpriced. */
const prices: Readonly<Record<string, readonly [number, number]>> = {
  'gpt-4.1-nano': [0.1, 0.4],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1': [2, 8],
  'claude-sonnet-4': [3, 15],
  'claude-haiku-3.5': [0.8, 4],
  'gemini-2.5-flash': [0.3, 2.5],
};

export function priceOf(model: string, promptTokens: number, completionTokens: number): number | null {
  const price = prices[model];
  if (!price) return null;
  return (promptTokens * price[0] + completionTokens * price[1]) / 1_000_000;
}
