/**
 * Walks a route tree for one request. Inner nodes apply their strategy
 * (single, fallback, loadbalance, conditional); leaves resolve to a provider
 * target and run the attempt with retries, the circuit breaker and the
 * regional policy. Every attempt is recorded for the request log.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../api/errors.js';
import type { AbortEmitter } from '../server/abort-emitter.js';
import { retryDelay, type RetryBudget } from './backoff.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { evaluateCondition } from './condition.js';
import type { InFlightTracker } from './least-busy.js';
import type { LatencyTracker } from './least-latency.js';
import { inherit, leafRegions, regionAllows } from './route-tree.js';
import type { RetryConfig, RouteNode } from './route-schema.js';
import type { EffectiveLeaf, RequestFacts, RouteRun } from './route-types.js';
import type { ResolvedTarget } from './resolve-model.js';
import { pickWeighted } from './weighted-pick.js';

export interface RouteDependencies {
  resolveLeaf(leaf: EffectiveLeaf, facts: RequestFacts): ResolvedTarget;
  readonly breaker: CircuitBreaker | undefined;
  readonly latency: LatencyTracker;
  readonly busy: InFlightTracker;
  readonly random: () => number;
  readonly now: () => number;
  /** The retry of targets that set none. */
  readonly defaultRetry: RetryConfig;
}

/** Runs one try against a resolved target. It must call `release` once the exchange is completely over (for streams: at their end). */
export type Attempt<T> = (target: ResolvedTarget, leaf: EffectiveLeaf, release: () => void) => Promise<T>;

const defaultFailureCodes = [408, 429, 500, 502, 503, 504];

/** Whether an error lets a fallback or a retry move on: listed statuses, or any transport failure. */
export function isFailure(error: unknown, codes: readonly number[] | undefined): boolean {
  if (!(error instanceof GatewayError)) return false;
  if (error.isTransportFailure) return true;
  if (error.code !== 'upstream_error') return false;
  return codes ? codes.includes(error.status) : error.status === 408 || error.status === 429 || error.status >= 500;
}

