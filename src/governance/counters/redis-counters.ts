/**
 * The counters of the shared mode, in Redis, one Lua script per step, so
 * every instance sees the same windows, slots and budgets. Keys are
 * `<prefix>:<counter key>`. A budget counter that does not exist yet is
 * seeded from the ledger (SET only if absent) and the admission retried.
 * Commands fail fast (no offline queue, a command time-out): the caller
 * applies the configured Redis failure policy.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { AdmissionPlan, AdmissionResult, BudgetState, CounterStore, SettlementPlan, SettlementResult, WindowState } from './counter-types.js';
import { admitScript, seedScript, settleScript } from './redis-scripts.js';

type Reply = (string | number)[];

interface ScriptedRedis extends Redis {
  syAdmit(now: number, id: string, plan: string): Promise<Reply>;
  sySettle(now: number, id: string, plan: string): Promise<Reply>;
  sySeed(key: string, value: string, ttlMs: number): Promise<number>;
}

export interface RedisCountersOptions {
  readonly url: string;
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  /** Called when a seed from the ledger failed: the counter then starts at zero for a minute. */
  readonly onSeedError?: (error: unknown, key: string) => void;
  readonly redisOptions?: RedisOptions;
}

/** A budget counter outlives its period by this long (the admin API can still read it). */
const keepAfterPeriodMs = 7 * 24 * 3600_000;
const settledMarkerMs = 2 * 24 * 3600_000;
/** How long a counter started at zero (the ledger could not be read) lives before it is seeded again. */
const provisionalSeedMs = 60_000;

export class RedisCounters implements CounterStore {
  readonly kind = 'redis';
  readonly client: ScriptedRedis;
  private readonly prefix: string;

  constructor(private readonly options: RedisCountersOptions) {
    this.prefix = options.prefix;
    this.client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs,
      ...options.redisOptions,
    }) as ScriptedRedis;
    this.client.defineCommand('syAdmit', { numberOfKeys: 0, lua: admitScript });
    this.client.defineCommand('sySettle', { numberOfKeys: 0, lua: settleScript });
    this.client.defineCommand('sySeed', { numberOfKeys: 1, lua: seedScript });
  }

  async start(): Promise<void> {
    await this.client.connect();
  }

  private key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  private admitPayload(plan: AdmissionPlan): string {
    return JSON.stringify({
      w: plan.windows.map((check) => [this.key(check.key), check.limit, check.windowMs, check.weight, check.kind === 'tokens' ? 1 : 0]),
      c: plan.concurrency.map((check) => [this.key(check.key), check.limit]),
      b: plan.budgets.map((check) => [this.key(check.key), check.limitNano, check.amountNano]),
      lease: plan.leaseMs,
    });
  }

  async admit(plan: AdmissionPlan, now: number): Promise<AdmissionResult> {
    const payload = this.admitPayload(plan);
    let reply = await this.client.syAdmit(now, plan.id, payload);
    if (reply[0] === 'seed') {
      await Promise.all(reply.slice(1).map((index) => this.seed(plan, Number(index), now)));
      reply = await this.client.syAdmit(now, plan.id, payload);
    }
    return this.readAdmission(plan, reply, now);
  }

  private async seed(plan: AdmissionPlan, index: number, now: number): Promise<void> {
    const check = plan.budgets[index - 1]!;
    let value: number;
    let ttl = check.periodEnd === null ? 0 : Math.max(1, check.periodEnd - now + keepAfterPeriodMs);
    try {
      value = await check.seed();
    } catch (error) {
      // The ledger cannot be read: count from zero for a while, then seed again from the ledger.
      this.options.onSeedError?.(error, check.key);
      value = 0;
      ttl = provisionalSeedMs;
    }
    await this.client.sySeed(this.key(`${check.key}:spent`), String(Math.round(value)), ttl);
  }

  private readAdmission(plan: AdmissionPlan, reply: Reply, now: number): AdmissionResult {
    const tag = String(reply[0]);
    const index = Number(reply[1]) - 1;
    switch (tag) {
      case 'w': {
        const check = plan.windows[index]!;
        const retry = Number(reply[2]);
        const state: WindowState = { kind: check.kind, limit: check.limit, remaining: Number(reply[3]), resetMs: Number(reply[4]) };
        return { admitted: false, refusal: { kind: 'window', index, retryAfterMs: retry < 0 ? null : retry, state } };
      }
      case 'c':
        return { admitted: false, refusal: { kind: 'concurrency', index, retryAfterMs: Number(reply[2]) } };
      case 'b': {
        const check = plan.budgets[index]!;
        return { admitted: false, refusal: { kind: 'budget', index, retryAfterMs: check.periodEnd === null ? null : Math.max(0, check.periodEnd - now), state: { spentNano: Number(reply[2]), reservedNano: Number(reply[3]) } } };
      }
      case 'ok': {
        const windows: WindowState[] = plan.windows.map((check, position) => ({ kind: check.kind, limit: check.limit, remaining: Number(reply[1 + position * 2]), resetMs: Number(reply[2 + position * 2]) }));
        const start = reply.indexOf('|') + 1;
        const budgets: BudgetState[] = plan.budgets.map((_check, position) => ({ spentNano: Number(reply[start + position * 2]), reservedNano: Number(reply[start + position * 2 + 1]) }));
        return { admitted: true, windows, budgets };
      }
      default:
        throw new Error(`unexpected reply from the admission script: ${JSON.stringify(reply).slice(0, 200)}`);
    }
  }

  async settle(plan: SettlementPlan, now: number): Promise<SettlementResult> {
    const payload = JSON.stringify({
      w: plan.windows.map((change) => [this.key(change.key), change.weight, change.remove ? 1 : 0]),
      c: plan.concurrency.map((key) => this.key(key)),
      b: plan.budgets.map((change) => [this.key(change.key), change.actualNano]),
      marker: this.key(`settled:${plan.id}`),
      markerTtl: settledMarkerMs,
    });
    const reply = await this.client.sySettle(now, plan.id, payload);
    if (reply[0] === 'dup') return { applied: false, spentNano: plan.budgets.map(() => -1) };
    return { applied: true, spentNano: reply.slice(1).map(Number) };
  }

  async budgetState(key: string): Promise<BudgetState | undefined> {
    const [spent, reserved] = await this.client.mget(this.key(`${key}:spent`), this.key(`${key}:rt`));
    if (spent === null) return undefined;
    return { spentNano: Number(spent), reservedNano: Number(reserved ?? 0) };
  }

  async stop(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
