/**
 * The request log's writer thread: opens its own connection to the log's
 * database and writes the batches the main thread posts, so that building the
 * rows and the inserts themselves never hold the event loop. It answers every
 * batch (written, or the error), and closes its connection when told to.
 * See `writer-thread.ts` for the main side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { connectPostgres } from '../../storage/postgres.js';
import { openLogSqlite } from '../../storage/sqlite.js';
import { writePackedTo, type LogStore } from './log-store.js';
import { createPostgresStore } from './postgres-store.js';
import { rejectsRecords } from './rejection.js';
import { createSqliteStore } from './sqlite-store.js';
import { decodeBatch } from './writer-batch.js';
import type { ToWorker, FromWorker, WriterSpec } from './writer-thread.js';

const port = parentPort;
if (!port) throw new Error('writer-worker.ts runs only as a worker thread');
const spec = workerData as WriterSpec;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function open(): Promise<{ store: LogStore; close(): Promise<void> }> {
  if (spec.sink === 'sqlite') {
    const database = openLogSqlite(spec.file);
    const store = createSqliteStore(database, { retentionDays: spec.retentionDays, maxBytes: spec.maxBytes });
    return { store, close: async () => void database.close() };
  }
  const sql = connectPostgres(spec.url, { max: 2 });
  try {
    const store = await createPostgresStore(sql, { retentionDays: spec.retentionDays });
    return { store, close: () => sql.end({ timeout: 5 }) };
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw error;
  }
}

try {
  const { store, close } = await open();
  // Batches are written one after another, in the order they came.
  let tail: Promise<unknown> = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      tail = tail.then(close).finally(() => port.close());
      return;
    }
    const { id, batch } = message;
    // A batch that fails to decode or to write is answered with the error, like any failed write.
    const write = async (): Promise<void> => writePackedTo(store, decodeBatch(batch));
    // The buffer goes back with the answer, for the main thread's next batch: the write is over, nothing here keeps a view of it.
    const answer = (message: FromWorker & { type: 'done' }): void => post({ ...message, buffer: batch.buffer }, [batch.buffer]);
    tail = tail.then(write).then(
      () => answer({ type: 'done', id }),
      (error: unknown) => answer({ type: 'done', id, error: describe(error), rejected: rejectsRecords(error) }),
    );
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', error: describe(error) });
  port.close();
}
