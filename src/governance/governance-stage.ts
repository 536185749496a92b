/**
 * The governance stage: authenticate, check access, admit against rate
 * limits and budgets (reserving the worst case), then settle to the actual
 * cost before the response's last byte leaves (non-streamed: in
 * afterCompletion; streamed: when the upstream stream ends), or in `finish`
 * for failures, cache answers and embeddings. Settling updates the counters
 * and queues the ledger entry, which is written in groups off the request's
 * path (see ledger-sink.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChatCompletion } from '../api/chat-schema.js';
import { GatewayError } from '../api/errors.js';
import type { Principal } from '../api/request-record.js';
import type { Exchange, Stage, StreamObserver } from '../server/pipeline.js';
import { formatUsd, usdToNano } from '../usage/compute-cost.js';
import { checkAccess } from './access-check.js';
import { planAdmission, type PlannedAdmission } from './admission-plan.js';
import type { BudgetAlerts } from './budget-alerts.js';
import type { GovernanceConfig } from './config-schema.js';
import type { AdmissionResult, CounterStore } from './counters/counter-types.js';
import type { Directory } from './directory.js';
import { endUserOf, presentedKey } from './identify.js';
import { hashSecret } from './key-secret.js';
import { keyDefaultRouteName, namedRouteCandidates } from './key-defaults.js';
import type { LedgerSink } from './ledger-sink.js';
import type { Pricing } from './pricing.js';
import { rateLimitHeaders, refusalError } from './rate-limit-headers.js';
import type { KeyRecord } from './records.js';
import { buildSettlement, type Ticket } from './settlement.js';
import type { GovernanceStats } from './stats.js';
import type { GovernanceStore } from './store/governance-store.js';
import { StreamMeter } from './stream-meter.js';

export interface GovernanceStageOptions {
  readonly config: GovernanceConfig;
  readonly directory: Directory;
  readonly store: GovernanceStore;
  readonly counters: CounterStore;
  readonly sink: LedgerSink;
  readonly pricing: Pricing;
  readonly alerts: BudgetAlerts;
  readonly stats: GovernanceStats;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly newId?: () => string;
  readonly warn: (topic: string, write: (suppressed: number) => void) => void;
}

interface Identity {
  readonly key: KeyRecord | undefined;
  readonly principal: Principal;
}

/**
 * The reservation's id, which is also the ledger entry's primary key: a time prefix makes
 * ledger inserts land at the end of the id index rather than on a random page of it.
 */
function ticketId(now: number): string {
  return `${now.toString(36).padStart(9, '0')}-${randomUUID()}`;
}

export class GovernanceStage implements Stage {
  readonly name = 'governance';
  private readonly identities = new WeakMap<Exchange, Identity>();
  private readonly tickets = new WeakMap<Exchange, Ticket>();
  private readonly settling = new Set<Promise<void>>();

  constructor(private readonly options: GovernanceStageOptions) {}

  /**
   * Authenticates once per exchange (later calls return the same answer): sets
   * `principal`, drops the client's key when it is a virtual key, and exposes
   * the key's provider credentials and default route. Throws 401 or 503.
   */
  async identify(exchange: Exchange): Promise<Identity> {
    const known = this.identities.get(exchange);
    if (known) return known;
    const { config, directory } = this.options;
    if (!directory.loaded || (!config.fail_open_on_database_error && !directory.healthy)) {
      this.options.stats.refusedUnavailable += 1;
      throw new GatewayError('governance_unavailable', { message: 'Virtual keys cannot be checked: the key store cannot be read.' });
    }
    const userId = endUserOf(exchange);
    const presented = presentedKey(exchange.context.request.headers);
    let identity: Identity;
    if (presented) {
      exchange.clientProviderKey = undefined;
      const key = await this.validKey(presented.secret);
      identity = { key, principal: { keyId: key.id, keyName: key.name, teamId: key.teamId ?? undefined, ownerId: key.owner ?? undefined, userId, metadata: key.metadata } };
      const missing = directory.missingCredentials(key);
      if (missing.length > 0) {
        throw new GatewayError('missing_credentials', { message: `The key '${key.name}' uses the provider credential${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which cannot be read (missing, or SWITCHYARD_MASTER_KEY cannot decrypt it).` });
      }
      exchange.providerKeys = directory.providerKeysFor(key);
      if (key.defaultRoute || key.defaultConfig) exchange.keyDefaults = { route: key.defaultRoute ?? undefined, config: key.defaultConfig ?? undefined };
    } else {
      if (config.auth === 'required' || (config.auth === 'auto' && directory.hasKeys())) {
        throw new GatewayError('api_key_required', { message: 'A Switchyard virtual key is required: send it as Authorization: Bearer sy-... (or x-switchyard-api-key).' });
      }
      identity = { key: undefined, principal: { userId, metadata: {} } };
    }
    exchange.principal = identity.principal;
    this.identities.set(exchange, identity);
    return identity;
  }

