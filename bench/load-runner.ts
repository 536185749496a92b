/** Runs one LoadPlan in a fresh load-worker process and waits, bounded, for its result. */
import { join } from 'node:path';
import type { LoadPlan, LoadResult } from './load-types.js';
import { startProcess, stopProcess } from './processes.js';

/** Slack on top of warm-up plus duration before the worker is given up on. */
const SLACK_MILLISECONDS = 30_000;

/** `onMeasuring`: called when the warm-up ends and the measured seconds begin. */
export async function runLoad(plan: LoadPlan, repositoryRoot: string, onMeasuring?: () => void): Promise<LoadResult> {
  const worker = startProcess({
    name: 'load worker',
    command: process.execPath,
    args: ['--import', 'tsx', join(repositoryRoot, 'bench', 'load-worker.ts')],
    cwd: repositoryRoot,
    ipc: true,
  });
  const limitMilliseconds = (plan.warmupSeconds + plan.durationSeconds) * 1000 + SLACK_MILLISECONDS;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`load worker gave no result within ${limitMilliseconds} ms`)), limitMilliseconds);
      worker.child.on('message', (message: { measuring?: boolean; result?: LoadResult; error?: string }) => {
        if (message.measuring) onMeasuring?.();
        else if (message.result) resolve(message.result);
        else reject(new Error(`load worker failed: ${message.error}`));
      });
      worker.child.once('exit', (code) => reject(new Error(`load worker exited (code ${code}):\n${worker.recentOutput()}`)));
      worker.child.send(plan);
    });
  } finally {
    clearTimeout(timer);
    await stopProcess(worker);
  }
}
