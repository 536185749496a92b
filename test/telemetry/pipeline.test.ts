/** The log pipeline against a store that fails on command: batching, spilling, draining without repeats, recovery after a restart, and counted drops. */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogPipeline, type DropReason, type PipelineObserver } from '../../src/telemetry/pipeline/log-pipeline.js';
import { openSpillStore } from '../../src/telemetry/pipeline/spill-store.js';
import type { LogRecord } from '../../src/telemetry/record/log-record.js';
import { unpackRecord, type PackedRecord } from '../../src/telemetry/record/packed-record.js';
import type { LogStore } from '../../src/telemetry/storage/log-store.js';
import { RecordsRejectedError } from '../../src/telemetry/storage/rejection.js';
import { makeRecord, temporaryDirectory } from './helpers.js';

class FlakyStore {
  readonly written: string[] = [];
  readonly batches: number[] = [];
  down = false;
  write = async (records: readonly LogRecord[]): Promise<void> => {
    if (this.down) throw new Error('connection refused');
    this.batches.push(records.length);
    this.written.push(...records.map((record) => record.id));
  };
  asStore(): LogStore {
    const unused = async (): Promise<never> => {
      throw new Error('not in this test');
    };
    return { name: 'sqlite', write: (records) => this.write(records), list: unused, get: unused, analytics: unused, maintain: unused };
  }
}

class RecordingObserver implements PipelineObserver {
  readonly events: string[] = [];
  readonly drops: [DropReason, number][] = [];
  written = (count: number): void => void this.events.push(`written ${count}`);
  spilled = (count: number): void => void this.events.push(`spilled ${count}`);
  dropped = (reason: DropReason, count: number): void => void this.drops.push([reason, count]);
  writeFailed = (_error: unknown, failures: number): void => void this.events.push(`failed ${failures}`);
  recovered = (failures: number): void => void this.events.push(`recovered after ${failures}`);
}

const records = (prefix: string, count: number): LogRecord[] => Array.from({ length: count }, (_, index) => makeRecord({ id: `${prefix}${index}` }));
let counter = 0;
const names = (): string => `${String((counter += 1)).padStart(8, '0')}.jsonl`;

let directory: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  directory = temporaryDirectory('telemetry-pipeline');
});
afterEach(() => directory.remove());

