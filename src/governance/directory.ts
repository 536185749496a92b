/**
 * The in-memory copy of keys, teams, budgets and decrypted credentials that
 * the hot path reads. It is reloaded whole when the store's revision changes
 * (polled every second, and pushed at once through Redis pub/sub in shared
 * mode). A key missing from the copy (created a moment ago elsewhere, or
 * wrong) is looked up in the store, and the answer cached for a short while.
 * When the store cannot be read, the last copy keeps serving.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { CredentialCipher } from './credential-cipher.js';
import type { BudgetRecord, BudgetScope, KeyRecord, TeamRecord } from './records.js';
import type { GovernanceStats } from './stats.js';
import type { DirectorySnapshot, GovernanceStore } from './store/governance-store.js';

export type KeyLookup = { readonly key: KeyRecord } | { readonly key?: undefined; readonly unavailable: boolean };

const missTtlMs = 2000;

export class Directory {
  private keysByHash = new Map<string, KeyRecord>();
  private teams = new Map<string, TeamRecord>();
  private budgets = new Map<string, BudgetRecord[]>();
  private credentials = new Map<string, { provider: string; apiKey: string }>();
  private readonly misses = new LRUCache<string, { key: KeyRecord | null }>({ max: 10_000, ttl: missTtlMs });
  private loading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** The revision of the copy; -1 before the first load. */
  revision = -1;
  /** False while the last read of the store failed. */
  healthy = false;

  constructor(
    private readonly store: GovernanceStore,
    private readonly cipher: CredentialCipher | undefined,
    private readonly logger: Logger,
    private readonly stats: GovernanceStats,
  ) {}

  get loaded(): boolean {
    return this.revision >= 0;
  }

  /** Whether any active key exists (auth `auto` then requires one). */
  hasKeys(): boolean {
    return this.keysByHash.size > 0;
  }

  /**
   * Reloads everything. A call while a load runs (which may have begun before the caller's
   * change) resolves after one more load that begins later; such calls share that one load.
   */
  reload(): Promise<void> {
    if (!this.loading) {
      this.loading = this.loadOnce().finally(() => {
        this.loading = undefined;
      });
      return this.loading;
    }
    this.queued ??= this.loading.then(() => {
      this.queued = undefined;
      return this.reload();
    });
    return this.queued;
  }

  /** Reloads when the store's revision moved. Never throws. */
  async refreshIfChanged(): Promise<void> {
    try {
      const revision = await this.store.revision();
      this.healthy = true;
      if (revision !== this.revision) await this.reload();
    } catch (error) {
      this.markFailure(error, 'revision check');
    }
  }

  private async loadOnce(): Promise<void> {
    let snapshot: DirectorySnapshot;
    try {
      snapshot = await this.store.loadSnapshot();
    } catch (error) {
      this.markFailure(error, 'reload');
      return;
    }
    this.apply(snapshot);
    this.healthy = true;
    this.stats.reloads += 1;
  }

  private markFailure(error: unknown, operation: string): void {
    if (this.healthy || !this.loaded) this.logger.error({ err: error, operation }, 'governance: the key store cannot be read; serving from the cached keys');
    this.healthy = false;
    this.stats.databaseErrors += 1;
  }

  private apply(snapshot: DirectorySnapshot): void {
    this.keysByHash = new Map(snapshot.keys.map((key) => [key.keyHash, key]));
    this.teams = new Map(snapshot.teams.map((team) => [team.id, team]));
    const budgets = new Map<string, BudgetRecord[]>();
    for (const budget of snapshot.budgets) {
      const slot = `${budget.scope}:${budget.subject}`;
      budgets.set(slot, [...(budgets.get(slot) ?? []), budget]);
    }
    this.budgets = budgets;
    const credentials = new Map<string, { provider: string; apiKey: string }>();
    for (const credential of snapshot.credentials) {
      if (!this.cipher) {
        this.stats.credentialErrors += 1;
        continue;
      }
      try {
        credentials.set(credential.name, { provider: credential.provider, apiKey: this.cipher.open(credential.name, credential.ciphertext) });
      } catch (error) {
        this.stats.credentialErrors += 1;
        this.logger.error({ err: error, credential: credential.name }, 'governance: a provider credential cannot be decrypted with SWITCHYARD_MASTER_KEY');
      }
    }
    if (!this.cipher && snapshot.credentials.length > 0) this.logger.error({ credentials: snapshot.credentials.length }, 'governance: provider credentials are stored but SWITCHYARD_MASTER_KEY is not set or not usable; keys that use them will fail');
    this.credentials = credentials;
    this.misses.clear();
    this.revision = snapshot.revision;
  }

  /** Drops a key at once (a revocation message), before the reload that follows. */
  evictKey(keyHash: string): void {
    this.keysByHash.delete(keyHash);
    this.misses.delete(keyHash);
  }

  /** The key for a secret's hash: from memory, else from the store (cached briefly), else unknown or unavailable. */
  async findKey(keyHash: string): Promise<KeyLookup> {
    const cached = this.keysByHash.get(keyHash);
    if (cached) return { key: cached };
    const miss = this.misses.get(keyHash);
    if (miss) return miss.key ? { key: miss.key } : { unavailable: false };
    try {
      const found = (await this.store.findKeyByHash(keyHash)) ?? null;
      if (found && found.revokedAt === null) {
        // A key newer than this copy: reload, so its team, budgets and credentials come with it.
        await this.reload();
        const fresh = this.keysByHash.get(keyHash);
        if (fresh) return { key: fresh };
      }
      this.misses.set(keyHash, { key: found });
      return found ? { key: found } : { unavailable: false };
    } catch (error) {
      this.markFailure(error, 'key lookup');
      return { unavailable: true };
    }
  }

  team(id: string | null): TeamRecord | undefined {
    return id ? this.teams.get(id) : undefined;
  }

  budgetsFor(scope: BudgetScope, subject: string): readonly BudgetRecord[] {
    return this.budgets.get(`${scope}:${subject}`) ?? [];
  }

  /** provider name → API key, for the credentials a key names (the ones that could be decrypted). */
  providerKeysFor(key: KeyRecord): Record<string, string> {
    const keys: Record<string, string> = {};
    for (const name of key.credentials) {
      const credential = this.credentials.get(name);
      if (credential) keys[credential.provider] = credential.apiKey;
    }
    return keys;
  }

  missingCredentials(key: KeyRecord): string[] {
    return key.credentials.filter((name) => !this.credentials.has(name));
  }
}