  private async validKey(secret: string): Promise<KeyRecord> {
    const found = await this.options.directory.findKey(hashSecret(secret));
    if (!found.key) {
      if (found.unavailable) {
        this.options.stats.refusedUnavailable += 1;
        throw new GatewayError('governance_unavailable', { message: 'The virtual key is not in the cache and the key store cannot be read; try again shortly.' });
      }
      throw new GatewayError('invalid_api_key', { message: 'The virtual key is not valid.' });
    }
    const key = found.key;
    if (key.revokedAt !== null) throw new GatewayError('invalid_api_key', { message: `The virtual key '${key.name}' was revoked.` });
    if (!key.enabled) throw new GatewayError('invalid_api_key', { message: `The virtual key '${key.name}' is disabled.` });
    if (key.expiresAt !== null && key.expiresAt <= this.options.clock()) throw new GatewayError('invalid_api_key', { message: `The virtual key '${key.name}' expired on ${new Date(key.expiresAt).toISOString()}.` });
    return key;
  }

  async before(exchange: Exchange): Promise<void> {
    const { key, principal } = await this.identify(exchange);
    const defaultRoute = key ? keyDefaultRouteName(key, exchange) : undefined;
    if (defaultRoute !== undefined) exchange.candidates = namedRouteCandidates(exchange, defaultRoute);
    if (key) checkAccess(key, exchange, defaultRoute);
    if (exchange.kind === 'models') return;
    const now = this.options.clock();
    const id = this.options.newId?.() ?? ticketId(now);
    const planned = planAdmission(exchange, principal, key, { config: this.options.config, directory: this.options.directory, pricing: this.options.pricing, store: this.options.store, now, id });
    const ticket: Ticket = {
      id,
      startedAt: now,
      keyId: principal.keyId ?? null,
      teamId: principal.teamId ?? null,
      userId: principal.userId ?? null,
      input: planned.input,
      windows: planned.plan.windows,
      concurrency: planned.plan.concurrency.map((check) => check.key),
      budgets: planned.budgets,
      meter: new StreamMeter(),
      settled: false,
    };
    const hasChecks = planned.plan.windows.length + planned.plan.concurrency.length + planned.plan.budgets.length > 0;
    if (hasChecks) {
      const result = await this.admit(planned, now);
      if (result) {
        this.setHeaders(exchange, result);
        if (!result.admitted) throw refusalError(result.refusal, planned);
      }
    }
    this.tickets.set(exchange, ticket);
  }

  /** Runs the admission; on a counter failure applies the Redis failure policy (undefined: admitted uncounted). */
  private async admit(planned: PlannedAdmission, now: number): Promise<AdmissionResult | undefined> {
    try {
      return await this.options.counters.admit(planned.plan, now);
    } catch (error) {
      const { stats, logger, config } = this.options;
      stats.redisErrors += 1;
      if (config.redis_failure_policy === 'deny') {
        stats.refusedUnavailable += 1;
        this.options.warn('admit-deny', (suppressed) => logger.error({ err: error, suppressed }, 'governance: limits and budgets cannot be checked; refusing requests (redis_failure_policy: deny)'));
        throw new GatewayError('governance_unavailable', { message: 'Rate limits and budgets cannot be checked right now.', retryAfterMs: 1000 });
      }
      stats.admittedWithoutCounters += 1;
      this.options.warn('admit-allow', (suppressed) => logger.error({ err: error, suppressed }, 'governance: limits and budgets cannot be checked; admitting requests without them (redis_failure_policy: allow)'));
      return undefined;
    }
  }

