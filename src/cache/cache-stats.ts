/** Counters of what the cache did: nothing is dropped without being counted here (and logged). */

export interface CacheCounters {
  hits: number;
  semanticHits: number;
  misses: number;
  refreshes: number;
  bypasses: number;
  stored: number;
  /** A stream that did not finish, or a choice without a finish reason. */
  notStoredIncomplete: number;
  /** The request failed or was cut off (status other than 200). */
  notStoredFailed: number;
  notStoredTooLarge: number;
  lookupErrors: number;
  storeErrors: number;
  embedErrors: number;
  syncErrors: number;
  /** USD the hits saved (hits whose original cost was known). */
  savedUsd: number;
}

export function createCounters(): CacheCounters {
  return {
    hits: 0,
    semanticHits: 0,
    misses: 0,
    refreshes: 0,
    bypasses: 0,
    stored: 0,
    notStoredIncomplete: 0,
    notStoredFailed: 0,
    notStoredTooLarge: 0,
    lookupErrors: 0,
    storeErrors: 0,
    embedErrors: 0,
    syncErrors: 0,
    savedUsd: 0,
  };
}
