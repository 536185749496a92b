/** The floor on request log records lost by a process that was killed: noted by the pipeline, counted at the next start. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqlite } from '../../src/storage/sqlite.js';
import { createTelemetry, telemetryConfigSchema } from '../../src/telemetry/index.js';
import type { GatewayMetrics } from '../../src/telemetry/metrics/gateway-metrics.js';
import { createLogPipeline } from '../../src/telemetry/pipeline/log-pipeline.js';
import { openSpillStore } from '../../src/telemetry/pipeline/spill-store.js';
import { openUnwrittenMarker, type UnwrittenMarker } from '../../src/telemetry/pipeline/unwritten-marker.js';
import type { LogStore } from '../../src/telemetry/storage/log-store.js';
import { makeRecord, quietLogger, temporaryDirectory } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const noErrors = (error: unknown): never => {
  throw error;
};

let directory: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  directory = temporaryDirectory('unwritten');
});
afterEach(() => directory.remove());

describe('the unwritten-records marker', () => {
  it('counts what a process that is gone had taken and not settled, and leaves live processes alone', () => {
    writeFileSync(path.join(directory.path, 'unwritten-111.json'), JSON.stringify({ pid: 111, taken: 40, settled: 25 }));
    writeFileSync(path.join(directory.path, 'unwritten-222.json'), JSON.stringify({ pid: 222, taken: 9, settled: 9 }));
    writeFileSync(path.join(directory.path, 'unwritten-333.json'), JSON.stringify({ pid: 333, taken: 5, settled: 0 }));
    const { lost } = openUnwrittenMarker(directory.path, { pid: 1, isAlive: (pid) => pid === 333, onError: noErrors });
    expect(lost).toEqual([{ pid: 111, count: 15 }]);
    expect(readdirSync(directory.path).sort()).toEqual(['unwritten-1.json', 'unwritten-333.json']);
  });

  it("reads a note with this process's own pid (a restarted container's pid 1)", () => {
    writeFileSync(path.join(directory.path, 'unwritten-1.json'), JSON.stringify({ pid: 1, taken: 3, settled: 1 }));
    expect(openUnwrittenMarker(directory.path, { pid: 1, isAlive: () => true, onError: noErrors }).lost).toEqual([{ pid: 1, count: 2 }]);
  });

  it('reports a note it cannot read, and removes it', () => {
    writeFileSync(path.join(directory.path, 'unwritten-111.json'), '{"pid":111,"tak');
    const errors: string[] = [];
    const { lost } = openUnwrittenMarker(directory.path, { pid: 2, isAlive: () => false, onError: (_error, file) => errors.push(path.basename(file)) });
    expect(lost).toEqual([]);
    expect(errors).toEqual(['unwritten-111.json']);
    expect(existsSync(path.join(directory.path, 'unwritten-111.json'))).toBe(false);
  });

  it('notes the counts over the last note in place, and a clean stop removes the note', () => {
    const { marker } = openUnwrittenMarker(directory.path, { pid: 7, onError: noErrors });
    const file = path.join(directory.path, 'unwritten-7.json');
    marker.note(123456, 4);
    marker.note(12, 5);
    // A shorter note leaves nothing of the longer one behind it.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ pid: 7, taken: 12, settled: 5 });
    expect(readFileSync(file).length).toBe(96);
    marker.close();
    expect(readdirSync(directory.path)).toEqual([]);
  });

  it('counts nothing for a process that ended before its first note', () => {
    openUnwrittenMarker(directory.path, { pid: 8, onError: noErrors });
    expect(readFileSync(path.join(directory.path, 'unwritten-8.json'), 'utf8')).toBe('');
    expect(openUnwrittenMarker(directory.path, { pid: 9, isAlive: () => false, onError: noErrors }).lost).toEqual([]);
  });
});

describe('the pipeline and the marker', () => {
  it('notes what it took on every run and what settled after every batch', async () => {
    const notes: [number, number][] = [];
    const marker: UnwrittenMarker = { note: (taken, settled) => void notes.push([taken, settled]), close: () => {} };
    let written = 0;
    const store = { name: 'sqlite', write: async (records: readonly unknown[]) => void (written += records.length) } as unknown as LogStore;
    const ignore = (): void => {};
    const observer = { written: ignore, spilled: ignore, dropped: ignore, writeFailed: ignore, recovered: ignore };
    const pipeline = createLogPipeline({ store, spill: await openSpillStore(path.join(directory.path, 'spill'), 1 << 20, () => 's.jsonl'), observer, maxQueued: 100, batchSize: 4, flushIntervalMs: 1000, marker });
    for (let index = 0; index < 6; index += 1) pipeline.push(makeRecord({ id: `r${index}` }));
    await pipeline.flush();
    expect(written).toBe(6);
    // The full batch (4) started a run; the note after its write says 4 settled; flush writes the rest.
    expect(notes[0]).toEqual([4, 0]);
    expect(notes.findIndex(([, settled]) => settled === 4)).toBeLessThan(notes.findIndex(([, settled]) => settled === 6));
    expect(notes.at(-1)).toEqual([6, 6]);
    notes.forEach(([taken, settled], index) => {
      expect(settled).toBeLessThanOrEqual(taken);
      if (index > 0) expect(taken).toBeGreaterThanOrEqual(notes[index - 1]![0]);
    });
  });

  it('after kill -9 of a process whose database hung, the next start counts every record it had taken', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/telemetry/unwritten-crash-child.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, UNWRITTEN_TEST_DIR: directory.path, UNWRITTEN_TEST_COUNT: '37' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await vi.waitFor(() => expect(output).toContain('taken'), { timeout: 20_000, interval: 50 });
    child.kill('SIGKILL');
    await exited;
    const { lost } = openUnwrittenMarker(directory.path, { onError: noErrors });
    expect(lost).toEqual([{ pid: child.pid, count: 37 }]);
  });

  it('the telemetry counts the loss in its drop metric at start-up', async () => {
    const spill = path.join(directory.path, 'spill');
    const dead = 2 ** 22 + 12345;
    mkdirSync(spill);
    writeFileSync(path.join(spill, `unwritten-${dead}.json`), JSON.stringify({ pid: dead, taken: 120, settled: 100 }));
    const config = telemetryConfigSchema.parse({ logging: { write_thread: false, spill_dir: spill }, metrics: { process_metrics: false } });
    const telemetry = await createTelemetry({ config, env: {}, sqlite: openSqlite(':memory:'), logger: quietLogger });
    try {
      // The registry behind /metrics (the type the telemetry exposes to other modules leaves it out).
      const metrics = await (telemetry.metrics as GatewayMetrics).registry.metrics();
      expect(metrics).toContain('switchyard_log_records_dropped_total{reason="killed"} 20');
      expect(existsSync(path.join(spill, `unwritten-${dead}.json`))).toBe(false);
    } finally {
      await telemetry.stop();
    }
    expect(readdirSync(spill).filter((name) => name.startsWith('unwritten-'))).toEqual([]);
  });
});