  private setHeaders(exchange: Exchange, result: AdmissionResult): void {
    const response = exchange.context.response;
    if (response.headersSent) return;
    const states = result.admitted ? result.windows : result.refusal.kind === 'window' ? [result.refusal.state] : [];
    for (const [name, value] of Object.entries(rateLimitHeaders(states))) response.setHeader(name, value);
  }

  afterCompletion(exchange: Exchange, completion: ChatCompletion): ChatCompletion {
    const ticket = this.tickets.get(exchange);
    if (!ticket) return completion;
    this.settle(exchange, ticket, completion);
    const response = exchange.context.response;
    if (exchange.cost && !response.headersSent) response.setHeader('x-switchyard-cost-usd', exchange.cost.usd === undefined ? 'unpriced' : formatUsd(usdToNano(exchange.cost.usd)));
    return completion;
  }

  observeStream(exchange: Exchange): StreamObserver | undefined {
    const ticket = this.tickets.get(exchange);
    if (!ticket) return undefined;
    return {
      chunk: (chunk) => ticket.meter.add(chunk),
      // The upstream stream is complete: settle before the client gets the end of it.
      end: () => this.settle(exchange, ticket),
    };
  }

  finish(exchange: Exchange): void {
    const ticket = this.tickets.get(exchange);
    if (!ticket) return;
    try {
      this.settle(exchange, ticket);
      if (exchange.cost && exchange.chat?.stream) {
        this.options.logger.debug({ requestId: exchange.context.id, cost: exchange.cost }, 'governance: stream cost');
      }
    } catch (error) {
      this.options.stats.ledgerLost += 1;
      this.options.logger.error({ err: error, requestId: exchange.context.id, ticket: ticket.id }, 'governance: a request could not be settled');
    }
  }

  /** Settles once: the cost on the exchange, the ledger entry (queued), the counters (asynchronously). */
  private settle(exchange: Exchange, ticket: Ticket, completion?: ChatCompletion): void {
    if (ticket.settled) return;
    ticket.settled = true;
    const { sink, stats } = this.options;
    const settlement = buildSettlement(exchange, ticket, this.options.pricing, this.options.config.charge_cache_hits, completion);
    if (settlement.cost) {
      exchange.cost = settlement.cost;
      if (settlement.cost.unpriced) stats.unpricedRequests += 1;
      if (settlement.cost.estimated) stats.estimatedCosts += 1;
      if (settlement.cost.unpriced) this.options.warn(`unpriced:${settlement.entry?.provider}/${settlement.entry?.model}`, () => this.options.logger.warn({ provider: settlement.entry?.provider, model: settlement.entry?.model }, 'governance: the model has no price; its requests are recorded as unpriced (add it under governance.prices)'));
    }
    const plan = settlement.plan;
    const hasWork = plan.windows.length + plan.concurrency.length + plan.budgets.length > 0;
    if (settlement.entry) sink.record(settlement.entry, hasWork ? plan : undefined);
    if (!hasWork) return;
    const task = this.options.counters
      .settle(plan, this.options.clock())
      .then((result) => {
        if (settlement.entry) sink.countersSettled(plan.id);
        ticket.budgets.forEach((applied, index) => this.options.alerts.check(applied, result.spentNano[index] ?? -1));
      })
      .catch((error: unknown) => {
        stats.redisErrors += 1;
        stats.settlementRetries += 1;
        this.options.warn('settle', (suppressed) =>
          this.options.logger.error({ err: error, suppressed, journaled: settlement.entry !== undefined }, 'governance: a settlement could not reach the counters; it is retried from the journal (a reservation without cost expires with its lease)'),
        );
      })
      .finally(() => this.settling.delete(task));
    this.settling.add(task);
  }

  /** Waits for settlements sent to the counters (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.settling.size > 0) await Promise.all(this.settling);
  }
}
