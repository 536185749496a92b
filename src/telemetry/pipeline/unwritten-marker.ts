/**
 * A floor on what a killed gateway lost from its request log.
 *
 * Records wait in memory for their batch, for up to `flush_interval_ms`. A
 * graceful stop writes or spills them, but `kill -9`, an out-of-memory kill or
 * a power loss takes them along, and nothing would tell. So the pipeline notes
 * here, in a small file of its own process, how many records it has taken and
 * how many of those have left memory (written, spilled, or dropped and
 * counted). It notes after every batch settles and on every run (the timer's,
 * or one a full batch starts, after that request's answer has gone): one small
 * write per batch, not per request.
 *
 * At start-up, the note of a process that is gone (or that has this process's
 * pid, as a restarted container's pid 1 does) says that at least
 * `taken − settled` records were lost: every settle was noted, and taken only
 * grew after the last note. The records taken since the last timer run are not
 * in that count, hence "at least".
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { orphanedFiles, type OrphanOptions } from '../../storage/orphaned-files.js';

const prefix = 'unwritten-';
/** Every note is this many bytes (JSON padded with spaces), written over the last one in place. */
const noteBytes = 96;
const noteSchema = z.object({ pid: z.number().int(), taken: z.number().int().nonnegative(), settled: z.number().int().nonnegative() });

export interface UnwrittenMarker {
  /** Records the counts, when they changed since the last note. */
  note(taken: number, settled: number): void;
  /** A clean stop: the file goes. */
  close(): void;
}

/** What the notes of processes that are gone say. */
export interface LostRecords {
  readonly pid: number;
  /** At least this many records never left that process's memory. */
  readonly count: number;
}

/** `pid` and `isAlive` (tests) decide which notes were left by processes that are gone. */
export interface MarkerOptions extends OrphanOptions {
  /** A note that cannot be read or written: the caller logs it. */
  readonly onError: (error: unknown, file: string) => void;
}

/** Reads (and removes) the notes that processes now gone left in `directory`, then opens this process's own. */
export function openUnwrittenMarker(directory: string, options: MarkerOptions): { marker: UnwrittenMarker; lost: LostRecords[] } {
  const pid = options.pid ?? process.pid;
  mkdirSync(directory, { recursive: true });
  const lost: LostRecords[] = [];
  for (const { file, owner } of orphanedFiles(directory, prefix, '.json', options)) {
    try {
      const text = readFileSync(file, 'utf8');
      // Empty: the process ended before its first note, having taken nothing yet.
      const note = text.trim() === '' ? undefined : noteSchema.parse(JSON.parse(text));
      if (note && note.taken > note.settled) lost.push({ pid: owner, count: note.taken - note.settled });
    } catch (error) {
      options.onError(error, file);
    }
    rmSync(file, { force: true });
  }

  const file = path.join(directory, `${prefix}${pid}.json`);
  // One write(2) of a fixed size at offset 0 a note, on a descriptor kept open: no rename, which cost ~1-2 ms of the
  // event loop a note on this machine's file system. A kill cannot tear a single write: once it returns, the note
  // is in the page cache.
  let fd: number | undefined;
  let last = { taken: 0, settled: 0 };
  const broken = (error: unknown): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    // Told once: the log itself goes on; only the count after a kill is lost.
    options.onError(error, file);
  };
  try {
    fd = openSync(file, 'w');
  } catch (error) {
    broken(error);
  }
  const marker: UnwrittenMarker = {
    note(taken, settled) {
      if (fd === undefined || (taken === last.taken && settled === last.settled)) return;
      const text = JSON.stringify({ pid, taken, settled });
      try {
        writeSync(fd, text.padEnd(noteBytes, ' '), 0, 'utf8');
        last = { taken, settled };
      } catch (error) {
        broken(error);
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      rmSync(file, { force: true });
    },
  };
  return { marker, lost };
}
