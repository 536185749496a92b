/**
 * Run by unwritten-marker.test.ts and killed with SIGKILL: a log pipeline whose database never answers takes
 * UNWRITTEN_TEST_COUNT records, its timer notes them, and it says "taken" once the note is on disk.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogPipeline } from '../../src/telemetry/pipeline/log-pipeline.js';
import { openSpillStore } from '../../src/telemetry/pipeline/spill-store.js';
import { openUnwrittenMarker } from '../../src/telemetry/pipeline/unwritten-marker.js';
import type { LogStore } from '../../src/telemetry/storage/log-store.js';
import { makeRecord } from './helpers.js';

const directory = process.env.UNWRITTEN_TEST_DIR!;
const count = Number(process.env.UNWRITTEN_TEST_COUNT);
const hanging = (): Promise<never> => new Promise<never>(() => {});
const store: LogStore = { name: 'sqlite', write: hanging, list: hanging, get: hanging, analytics: hanging, maintain: hanging };
const ignore = (): void => {};
const observer = { written: ignore, spilled: ignore, dropped: ignore, writeFailed: ignore, recovered: ignore };
const { marker } = openUnwrittenMarker(directory, { onError: (error) => console.error(error) });
const spill = await openSpillStore(path.join(directory, 'segments'), 1 << 20, () => 'segment.jsonl');
const pipeline = createLogPipeline({ store, spill, observer, maxQueued: 10_000, batchSize: 1000, flushIntervalMs: 20, marker });
pipeline.start();
for (let index = 0; index < count; index += 1) pipeline.push(makeRecord({ id: `r${index}` }));
const file = path.join(directory, `unwritten-${process.pid}.json`);
const timer = setInterval(() => {
  try {
    if (JSON.parse(readFileSync(file, 'utf8')).taken === count) {
      clearInterval(timer);
      process.stdout.write('taken\n');
    }
  } catch {
    // Not noted yet.
  }
}, 10);
