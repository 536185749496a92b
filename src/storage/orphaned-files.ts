/**
 * Files named after the process that writes them (`<prefix><pid><suffix>`: crash journals, notes of unwritten
 * log records) are read back once their writer is gone.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Whether a process with this pid is running (EPERM: it is, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OrphanOptions {
  /** This process's pid: its own name counts as left behind (a restarted container's pid 1 is the same). */
  readonly pid?: number;
  readonly isAlive?: (pid: number) => boolean;
}

/** The files in `directory` named `<prefix><pid><suffix>` whose process is gone, or is this one. */
export function orphanedFiles(directory: string, prefix: string, suffix: string, options: OrphanOptions = {}): { file: string; owner: number }[] {
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processAlive;
  const found: { file: string; owner: number }[] = [];
  for (const name of readdirSync(directory)) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    const digits = name.slice(prefix.length, name.length - suffix.length);
    if (!/^\d+$/.test(digits)) continue;
    const owner = Number(digits);
    if (owner !== pid && isAlive(owner)) continue;
    found.push({ file: path.join(directory, name), owner });
  }
  return found;
}
