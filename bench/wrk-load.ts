/**
 * Closed-loop load from wrk, for rows that ask for it (`load: 'wrk'` in scenarios.ts).
 *
 * autocannon runs in Node and takes a large share of a small machine's cores per request,
 * so the gateway is rarely the only bottleneck under it, and a feature's cost on the
 * gateway's event loop shows diluted. wrk is a C program that costs far less per request:
 * under it the gateway's main thread is the bottleneck, as it would be with the load
 * coming from other machines. wrk is Debian's package `wrk`; rows that need it are
 * skipped, with that reason, where it is not installed.
 *
 * wrk's Lua `done` hook prints the figures as one JSON line. Its latencies are per request
 * (microseconds, HdrHistogram), over every response, not only the 2xx ones. It counts a
 * response with a status above 399 as a status error and gives no per-status breakdown.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadPlan, LoadResult } from './load-types.js';

const WRK = process.env.BENCH_WRK ?? 'wrk';
const MARKER = 'SWITCHYARD_BENCH_WRK ';
/** wrk's threads: it spreads the connections over them. */
const THREADS = 2;

/** Why wrk cannot run here, or undefined when it can. */
export function wrkUnavailableReason(): string | undefined {
  const probe = spawnSync(WRK, ['-v'], { encoding: 'utf8', timeout: 5000 });
  if (probe.error) return `wrk is not installed (${probe.error.message}); it is Debian's package wrk (apt-get install wrk)`;
  return /wrk/i.test(`${probe.stdout}${probe.stderr}`) ? undefined : `${WRK} -v did not answer as wrk`;
}

/** A Lua long string holding `text` exactly: its brackets get more `=` than any `]=...]` inside. */
function luaString(text: string): string {
  let level = 0;
  while (text.includes(`]${'='.repeat(level)}]`)) level += 1;
  const equals = '='.repeat(level);
  // A newline right after the opening bracket is dropped by Lua, so one is always put there.
  return `[${equals}[\n${text}]${equals}]`;
}

function script(plan: LoadPlan): string {
  // The spaces matter: `headers[[[` would open a long string, not index with one.
  const headers = Object.entries(plan.headers).map(([name, value]) => `wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  return [
    'wrk.method = "POST"',
    `wrk.body = ${luaString(plan.body)}`,
    ...headers,
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format("${MARKER}{\\"requests\\":%d,\\"durationMicros\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50\\":%f,\\"p90\\":%f,\\"p99\\":%f,\\"max\\":%f,\\"mean\\":%f}\\n",`,
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))',
    'end',
    '',
  ].join('\n');
}

interface WrkFigures {
  requests: number;
  durationMicros: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function runWrkOnce(plan: LoadPlan, seconds: number, scriptFile: string): Promise<WrkFigures> {
  const args = ['-t', String(Math.min(THREADS, plan.connections)), '-c', String(plan.connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', scriptFile, plan.url];
  return new Promise((resolve, reject) => {
    const child = spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = output.split('\n').find((each) => each.startsWith(MARKER));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with code ${code} and no figures:\n${output.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(MARKER.length)) as WrkFigures);
    });
  });
}

/** Warm-up (then `onMeasuring`) and the measured run, as a LoadResult. */
export async function runWrk(plan: LoadPlan, onMeasuring: () => void): Promise<LoadResult> {
  if (plan.unique) throw new Error('wrk rows send one fixed body; unique bodies need autocannon');
  const folder = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  try {
    const scriptFile = join(folder, 'load.lua');
    writeFileSync(scriptFile, script(plan));
    if (plan.warmupSeconds > 0) await runWrkOnce(plan, plan.warmupSeconds, scriptFile);
    onMeasuring();
    const figures = await runWrkOnce(plan, plan.durationSeconds, scriptFile);
    const durationSeconds = figures.durationMicros / 1e6;
    const successes = figures.requests - figures.status;
    const toMilliseconds = (micros: number): number => micros / 1000;
    return {
      durationSeconds,
      successes,
      successesPerSecond: successes / durationSeconds,
      non2xx: figures.status,
      errors: figures.connect + figures.read + figures.write + figures.timeout,
      timeouts: figures.timeout,
      statusCodes: { '< 400': successes, ...(figures.status > 0 ? { '>= 400': figures.status } : {}) },
      latency: { p50: toMilliseconds(figures.p50), p90: toMilliseconds(figures.p90), p99: toMilliseconds(figures.p99), max: toMilliseconds(figures.max), mean: toMilliseconds(figures.mean) },
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
