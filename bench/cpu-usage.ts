/**
 * How much of the machine other work took while a row ran. The benchmark's own processes
 * (this one, its live children and every child it has already reaped) are subtracted from
 * the machine's busy time; what is left is noise from outside the run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuSnapshot {
  at: number;
  machineBusyTicks: number;
  ownTicks: number;
}

/** user, nice, system, irq, softirq, steal from the `cpu` line of /proc/stat; idle and iowait are left out. */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return user + nice + system + irq + softirq + (steal ?? 0);
}

/** Clock ticks a second in /proc's CPU times (USER_HZ). */
const ticksPerSecond = 100;

/**
 * The sum of fields of a /proc stat line (`/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat`), by their
 * number in proc(5): 14 utime, 15 stime, 16 cutime, 17 cstime. The name (field 2) may hold spaces, so fields
 * are counted from after its closing parenthesis.
 */
function statTicks(text: string, fields: readonly number[]): number {
  const afterName = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state), so field n is afterName[n - 3].
  return fields.reduce((total, field) => total + Number(afterName[field - 3]), 0);
}

/** utime + stime + cutime + cstime of one process. */
function processTicks(pid: number | 'self'): number {
  try {
    return statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'), [14, 15, 16, 17]);
  } catch {
    return 0;
  }
}

/** Undefined where /proc is not there. */
export function takeCpuSnapshot(livePids: number[]): CpuSnapshot | undefined {
  try {
    return {
      at: performance.now(),
      machineBusyTicks: machineBusyTicks(),
      ownTicks: processTicks('self') + livePids.reduce((total, pid) => total + processTicks(pid), 0),
    };
  } catch {
    return undefined;
  }
}

/** Percent of the whole machine (all cores) used by other work between two snapshots. */
export function otherWorkPercent(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): number | undefined {
  if (!before || !after) return undefined;
  const availableTicks = ((after.at - before.at) / 1000) * ticksPerSecond * cpus().length;
  const otherTicks = after.machineBusyTicks - before.machineBusyTicks - (after.ownTicks - before.ownTicks);
  return availableTicks > 0 ? Math.max(0, (100 * otherTicks) / availableTicks) : undefined;
}

/** CPU ticks of a process's threads: its main thread, and all the others (V8's GC helpers, worker threads, libuv's pool). */
export interface ThreadTicks {
  main: number;
  others: number;
}

/** utime + stime of each thread of `pid` (from /proc/<pid>/task); undefined where /proc is not there. */
export function takeThreadTicks(pid: number): ThreadTicks | undefined {
  try {
    const ticks: ThreadTicks = { main: 0, others: 0 };
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      } catch {
        continue; // a thread that ended in between
      }
      const used = statTicks(text, [14, 15]);
      if (Number(task) === pid) ticks.main += used;
      else ticks.others += used;
    }
    return ticks;
  } catch {
    return undefined;
  }
}

/** The target's CPU time per successful response between two readings, in microseconds. */
export function cpuPerRequest(before: ThreadTicks | undefined, after: ThreadTicks | undefined, requests: number): ThreadTicks | undefined {
  if (!before || !after || requests <= 0) return undefined;
  const microsecondsPerTick = 1_000_000 / ticksPerSecond;
  return { main: ((after.main - before.main) * microsecondsPerTick) / requests, others: ((after.others - before.others) * microsecondsPerTick) / requests };
}
