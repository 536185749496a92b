/**
 * Records that the database could not take in time wait on disk, as JSON
 * lines in segment files read back oldest first. A segment being read back
 * remembers how far it got, so a database that fails again mid-segment
 * does not get records twice. Segments left by a previous run are read back
 * at start-up. Past `maxBytes`, appends are refused (the caller counts the drop).
 */
import { mkdir, readdir, readFile, appendFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { logRecordSchema, type LogRecord } from '../record/log-record.js';

const segmentMaxBytes = 4 * 1024 * 1024;

export interface SpillSegment {
  /** The records not yet written, from where the last read stopped. */
  readonly records: readonly LogRecord[];
  /** Lines that were not valid records (e.g. cut by a crash), counted once. */
  readonly corrupt: number;
  /** Marks `count` more records as written; the file is removed once all are. */
  advance(count: number): Promise<void>;
}

export interface SpillStore {
  /** Appends records; false when they could not be kept (full, or a disk error). */
  append(records: readonly LogRecord[]): Promise<boolean>;
  readonly bytes: number;
  readonly segmentCount: number;
  /** The oldest segment's remaining records, or undefined when nothing is spilled. */
  oldest(): Promise<SpillSegment | undefined>;
}

interface SegmentFile {
  readonly file: string;
  bytes: number;
  /** Loaded lazily; `done` of them are written. */
  loaded?: { records: LogRecord[]; done: number };
}

export async function openSpillStore(directory: string, maxBytes: number, nextName: () => string): Promise<SpillStore> {
  await mkdir(directory, { recursive: true });
  const segments: SegmentFile[] = [];
  for (const name of (await readdir(directory)).filter((entry) => entry.endsWith('.jsonl')).sort()) {
    const file = path.join(directory, name);
    segments.push({ file, bytes: (await stat(file)).size });
  }
  let bytes = segments.reduce((sum, segment) => sum + segment.bytes, 0);
  /** The segment being appended to: never the one being read back. */
  let writing: SegmentFile | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = chain.then(task);
    chain = result.catch(() => undefined);
    return result;
  }

  return {
    get bytes() {
      return bytes;
    },
    get segmentCount() {
      return segments.length;
    },
    append(records) {
      return serialized(async () => {
        if (records.length === 0) return true;
        const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
        const size = Buffer.byteLength(text);
        if (bytes + size > maxBytes) return false;
        if (!writing || writing.bytes >= segmentMaxBytes || writing.loaded) {
          writing = { file: path.join(directory, nextName()), bytes: 0 };
          segments.push(writing);
        }
        try {
          await appendFile(writing.file, text);
        } catch {
          return false;
        }
        writing.bytes += size;
        bytes += size;
        return true;
      });
    },
    oldest() {
      return serialized(async () => {
        const segment = segments[0];
        if (!segment) return undefined;
        if (segment === writing) writing = undefined;
        let corrupt = 0;
        if (!segment.loaded) {
          const records: LogRecord[] = [];
          const text = await readFile(segment.file, 'utf8').catch(() => '');
          for (const line of text.split('\n')) {
            if (line.trim() === '') continue;
            try {
              const parsed = logRecordSchema.safeParse(JSON.parse(line));
              if (parsed.success) records.push(parsed.data);
              else corrupt += 1;
            } catch {
              corrupt += 1;
            }
          }
          segment.loaded = { records, done: 0 };
        }
        const loaded = segment.loaded;
        return {
          records: loaded.records.slice(loaded.done),
          corrupt,
          advance: (count: number) =>
            serialized(async () => {
              loaded.done += count;
              if (loaded.done < loaded.records.length) return;
              await unlink(segment.file).catch(() => undefined);
              segments.splice(segments.indexOf(segment), 1);
              bytes -= segment.bytes;
            }),
        };
      });
    },
  };
}
