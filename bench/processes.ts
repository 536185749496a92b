/**
 * Child processes for the benchmark: start them, wait until they answer, read their peak
 * memory, and make sure every one of them is gone when the run ends, however it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines the process wrote, for error messages. */
  recentOutput(): string;
}

const running = new Set<ManagedProcess>();
const OUTPUT_LINES_KEPT = 40;

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  /** Added to this process's environment; `undefined` removes an inherited variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Open an IPC channel (for the load worker). */
  ipc?: boolean;
}

export function startProcess(options: StartOptions): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.name}: ${options.command}`);
  const lines: string[] = [];
  const keep = (data: Buffer): void => {
    lines.push(...data.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const managed: ManagedProcess = { name: options.name, child, pid: child.pid, recentOutput: () => lines.join('\n') };
  running.add(managed);
  child.once('exit', () => running.delete(managed));
  return managed;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function stopProcess(managed: ManagedProcess, graceMilliseconds = 2_000): Promise<void> {
  const { child } = managed;
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(graceMilliseconds).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}

export function runningPids(): number[] {
  return [...running].map((managed) => managed.pid);
}

/** Synchronous, so it can run from an 'exit' handler. */
export function killAllNow(): void {
  for (const managed of running) {
    if (!hasExited(managed.child)) managed.child.kill('SIGKILL');
  }
  running.clear();
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((managed) => stopProcess(managed)));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200, the process dies, or the time runs out. */
export async function waitUntilHealthy(managed: ManagedProcess, url: string, timeoutMilliseconds = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited(managed.child)) {
      throw new Error(`${managed.name} exited (code ${managed.child.exitCode}) before it was ready:\n${managed.recentOutput()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = String(error);
    }
    await sleep(100);
  }
  throw new Error(`${managed.name} was not healthy at ${url} after ${timeoutMilliseconds} ms (${lastProblem}):\n${managed.recentOutput()}`);
}

/** Peak resident set size in MiB (VmHWM), or undefined where /proc is not there. */
export function peakResidentMebibytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
