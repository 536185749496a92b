/**
 * A labelled histogram whose series are looked up once and then observed
 * directly. prom-client's `Histogram` hashes the label object and validates
 * it on every `observe`, a labelled child included; a request observes up to
 * three request histograms and one per guardrail check, and in profiles that
 * hashing was the largest part of the metrics' cost.
 *
 * It registers with a prom-client `Registry` like any metric, and reads out
 * exactly as prom-client's `Histogram` does (bucket lines `le` first, then the
 * series' labels; `_sum`; `_count`), so `/metrics` is unchanged.
 */
import type { Registry } from 'prom-client';
import { seriesFor } from './label-series.js';

interface Series {
  /** Observations per bucket (the last one is +Inf), not cumulative. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
  /** The series' labels, in label-name order; kept as one object (the registry caches their text by identity). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface HistogramSeries {
  observe(value: number): void;
}

interface ValuePair {
  labels: Record<string, string | number>;
  sharedLabels: Readonly<Record<string, string>>;
  value: number;
  metricName: string;
  exemplar?: null;
}

export class SeriesHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();
  private readonly bounds: readonly number[];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    buckets: readonly number[],
    registers: readonly Registry[],
  ) {
    this.bounds = [...buckets].sort((a, b) => a - b);
    for (const registry of registers) registry.registerMetric(this as never);
  }

  /** The series of these label values (in `labelNames` order); keep it to observe without a lookup. */
  labels(...values: string[]): HistogramSeries {
    const found = seriesFor(this.series, this.name, this.labelNames, values, (labels) => ({ counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0, labels }));
    const bounds = this.bounds;
    return {
      observe(value: number) {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        let bucket = 0;
        while (bucket < bounds.length && value > bounds[bucket]!) bucket += 1;
        found.counts[bucket]! += 1;
        found.sum += value;
        found.count += 1;
      },
    };
  }

  /** What prom-client's registry writes out (its `getForPromString` shape). */
  getForPromString(): { name: string; help: string; type: string; values: ValuePair[]; aggregator: string } {
    const values: ValuePair[] = [];
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += series.counts[index]!;
        values.push({ labels: { le: bound }, sharedLabels: series.labels, value: cumulative, metricName: `${this.name}_bucket`, exemplar: null });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: series.labels, value: series.count, metricName: `${this.name}_bucket`, exemplar: null });
      values.push({ labels: {}, sharedLabels: series.labels, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: series.labels, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The same values with each series' labels merged in (prom-client's `get`, used for JSON). */
  get(): { name: string; help: string; type: string; values: Omit<ValuePair, 'sharedLabels'>[]; aggregator: string } {
    const data = this.getForPromString();
    return { ...data, values: data.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) };
  }

  reset(): void {
    this.series.clear();
  }
}