function describe(error: unknown): string {
  if (error instanceof GatewayError) return `${error.code}${error.code === 'upstream_error' ? ` ${error.status}` : ''}${error.provider ? ` from ${error.provider}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

export class RouteExecution<T> {
  readonly run: RouteRun = { attempts: [] };

  constructor(
    private readonly dependencies: RouteDependencies,
    private readonly facts: RequestFacts,
    private readonly attempt: Attempt<T>,
    private readonly budget: RetryBudget,
    private readonly signal: AbortEmitter,
    /** Names the route, so latency and load figures of different routes are kept apart. */
    private readonly scope: string,
  ) {}

  execute(root: RouteNode): Promise<T> {
    return this.runNode(root, '', inherit(undefined, root, ''));
  }

  /** `effective` is the node's own settings over everything it inherits. */
  private async runNode(node: RouteNode, path: string, effective: EffectiveLeaf): Promise<T> {
    if (!node.targets) return this.runLeaf(effective);
    const children = this.eligibleChildren(node, path, effective);
    const strategy = node.strategy!;
    switch (strategy.mode) {
      case 'single':
        return this.runChild(children[0]!, effective);
      case 'fallback': {
        let lastError: unknown;
        for (const [position, child] of children.entries()) {
          try {
            return await this.runChild(child, effective);
          } catch (error) {
            lastError = error;
            if (!isFailure(error, strategy.on_status_codes) || position === children.length - 1 || this.signal.aborted) throw error;
            this.run.fallbackReason ??= `${child.path}: ${describe(error)}`;
          }
        }
        throw lastError;
      }
      case 'loadbalance':
        return this.runChild(this.pickBalanced(children, strategy.policy), effective);
      case 'conditional': {
        const subject = { metadata: this.facts.metadata, params: this.facts.params, headers: this.facts.headers };
        const match = strategy.conditions.find((condition) => evaluateCondition(condition.query, subject));
        const name = match?.then ?? strategy.default;
        const chosen = children.find((child) => child.node.name === name);
        if (!chosen) throw new GatewayError('no_target', { message: name ? `The target '${name}' is not available for this request.` : 'No condition matched and the route has no default.' });
        return this.runChild(chosen, effective);
      }
      default: {
        const unreachable: never = strategy;
        throw new Error(`unknown strategy ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private runChild(child: Child, parent: EffectiveLeaf): Promise<T> {
    return this.runNode(child.node, child.path, inherit(parent, child.node, child.path));
  }

  /** Children that may serve this request's region; under 'prefer' the compliant ones come first. */
  private eligibleChildren(node: RouteNode, path: string, effective: EffectiveLeaf): Child[] {
    const children = node.targets!.map((child, index) => ({ node: child, path: `${path ? `${path}.` : ''}targets[${index}]` }));
    const policy = effective.regionPolicy;
    if (!policy || this.facts.region === undefined) return children;
    const allowed = (child: Child): boolean => leafRegions(inherit(effective, child.node, child.path), child.node).some((region) => regionAllows(policy, this.facts.region!, region));
    const compliant = children.filter(allowed);
    if (policy.mode === 'require') {
      if (compliant.length === 0) {
        throw new GatewayError('no_compliant_target', { message: `No target of this route may serve region '${this.facts.region}'; the request was not sent outside it.` });
      }
      return compliant;
    }
    return [...compliant, ...children.filter((child) => !compliant.includes(child))];
  }

  private pickBalanced(children: Child[], policy: 'weighted' | 'least-latency' | 'least-busy'): Child {
    const keys = children.map((child) => `${this.scope}:${child.path}`);
    switch (policy) {
      case 'weighted':
        return pickWeighted(children, (child) => child.node.weight ?? 1, this.dependencies.random) ?? children[0]!;
      case 'least-latency':
        return children[this.dependencies.latency.pick(keys, this.dependencies.random)]!;
      case 'least-busy':
        return children[this.dependencies.busy.pick(keys, this.dependencies.random)]!;
      default: {
        const unreachable: never = policy;
        throw new Error(`unknown policy ${String(unreachable)}`);
      }
    }
  }

  private async runLeaf(leaf: EffectiveLeaf): Promise<T> {
    if (leaf.regionPolicy?.mode === 'require' && this.facts.region !== undefined && !regionAllows(leaf.regionPolicy, this.facts.region, leaf.region)) {
      throw new GatewayError('no_compliant_target', { message: `No target of this route may serve region '${this.facts.region}'; the request was not sent outside it.` });
    }
    const target = this.dependencies.resolveLeaf(leaf, this.facts);
    const breakerKey = `${target.settings.name}/${target.model}@${target.settings.baseURL}`;
    const retry = leaf.retry ?? this.dependencies.defaultRetry;
    const retryCodes = retry.on_status_codes ?? defaultFailureCodes;
    for (let attemptIndex = 0; ; attemptIndex += 1) {
      const permit = this.dependencies.breaker?.tryAcquire(breakerKey);
      if (permit && !permit.allowed) {
        const error = new GatewayError('circuit_open', { provider: target.settings.name, message: `${target.model} is skipped: its circuit breaker is open.` });
        this.record(leaf, target, undefined, 0, attemptIndex, error);
        throw error;
      }
      const started = this.dependencies.now();
      const statsKey = `${this.scope}:${leaf.path}`;
      const release = this.dependencies.busy.start(statsKey);
      try {
        const result = await this.attempt(target, leaf, release);
        const latency = this.dependencies.now() - started;
        this.dependencies.latency.record(statsKey, latency);
        this.dependencies.breaker?.recordSuccess(breakerKey, permit?.probe ?? false);
        this.record(leaf, target, 200, latency, attemptIndex);
        this.run.servedPath = leaf.path || 'root';
        return result;
      } catch (error) {
        release();
        const latency = this.dependencies.now() - started;
        // An output guardrail that fails is the answer's fault, not the target's health: it moves the route on but is not held against the breaker.
        const failed = isFailure(error, defaultFailureCodes) && !(error instanceof GatewayError && error.code === 'guardrail_failed');
        if (this.signal.aborted) {
          this.dependencies.breaker?.release(breakerKey, permit?.probe ?? false);
        } else if (failed) {
          this.dependencies.latency.recordFailure(statsKey);
          this.dependencies.breaker?.recordFailure(breakerKey, permit?.probe ?? false);
        } else {
          this.dependencies.breaker?.recordSuccess(breakerKey, permit?.probe ?? false);
        }
        this.record(leaf, target, error instanceof GatewayError && error.code === 'upstream_error' ? error.status : undefined, latency, attemptIndex, error);
        if (attemptIndex >= retry.attempts || !isFailure(error, retryCodes) || this.signal.aborted) throw error;
        const delay = retryDelay(
          attemptIndex,
          { baseMs: retry.base_ms ?? 250, maxMs: retry.max_ms ?? 8000, useRetryAfter: retry.use_retry_after ?? true },
          error instanceof GatewayError ? (error.upstreamHeaders ?? {}) : {},
          this.dependencies.random,
          Date.now(),
        );
        if (!this.budget.tryConsume(delay)) throw error;
        await sleep(delay, undefined, { signal: this.signal.toSignal() });
      }
    }
  }

  private record(leaf: EffectiveLeaf, target: ResolvedTarget, status: number | undefined, latencyMs: number, retry: number, error?: unknown): void {
    this.run.attempts.push({
      target: leaf.path || 'root',
      provider: target.settings.name,
      model: target.model,
      status,
      latencyMs: Math.round(latencyMs * 10) / 10,
      retry,
      ...(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error), code: error instanceof GatewayError ? error.code : 'internal_error' }),
    });
  }
}

interface Child {
  node: RouteNode;
  path: string;
}
