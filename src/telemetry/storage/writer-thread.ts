/**
 * Request-log writes on a worker thread. Inserting a batch (rows, metadata,
 * bodies, which arrive as JSON text) costs tens of microseconds of CPU a
 * record, which on the event loop's thread is taken from requests; on a thread
 * of its own it uses another core. The main thread posts each batch and waits
 * for the answer, so the pipeline's contract is unchanged: `write` resolves
 * once the batch is committed and rejects when it was not, and the pipeline
 * then backs off and spills as it does for any failed write. A batch the
 * database refused for what its records hold rejects with a
 * `RecordsRejectedError` (`rejection.ts`), which the pipeline splits.
 *
 * The worker opens its own connection (a SQLite file in WAL mode, or a small
 * PostgreSQL pool). Reads (lists, details, analytics, retention) stay on the
 * main thread's connection. A worker that fails to start or dies fails the
 * batches it held; the next write starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { LogRecord } from '../record/log-record.js';
import { packRecord, type PackedRecord } from '../record/packed-record.js';
import type { LogStore } from './log-store.js';
import { RecordsRejectedError } from './rejection.js';
import { BatchBuffers, encodeBatch } from './writer-batch.js';

export type WriterSpec =
  | { readonly sink: 'sqlite'; readonly file: string; readonly retentionDays: number; readonly maxBytes: number }
  | { readonly sink: 'postgres'; readonly url: string; readonly retentionDays: number };

/** A batch travels as bytes (`writer-batch.ts`), moved to the thread rather than copied. */
export type ToWorker = { readonly type: 'write'; readonly id: number; readonly batch: Uint8Array<ArrayBuffer> } | { readonly type: 'close' };
/** `done` brings the batch's buffer back (transferred) for the next batch. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'done'; readonly id: number; readonly error?: string; readonly rejected?: boolean; readonly buffer?: ArrayBuffer };

/**
 * The worker's entry. Under the TypeScript sources (tests, `npm run dev`) it is a .ts file: a small CommonJS
 * bootstrap registers tsx's loader in the thread first (`--import tsx` in `execArgv` does not reach a worker's
 * own entry module on Node 20).
 */
function startWorker(spec: WriterSpec): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: spec });
  const entry = new URL('./writer-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: spec });
}

interface Pending {
  /** Settles when the batch is answered, or fails before it was sent. */
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
  /** The thread the batch was posted to (none while it waits for one to start). */
  thread?: Worker;
}

export interface WriterThread {
  write(records: readonly LogRecord[]): Promise<void>;
  writePacked(records: readonly PackedRecord[]): Promise<void>;
  /** Waits for the batches in flight, closes the worker's connection and ends the thread. */
  close(): Promise<void>;
}

/** `buffers`: where the batches' buffers come back to (a test may look). */
export function createWriterThread(spec: WriterSpec, buffers = new BatchBuffers()): WriterThread {
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let nextId = 0;
  let closed = false;
  /** Every write not yet answered, including those still waiting for the thread to start. */
  const pending = new Map<number, Pending>();

  /** Fails the batches posted to `thread`; those still waiting for a thread fail through `ready`. */
  function failPostedTo(thread: Worker, error: Error): void {
    for (const [id, waiting] of pending) {
      if (waiting.thread !== thread) continue;
      pending.delete(id);
      waiting.reject(error);
    }
  }

  /** A thread that failed or ended is not used again: the next write starts a new one. */
  function forget(thread: Worker): void {
    if (worker !== thread) return;
    worker = undefined;
    ready = undefined;
  }

  function start(): Promise<void> {
    // Started by a write, so it stays referenced until that batch is answered (`settle` lets go of it).
    const thread = startWorker(spec);
    worker = thread;
    ready = new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        forget(thread);
        reject(error);
      };
      thread.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'failed') fail(new Error(`request log writer thread: ${message.error}`));
        else {
          if (message.buffer) buffers.give(message.buffer);
          settle(message.id, message.error, message.rejected === true);
        }
      });
      thread.on('error', fail);
      thread.on('exit', (code) => {
        const error = new Error(`request log writer thread exited (code ${code})`);
        fail(error);
        failPostedTo(thread, error);
      });
    });
    ready.catch(() => {});
    return ready;
  }

  function settle(id: number, error: string | undefined, rejected: boolean): void {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    // The thread keeps the process alive only while it holds batches.
    if (pending.size === 0) worker?.unref();
    if (error === undefined) waiting.resolve();
    else waiting.reject(rejected ? new RecordsRejectedError(error) : new Error(error));
  }

  async function writePacked(records: readonly PackedRecord[]): Promise<void> {
    if (closed) throw new Error('request log writer thread is closed');
    if (records.length === 0) return;
    // Copied into one buffer that is transferred, not cloned (see writer-batch.ts).
    const batch = encodeBatch(records, buffers);
    const id = (nextId += 1);
    let settlers: Pick<Pending, 'resolve' | 'reject'> | undefined;
    const done = new Promise<void>((resolve, reject) => (settlers = { resolve, reject }));
    // A worker that dies before the batch is posted fails `done` too; the caller then gets the start-up error.
    done.catch(() => {});
    pending.set(id, { done, ...settlers! });
    try {
      await (ready ?? start());
      if (!worker) throw new Error('request log writer thread exited before the batch was sent');
    } catch (error) {
      const waiting = pending.get(id);
      pending.delete(id);
      waiting?.reject(error as Error);
      if (pending.size === 0) worker?.unref();
      throw error;
    }
    worker.ref();
    pending.get(id)!.thread = worker;
    worker.postMessage({ type: 'write', id, batch } satisfies ToWorker, [batch.buffer]);
    return done;
  }

  return {
    // Packed before the batch is counted as pending, so a record that cannot be packed leaves nothing to wait for.
    write: async (records) => writePacked(records.map((record) => packRecord(record))),
    writePacked,
    async close() {
      closed = true;
      await Promise.allSettled([...pending.values()].map((waiting) => waiting.done));
      const thread = worker;
      if (!thread) return;
      thread.ref();
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      thread.postMessage({ type: 'close' } satisfies ToWorker);
      const timer = setTimeout(() => void thread.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `store` with its writes made on a worker thread; everything else stays as it is. */
export function withWriterThread(store: LogStore, spec: WriterSpec): LogStore & { close(): Promise<void> } {
  const thread = createWriterThread(spec);
  return { ...store, write: (records) => thread.write(records), writePacked: (records) => thread.writePacked(records), close: () => thread.close() };
}
