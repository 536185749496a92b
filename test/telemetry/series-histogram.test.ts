/**
 * The hot path's histogram must read out exactly as prom-client's own: the same
 * observations go into both, in registries of their own, and the texts (and the
 * JSON) are compared.
 */
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesHistogram } from '../../src/telemetry/metrics/series-histogram.js';

const buckets = [0.005, 0.01, 0.1, 1, 5];
const observations: [string[], number][] = [
  [['openai', 'gpt-4o'], 0.004],
  [['openai', 'gpt-4o'], 0.005],
  [['openai', 'gpt-4o'], 0.0051],
  [['anthropic', 'claude "x"\n'], 2],
  [['openai', 'gpt-4o'], 7],
  [['anthropic', 'claude "x"\n'], 0],
  [['openai', 'gpt-4o'], 1],
];

function both(): { reference: Registry; fast: Registry; histogram: SeriesHistogram } {
  const reference = new Registry();
  const fast = new Registry();
  const promHistogram = new Histogram({ name: 'demo_seconds', help: 'A demo.', labelNames: ['provider', 'model'], buckets, registers: [reference] });
  const histogram = new SeriesHistogram('demo_seconds', 'A demo.', ['provider', 'model'], buckets, [fast]);
  for (const [labels, value] of observations) {
    promHistogram.labels(...labels).observe(value);
    histogram.labels(...labels).observe(value);
  }
  return { reference, fast, histogram };
}

describe('SeriesHistogram', () => {
  it('writes the same /metrics text and JSON as prom-client for the same observations', async () => {
    const { reference, fast } = both();
    const text = await fast.metrics();
    expect(text).toContain('demo_seconds_bucket{le="0.01",provider="openai",model="gpt-4o"} 3');
    expect(text).toBe(await reference.metrics());
    expect(await fast.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    fast.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    reference.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    expect(await fast.metrics()).toBe(await reference.metrics());
  });

  it('keeps a series per label values, resets with the registry, and refuses bad input', async () => {
    const { fast, histogram } = both();
    const series = histogram.labels('openai', 'gpt-4o');
    expect(histogram.labels('openai', 'gpt-4o')).not.toBe(series);
    series.observe(0.05);
    expect(await fast.metrics()).toContain('demo_seconds_count{provider="openai",model="gpt-4o"} 6');
    expect(() => series.observe(Number.NaN)).toThrow(/valid number/);
    expect(() => histogram.labels('only-one')).toThrow(/2 label values/);
    fast.resetMetrics();
    expect(await fast.metrics()).not.toContain('demo_seconds_count');
  });
});
