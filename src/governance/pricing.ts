/**
 * Prices for the gateway's candidates and served targets: the configured
 * provider name is mapped to its type (a native dialect or catalog id) for the
 * price table. The worst case over a route's candidates bounds a reservation.
 */
import type { GatewayConfig } from '../routing/config-schema.js';
import type { Candidate } from '../server/pipeline.js';
import type { PriceMatch, PriceTable } from '../usage/price-table.js';
import { worstCaseCost, type MediaCounts } from '../usage/compute-cost.js';

export interface WorstCase {
  /** nano-USD; the dearest of the priced candidates. */
  readonly nano: number;
  /** Candidates without a price. */
  readonly unpriced: readonly Candidate[];
}

export class Pricing {
  constructor(
    readonly table: PriceTable,
    private readonly defaultMaxOutput: number,
  ) {}

  /** `providers` is the gateway config's, to map a configured provider name to its type. */
  lookup(candidate: Candidate, at: number, providers: GatewayConfig['providers'] = {}): PriceMatch | undefined {
    return this.table.lookup({ provider: candidate.provider, providerType: providers[candidate.provider]?.type, model: candidate.model, at });
  }

  /**
   * The most the request can cost on any candidate: `inputTokens` plus the
   * requested output limit (or the model's, or the configured default) for each choice.
   */
  worstCase(candidates: readonly Candidate[], inputTokens: number, requestedMaxOutput: number | undefined, choices: number, media: MediaCounts, kind: 'chat' | 'embeddings', at: number, providers: GatewayConfig['providers'] = {}): WorstCase {
    let nano = 0;
    const unpriced: Candidate[] = [];
    for (const candidate of candidates) {
      const match = this.lookup(candidate, at, providers);
      if (!match) {
        unpriced.push(candidate);
        continue;
      }
      const maxOutput = kind === 'embeddings' ? 0 : (requestedMaxOutput ?? match.price.max_output_tokens ?? this.defaultMaxOutput) * choices;
      nano = Math.max(nano, worstCaseCost(match.price, inputTokens, maxOutput, media, kind));
    }
    return { nano, unpriced };
  }
}
