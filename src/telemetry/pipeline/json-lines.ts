/**
 * Optional JSON lines of every record, to stdout or a file, batched: lines
 * are buffered and written on the pipeline's timer. A destination that
 * cannot keep up (more than `maxPendingBytes` unwritten) drops lines, counted.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { LogRecord } from '../record/log-record.js';
import type { DropReason } from './log-pipeline.js';

export interface JsonLinesWriter {
  write(record: LogRecord): void;
  /** Hands the buffered lines to the destination; resolves once it took them. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The record as one line of JSON, its bodies (JSON text) nested as JSON values, not as strings. */
export function jsonLine(record: LogRecord): string {
  const { requestBody, responseBody, ...rest } = record;
  let line = JSON.stringify(rest);
  if (requestBody === undefined && responseBody === undefined) return line;
  line = line.slice(0, -1);
  if (requestBody !== undefined) line += `,"requestBody":${requestBody}`;
  if (responseBody !== undefined) line += `,"responseBody":${responseBody}`;
  return `${line}}`;
}

export function createJsonLinesWriter(destination: string, onDrop: (reason: DropReason, count: number) => void, options: { stdout?: Writable; maxPendingBytes?: number } = {}): JsonLinesWriter | undefined {
  if (destination === 'off') return undefined;
  const maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
  let stream: Writable;
  if (destination === 'stdout') {
    stream = options.stdout ?? process.stdout;
  } else {
    mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
    stream = createWriteStream(destination, { flags: 'a' });
  }
  let failed = false;
  stream.on('error', () => {
    failed = true;
  });
  let lines: string[] = [];

  return {
    write(record) {
      lines.push(`${jsonLine(record)}\n`);
      if (lines.length >= 1000) void this.flush();
    },
    flush() {
      if (lines.length === 0) return Promise.resolve();
      const pending = lines;
      lines = [];
      if (failed) {
        onDrop('jsonl_error', pending.length);
        return Promise.resolve();
      }
      if (stream.writableLength > maxPendingBytes) {
        onDrop('jsonl_backpressure', pending.length);
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => stream.write(pending.join(''), () => resolve()));
    },
    async close() {
      await this.flush();
      if (destination === 'stdout') return;
      await new Promise<void>((resolve) => stream.end(resolve));
    },
  };
}
