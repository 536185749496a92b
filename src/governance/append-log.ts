/**
 * A crash journal for settled spend: one JSON line per entry, appended with a plain
 * write(2) before the response leaves. Once write returns the line is in the kernel's
 * page cache, so `kill -9` of the process cannot lose it (a power loss can; so can
 * SQLite with `synchronous = NORMAL`). That costs a few microseconds a request, where
 * one SQLite transaction a request cost about fifty.
 *
 * The lines are moved into SQLite in groups and the file is emptied after each group
 * commits. A file left by a process that died is replayed at start-up: every file of
 * this database's prefix whose process is gone (or has this process's pid, as a
 * restarted container's pid 1 does) is read, handed to `replay`, then removed. Each
 * process writes a file of its own, so two gateways sharing one SQLite file never
 * empty each other's lines.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { orphanedFiles, type OrphanOptions } from '../storage/orphaned-files.js';

/** `pid` and `isAlive` (tests) decide which journals were left by processes that are gone. */
export interface AppendLogOptions extends OrphanOptions {
  /** The SQLite file the journal belongs to; the journal files sit next to it. */
  readonly databaseFile: string;
  /** Which ledger: `ledger` or `journal`. */
  readonly name: string;
  /** Told when a line could not be appended (the entry still reaches SQLite with its group, without crash protection). */
  readonly onAppendError: (error: unknown) => void;
}

export class AppendLog {
  private readonly fd: number;
  private readonly file: string;
  private dirty = false;

  private constructor(
    file: string,
    private readonly onAppendError: (error: unknown) => void,
  ) {
    this.file = file;
    this.fd = openSync(file, 'a');
  }

  /**
   * Replays what dead processes left (each file's parsed lines go to `replay`, which must
   * make them durable elsewhere before it returns), then opens this process's file.
   * Lines that do not parse (a torn last line) are returned to `onUnreadable`.
   */
  static open(options: AppendLogOptions, replay: (lines: unknown[]) => void, onUnreadable: (line: string) => void): AppendLog {
    const pid = options.pid ?? process.pid;
    const directory = path.dirname(path.resolve(options.databaseFile));
    const prefix = `${path.basename(options.databaseFile)}-${options.name}-`;
    for (const { file } of orphanedFiles(directory, prefix, '.jsonl', options)) {
      const lines: unknown[] = [];
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.length === 0) continue;
        try {
          lines.push(JSON.parse(line));
        } catch {
          onUnreadable(line);
        }
      }
      if (lines.length > 0) replay(lines);
      rmSync(file, { force: true });
    }
    return new AppendLog(path.join(directory, `${prefix}${pid}.jsonl`), options.onAppendError);
  }

  append(value: unknown): void {
    try {
      writeSync(this.fd, `${JSON.stringify(value)}\n`);
      this.dirty = true;
    } catch (error) {
      this.onAppendError(error);
    }
  }

  /** Everything appended so far is durable elsewhere: empty the file. */
  clear(): void {
    if (!this.dirty) return;
    try {
      ftruncateSync(this.fd);
      this.dirty = false;
    } catch (error) {
      this.onAppendError(error);
    }
  }

  /** Closes and removes the file (after a clean stop, when everything was written). */
  close(): void {
    closeSync(this.fd);
    rmSync(this.file, { force: true });
  }
}
