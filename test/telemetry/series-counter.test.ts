/**
 * The hot path's counter must read out exactly as prom-client's own, however the
 * increments and the reads interleave: the same increments go into both, in
 * registries of their own, with reads in between, and the texts (and the JSON)
 * are compared after each read.
 */
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter } from '../../src/telemetry/metrics/series-counter.js';

const increments: [string[], number | undefined][] = [
  [['openai', 'gpt-4o'], undefined],
  [['openai', 'gpt-4o'], 2.5],
  [['anthropic', 'claude "x"\n'], 1],
  [['openai', 'gpt-4o'], 0],
  [['anthropic', 'claude "x"\n'], 1e-9],
];

function both(): { reference: Registry; fast: Registry; promCounter: Counter<string>; counter: SeriesCounter } {
  const reference = new Registry();
  const fast = new Registry();
  const promCounter = new Counter({ name: 'demo_total', help: 'A demo.', labelNames: ['provider', 'model'], registers: [reference] });
  const counter = new SeriesCounter('demo_total', 'A demo.', ['provider', 'model'], [fast]);
  return { reference, fast, promCounter, counter };
}

describe('SeriesCounter', () => {
  it('writes the same /metrics text and JSON as prom-client, with reads between the increments', async () => {
    const { reference, fast, promCounter, counter } = both();
    for (const [labels, value] of increments) {
      promCounter.labels(...labels).inc(value);
      counter.labels(...labels).inc(value);
      expect(await fast.metrics()).toBe(await reference.metrics());
    }
    // Reading again adds nothing twice.
    expect(await fast.metrics()).toContain('demo_total{provider="openai",model="gpt-4o"} 3.5');
    expect(await fast.metrics()).toBe(await reference.metrics());
    expect(await fast.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
  });

  it('counts a kept series without a lookup, refuses what prom-client refuses, and resets with the registry', async () => {
    const { fast, counter } = both();
    const series = counter.labels('openai', 'gpt-4o');
    series.inc();
    series.inc(4);
    expect(await fast.metrics()).toContain('demo_total{provider="openai",model="gpt-4o"} 5');
    expect(() => series.inc(Number.NaN)).toThrow(/valid number/);
    expect(() => series.inc(-1)).toThrow(/decrease/);
    expect(() => counter.labels('only-one')).toThrow(/2 label values/);
    series.inc(7);
    fast.resetMetrics();
    expect(await fast.metrics()).not.toContain('demo_total{');
    series.inc();
    expect(await fast.metrics()).toContain('demo_total{provider="openai",model="gpt-4o"} 1');
  });
});
