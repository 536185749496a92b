/**
 * The way from a finished request to the database, off the request's path:
 * `push` only appends to a bounded in-memory queue. A timer (or a full batch)
 * writes batches; when the database is slow or down, writes back off and
 * what passes the queue's bound spills to disk, to be written back once the
 * database answers again. Nothing is dropped silently: a record that cannot
 * be kept anywhere is counted, with its reason, and logged.
 */
import type { LogRecord } from '../record/log-record.js';
import { packRecord, unpackRecord, type KnownBytes, type PackedRecord } from '../record/packed-record.js';
import { writePackedTo, type LogStore } from '../storage/log-store.js';
import { rejectsRecords } from '../storage/rejection.js';
import type { SpillStore } from './spill-store.js';
import type { UnwrittenMarker } from './unwritten-marker.js';

export type DropReason = 'spill_full' | 'spill_corrupt' | 'shutdown' | 'unencodable' | 'rejected' | 'killed' | 'jsonl_backpressure' | 'jsonl_error';

/** What the pipeline reports: metrics and the gateway's own log listen. */
export interface PipelineObserver {
  written(count: number): void;
  spilled(count: number): void;
  /** `error`: why, where there is one to tell (the database's answer to a rejected record). */
  dropped(reason: DropReason, count: number, error?: unknown): void;
  writeFailed(error: unknown, consecutiveFailures: number): void;
  recovered(afterFailures: number): void;
}

export interface PipelineOptions {
  readonly store: LogStore;
  readonly spill: SpillStore;
  readonly observer: PipelineObserver;
  readonly maxQueued: number;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  /** Longest wait between retries while the database fails. */
  readonly maxBackoffMs?: number;
  /** Told how many records were taken and how many left memory, after each batch and each timer run (`unwritten-marker.ts`). */
  readonly marker?: UnwrittenMarker;
}

export interface LogPipeline {
  /** `known`: the answer's text as sent, with its bytes (see `packRecord`). */
  push(record: LogRecord, known?: KnownBytes): void;
  /** Records in memory, waiting for the database. */
  readonly queued: number;
  /** Writes what can be written now (memory first, then spilled segments). */
  flush(): Promise<void>;
  /** Starts the timer. */
  start(): void;
  /** Stops the timer, writes what it can within `deadlineMs`, and spills the rest to disk. */
  stop(deadlineMs?: number): Promise<void>;
}

export function createLogPipeline(options: PipelineOptions): LogPipeline {
  const { store, spill, observer } = options;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  // Records wait packed (`packed-record.ts`): their bytes live outside the JS heap, so collections do not copy them.
  let queue: PackedRecord[] = [];
  let overflow: PackedRecord[] = [];
  let failures = 0;
  let retryAt = 0;
  /** Records pushed into memory, and those of them that left it: written, spilled, or dropped and counted. */
  let taken = 0;
  let settledTotal = 0;
  const note = (): void => options.marker?.note(taken, settledTotal);
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function spillOverflow(): Promise<void> {
    if (overflow.length === 0) return;
    const records = overflow.map(unpackRecord);
    overflow = [];
    if (await spill.append(records)) observer.spilled(records.length);
    else observer.dropped('spill_full', records.length);
    settledTotal += records.length;
    note();
  }

  const writePacked = (records: readonly PackedRecord[]): Promise<void> => writePackedTo(store, records);
  const writeWhole = (records: readonly LogRecord[]): Promise<void> => store.write(records);

  /**
   * Writes a batch; returns how many records from its start are settled: written, or dropped because the database
   * rejected them. On any other failure the rest stays where it was and the pipeline backs off. A rejected batch
   * is split in halves until the records at fault are alone (a batch of n costs at most ~2·log2(n) writes a bad record).
   */
  async function settle<T>(records: readonly T[], write: (batch: readonly T[]) => Promise<void>): Promise<number> {
    try {
      await write(records);
    } catch (error) {
      if (rejectsRecords(error)) {
        if (records.length === 1) {
          observer.dropped('rejected', 1, error);
          return 1;
        }
        const half = Math.ceil(records.length / 2);
        const first = await settle(records.slice(0, half), write);
        return first < half ? first : half + (await settle(records.slice(half), write));
      }
      failures += 1;
      retryAt = Date.now() + Math.min(maxBackoffMs, options.flushIntervalMs * 2 ** Math.min(failures - 1, 10));
      observer.writeFailed(error, failures);
      return 0;
    }
    if (failures > 0) observer.recovered(failures);
    failures = 0;
    retryAt = 0;
    observer.written(records.length);
    return records.length;
  }

  async function drain(force: boolean): Promise<void> {
    await spillOverflow();
    if (!force && Date.now() < retryAt) return;
    // What arrives while a batch is written waits for the next run, unless it fills a batch: writing it at once
    // made a stream of small batches, and a commit costs about the same for 20 records as for 500.
    let due = queue.length;
    while (due > 0 || queue.length >= options.batchSize) {
      const batch = queue.slice(0, options.batchSize);
      const settled = await settle(batch, writePacked);
      queue = queue.slice(settled);
      due -= settled;
      settledTotal += settled;
      note();
      if (settled < batch.length) return;
      await spillOverflow();
      // A synchronous store (SQLite) would otherwise hold the event loop for the whole backlog.
      if (queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (let segment = await spill.oldest(); segment; segment = await spill.oldest()) {
      if (segment.corrupt > 0) observer.dropped('spill_corrupt', segment.corrupt);
      if (segment.records.length === 0) {
        await segment.advance(0);
        continue;
      }
      const batch = segment.records.slice(0, options.batchSize);
      const settled = await settle(batch, writeWhole);
      await segment.advance(settled);
      if (settled < batch.length) return;
      if (queue.length >= options.batchSize) return;
    }
  }

  function run(force = false): Promise<void> {
    note();
    running ??= drain(force).finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    get queued() {
      return queue.length;
    },
    push(unpacked, known) {
      if (stopped) {
        void spill.append([unpacked]).then((kept) => (kept ? observer.spilled(1) : observer.dropped('shutdown', 1)));
        return;
      }
      let record: PackedRecord;
      try {
        record = packRecord(unpacked, known);
      } catch {
        // Only a value JSON cannot write (a BigInt, a cycle) gets here, and no store could keep it either.
        observer.dropped('unencodable', 1);
        return;
      }
      taken += 1;
      if (queue.length < options.maxQueued) queue.push(record);
      else overflow.push(record);
      if (queue.length >= options.batchSize || overflow.length >= options.batchSize) void run();
    },
    async flush() {
      if (running) await running;
      await run(true);
    },
    start() {
      timer ??= setInterval(() => void run(), options.flushIntervalMs);
      timer.unref();
    },
    async stop(deadlineMs = 5000) {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([
        (async () => {
          if (running) await running;
          while (queue.length > 0 && failures === 0) await run(true);
        })(),
        new Promise<void>((resolve) => {
          deadline = setTimeout(resolve, deadlineMs);
        }),
      ]);
      clearTimeout(deadline);
      overflow = [...queue, ...overflow];
      queue = [];
      await spillOverflow();
    },
  };
}
