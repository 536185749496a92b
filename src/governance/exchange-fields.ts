/**
 * Fields governance adds to the exchange for the core to read (declaration
 * merging on the pipeline's Exchange; the lead may move them into pipeline.ts).
 */
import type { Candidate } from '../server/pipeline.js';

declare module '../server/pipeline.js' {
  interface Exchange {
    /**
     * Provider API keys from the virtual key's stored credentials, by provider
     * name (as in `provider/model`). When a target's provider is listed here,
     * the core must use this key for it, never the client's bearer token; for
     * other providers the config's or environment's keys apply as usual.
     */
    providerKeys?: Readonly<Record<string, string>>;
    /** The virtual key's default route and saved config, for a request that names neither. */
    keyDefaults?: { readonly route?: string; readonly config?: string };
  }
}

export type { Candidate };
