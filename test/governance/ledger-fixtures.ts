import type { LedgerEntry } from '../../src/governance/records.js';

export function ledgerEntry(id: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id,
    requestId: `req-${id}`,
    at: 1_790_000_000_000,
    kind: 'chat',
    keyId: 'key-1',
    teamId: null,
    userId: null,
    provider: 'openai',
    model: 'gpt-4o-mini',
    costNano: 1950,
    estimated: false,
    cacheHit: false,
    savedNano: 0,
    promptTokens: 5,
    completionTokens: 2,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    status: 200,
    ...overrides,
  };
}
