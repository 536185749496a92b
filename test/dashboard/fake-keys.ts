/** The fake admin API's virtual keys, in the proposed wire shape of GET /admin/keys. */
const day = 24 * 60 * 60_000;

export interface FakeKey {
  id: string;
  name: string;
  /** The bearer secret a client sends; the recorder maps it back to the key. */
  secret: string;
  team_id: string | null;
  owner: string | null;
  enabled: boolean;
  revoked: boolean;
  expires_at: number | null;
  created_at: number;
  metadata: Record<string, string>;
  limits: { rpm: number | null; tpm: number | null; max_concurrent: number | null };
  budgets: { scope: 'key' | 'team' | 'user'; period: 'day' | 'week' | 'month' | 'lifetime'; limit_usd: number; spent_usd: number; reserved_usd: number; resets_at: number | null }[];
}

function startOfNextMonth(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export function fakeKeys(now: number): FakeKey[] {
  const tomorrow = Math.floor(now / day) * day + day;
  return [
    {
      id: 'key_support',
      name: 'support-assistant',
      secret: 'sk-sy-support',
      team_id: 'support',
      owner: 'maria@example.com',
      enabled: true,
      revoked: false,
      expires_at: null,
      created_at: now - 42 * day,
      metadata: { environment: 'production' },
      limits: { rpm: 600, tpm: 200_000, max_concurrent: 20 },
      budgets: [
        { scope: 'key', period: 'month', limit_usd: 250, spent_usd: 118.42, reserved_usd: 3.1, resets_at: startOfNextMonth(now) },
        { scope: 'key', period: 'day', limit_usd: 20, spent_usd: 17.6, reserved_usd: 0.4, resets_at: tomorrow },
      ],
    },
    {
      id: 'key_search',
      name: 'search-indexer',
      secret: 'sk-sy-search',
      team_id: 'platform',
      owner: 'devon@example.com',
      enabled: true,
      revoked: false,
      expires_at: now + 60 * day,
      created_at: now - 120 * day,
      metadata: { environment: 'production', service: 'indexer' },
      limits: { rpm: 1200, tpm: 1_000_000, max_concurrent: 50 },
      budgets: [{ scope: 'team', period: 'month', limit_usd: 1000, spent_usd: 1012.5, reserved_usd: 0, resets_at: startOfNextMonth(now) }],
    },
    {
      id: 'key_notebooks',
      name: 'analytics-notebooks',
      secret: 'sk-sy-notebooks',
      team_id: 'data',
      owner: 'sam@example.com',
      enabled: true,
      revoked: false,
      expires_at: null,
      created_at: now - 9 * day,
      metadata: {},
      limits: { rpm: 60, tpm: null, max_concurrent: null },
      budgets: [{ scope: 'user', period: 'week', limit_usd: 50, spent_usd: 12.9, reserved_usd: 0, resets_at: now + 3 * day }],
    },
    {
      id: 'key_evals',
      name: 'ci-evals',
      secret: 'sk-sy-evals',
      team_id: 'platform',
      owner: null,
      enabled: false,
      revoked: false,
      expires_at: null,
      created_at: now - 200 * day,
      metadata: { environment: 'ci' },
      limits: { rpm: null, tpm: null, max_concurrent: 4 },
      budgets: [],
    },
    {
      id: 'key_legacy',
      name: 'legacy-chatbot',
      secret: 'sk-sy-legacy',
      team_id: 'support',
      owner: 'maria@example.com',
      enabled: true,
      revoked: true,
      expires_at: null,
      created_at: now - 400 * day,
      metadata: {},
      limits: { rpm: 100, tpm: 50_000, max_concurrent: 5 },
      budgets: [{ scope: 'key', period: 'lifetime', limit_usd: 500, spent_usd: 212.07, reserved_usd: 0, resets_at: null }],
    },
  ];
}