describe('the log pipeline', () => {
  it('writes in batches of at most batchSize', async () => {
    const store = new FlakyStore();
    const observer = new RecordingObserver();
    const pipeline = createLogPipeline({ store: store.asStore(), spill: await openSpillStore(directory.path, 1 << 20, names), observer, maxQueued: 100, batchSize: 4, flushIntervalMs: 1000 });
    for (const record of records('r', 10)) pipeline.push(record);
    await pipeline.flush();
    expect(store.written).toEqual(records('r', 10).map((record) => record.id));
    expect(store.batches).toEqual([4, 4, 2]);
    expect(observer.drops).toEqual([]);
  });

  it('leaves what arrives during a write for the next run, unless it fills a batch', async () => {
    const store = new FlakyStore();
    let release: (() => void) | undefined;
    const write = store.write;
    // The first write waits until released, as a write to a busy database would.
    store.write = async (batch) => {
      if (store.batches.length === 0 && !release) await new Promise<void>((resolve) => (release = resolve));
      return write(batch);
    };
    const pipeline = createLogPipeline({ store: store.asStore(), spill: await openSpillStore(directory.path, 1 << 20, names), observer: new RecordingObserver(), maxQueued: 100, batchSize: 4, flushIntervalMs: 1000 });
    /** Pushes `before` records, flushes, and pushes `during` more while that write waits; then lets it finish. */
    const pushDuringWrite = async (before: number, during: number, prefix: string): Promise<void> => {
      store.batches.length = 0;
      release = undefined;
      for (const record of records(`${prefix}-before`, before)) pipeline.push(record);
      const flushed = pipeline.flush();
      await new Promise((resolve) => setImmediate(resolve));
      for (const record of records(`${prefix}-during`, during)) pipeline.push(record);
      release!();
      await flushed;
    };
    await pushDuringWrite(3, 2, 'a');
    expect(store.batches).toEqual([3]);
    expect(pipeline.queued).toBe(2);
    await pipeline.flush();
    expect(store.batches).toEqual([3, 2]);
    // A full batch that builds up during a write is written right after it.
    await pushDuringWrite(1, 5, 'b');
    expect(store.batches).toEqual([1, 4]);
    expect(pipeline.queued).toBe(1);
  });

  it('spills past the queue bound while the store is down, then drains memory and disk once, in order', async () => {
    const store = new FlakyStore();
    const observer = new RecordingObserver();
    const spill = await openSpillStore(directory.path, 1 << 20, names);
    const pipeline = createLogPipeline({ store: store.asStore(), spill, observer, maxQueued: 3, batchSize: 2, flushIntervalMs: 1000 });
    store.down = true;
    for (const record of records('r', 9)) pipeline.push(record);
    await pipeline.flush();
    expect(pipeline.queued).toBe(3);
    expect(spill.bytes).toBeGreaterThan(0);
    expect(observer.events.filter((event) => event.startsWith('spilled')).reduce((sum, event) => sum + Number(event.split(' ')[1]), 0)).toBe(6);
    store.down = false;
    await pipeline.flush();
    expect(store.written.sort()).toEqual(records('r', 9).map((record) => record.id).sort());
    expect(new Set(store.written).size).toBe(9);
    expect(spill.bytes).toBe(0);
    expect(spill.segmentCount).toBe(0);
    expect(readdirSync(directory.path)).toEqual([]);
    expect(observer.events.filter((event) => event.startsWith('recovered after'))).toHaveLength(1);
    expect(observer.drops).toEqual([]);
  });

  it('resumes a spilled segment where a failed write stopped, without repeats', async () => {
    const store = new FlakyStore();
    const spill = await openSpillStore(directory.path, 1 << 20, names);
    await spill.append(records('s', 5));
    const pipeline = createLogPipeline({ store: store.asStore(), spill, observer: new RecordingObserver(), maxQueued: 10, batchSize: 2, flushIntervalMs: 1000 });
    let calls = 0;
    const original = store.write;
    store.write = async (batch) => {
      calls += 1;
      if (calls === 2) throw new Error('blip');
      return original(batch);
    };
    await pipeline.flush();
    expect(store.written).toEqual(['s0', 's1']);
    await pipeline.flush();
    expect(store.written).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });

  it('reads back what a previous run left on disk, and counts corrupt lines as dropped', async () => {
    const leftover = records('old', 2).map((record) => JSON.stringify(record)).join('\n');
    writeFileSync(path.join(directory.path, '00000000-left.jsonl'), `${leftover}\n{"cut off by a cra\n`);
    const store = new FlakyStore();
    const observer = new RecordingObserver();
    const pipeline = createLogPipeline({ store: store.asStore(), spill: await openSpillStore(directory.path, 1 << 20, names), observer, maxQueued: 10, batchSize: 10, flushIntervalMs: 1000 });
    await pipeline.flush();
    expect(store.written).toEqual(['old0', 'old1']);
    expect(observer.drops).toEqual([['spill_corrupt', 1]]);
  });

  it('counts records it cannot keep when the spill is full', async () => {
    const store = new FlakyStore();
    const observer = new RecordingObserver();
    const spill = await openSpillStore(directory.path, 10, names);
    const pipeline = createLogPipeline({ store: store.asStore(), spill, observer, maxQueued: 2, batchSize: 100, flushIntervalMs: 1000 });
    store.down = true;
    for (const record of records('r', 5)) pipeline.push(record);
    await pipeline.flush();
    expect(observer.drops).toEqual([['spill_full', 3]]);
    store.down = false;
    await pipeline.flush();
    expect(store.written).toEqual(['r0', 'r1']);
  });

  it('hands a store that takes packed records its batches packed, and any other store the records whole', async () => {
    const pushed = [makeRecord({ id: 'p0', requestBody: '{"q":"é"}', responseBody: '{"a":"sent"}' }), makeRecord({ id: 'p1', requestBody: undefined, responseBody: undefined })];
    const sent = { text: '{"a":"sent"}', bytes: Buffer.from('{"a":"sent"}') };
    const packedBatches: PackedRecord[][] = [];
    const unused = async (): Promise<never> => {
      throw new Error('not in this test');
    };
    const packedStore: LogStore = {
      name: 'sqlite',
      write: unused,
      writePacked: async (batch) => void packedBatches.push([...batch]),
      list: unused,
      get: unused,
      analytics: unused,
      maintain: unused,
    };
    const options = { observer: new RecordingObserver(), maxQueued: 10, batchSize: 10, flushIntervalMs: 1000 };
    const packing = createLogPipeline({ ...options, store: packedStore, spill: await openSpillStore(path.join(directory.path, 'a'), 1 << 20, names) });
    packing.push(pushed[0]!, sent);
    packing.push(pushed[1]!);
    await packing.flush();
    expect(packedBatches).toHaveLength(1);
    expect(packedBatches[0]![0]!.responseBody).toBe(sent.bytes);
    expect(packedBatches[0]!.map(unpackRecord)).toEqual(pushed);

    const whole = new FlakyStore();
    let received: readonly LogRecord[] = [];
    whole.write = async (batch) => void (received = batch);
    const plain = createLogPipeline({ ...options, store: whole.asStore(), spill: await openSpillStore(path.join(directory.path, 'b'), 1 << 20, names) });
    for (const record of pushed) plain.push(record, sent);
    await plain.flush();
    expect(received).toEqual(pushed);
  });

  it('counts a record that cannot be encoded as dropped, and writes the others', async () => {
    const store = new FlakyStore();
    const observer = new RecordingObserver();
    const pipeline = createLogPipeline({ store: store.asStore(), spill: await openSpillStore(directory.path, 1 << 20, names), observer, maxQueued: 10, batchSize: 10, flushIntervalMs: 1000 });
    pipeline.push(makeRecord({ id: 'good0' }));
    pipeline.push(makeRecord({ id: 'bad', metadata: { big: 1n as unknown as string } }));
    pipeline.push(makeRecord({ id: 'good1' }));
    await pipeline.flush();
    expect(store.written).toEqual(['good0', 'good1']);
    expect(observer.drops).toEqual([['unencodable', 1]]);
  });

  it('finds the records a database rejects by splitting their batch, drops only those, and keeps the order', async () => {
    const store = new FlakyStore();
    const observer = new RecordingObserver();
    let writes = 0;
    const original = store.write;
    store.write = async (batch) => {
      writes += 1;
      const bad = batch.find((record) => record.id.startsWith('bad'));
      if (bad) throw new RecordsRejectedError(`NOT NULL constraint failed (${bad.id})`);
      return original(batch);
    };
    const pipeline = createLogPipeline({ store: store.asStore(), spill: await openSpillStore(directory.path, 1 << 20, names), observer, maxQueued: 100, batchSize: 16, flushIntervalMs: 1000 });
    const ids = Array.from({ length: 16 }, (_, index) => (index === 3 || index === 11 ? `bad${index}` : `r${index}`));
    for (const id of ids) pipeline.push(makeRecord({ id }));
    await pipeline.flush();
    expect(store.written).toEqual(ids.filter((id) => !id.startsWith('bad')));
    expect(observer.drops).toEqual([
      ['rejected', 1],
      ['rejected', 1],
    ]);
    expect(observer.events.filter((event) => event.startsWith('failed'))).toEqual([]);
    expect(writes).toBeLessThanOrEqual(2 * 2 * Math.log2(16) + 1);
    expect(pipeline.queued).toBe(0);
  });

  it('keeps what is left of a split batch, unwritten, when the database then fails for another reason', async () => {
    const store = new FlakyStore();
    const observer = new RecordingObserver();
    const original = store.write;
    store.write = async (batch) => {
      if (batch.some((record) => record.id === 'bad')) throw new RecordsRejectedError('rejected');
      if (batch.some((record) => record.id === 'r3')) store.down = true;
      return original(batch);
    };
    const pipeline = createLogPipeline({ store: store.asStore(), spill: await openSpillStore(directory.path, 1 << 20, names), observer, maxQueued: 100, batchSize: 4, flushIntervalMs: 1000 });
    for (const id of ['r0', 'bad', 'r2', 'r3']) pipeline.push(makeRecord({ id }));
    await pipeline.flush();
    expect(store.written).toEqual(['r0']);
    expect(observer.drops).toEqual([['rejected', 1]]);
    expect(pipeline.queued).toBe(2);
    store.down = false;
    store.write = original;
    await pipeline.flush();
    expect(store.written).toEqual(['r0', 'r2', 'r3']);
  });

  it('on stop, spills what the store cannot take, for the next run', async () => {
    const store = new FlakyStore();
    const spill = await openSpillStore(directory.path, 1 << 20, names);
    const pipeline = createLogPipeline({ store: store.asStore(), spill, observer: new RecordingObserver(), maxQueued: 100, batchSize: 100, flushIntervalMs: 1000 });
    store.down = true;
    for (const record of records('r', 3)) pipeline.push(record);
    await pipeline.stop(200);
    expect(store.written).toEqual([]);
    const reopened = await openSpillStore(directory.path, 1 << 20, names);
    const segment = await reopened.oldest();
    expect(segment?.records.map((record) => record.id)).toEqual(['r0', 'r1', 'r2']);
  });
});
