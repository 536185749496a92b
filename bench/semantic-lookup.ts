/**
 * Runs the cache's semantic lookup micro-benchmark (semantic-lookup-worker.ts) after the
 * rows, so that it never shares the machine with a loaded row, and returns what the report
 * shows of it.
 */
import { join } from 'node:path';
import { peakResidentMebibytes, startProcess, stopProcess } from './processes.js';

export const SEMANTIC_LOOKUP_ID = 'semantic-lookup';
/** Building the index takes about 20 s for 100,000 entries on a small machine. */
export const SEMANTIC_LOOKUP_LIMIT_SECONDS = 180;

export interface SemanticLookupOutcome {
  entries: number;
  /** Lookup time through the whole path (embedding, index, fetch, re-check), in ms. */
  p50Ms?: number;
  p99Ms?: number;
  /** Time to fill the store and index, in ms. */
  buildMs?: number;
  lookups?: number;
  /** Share of the near-duplicate lookups that found their stored question. */
  nearDuplicateHitRate?: number;
  peakResidentMebibytes?: number;
  skipped?: string;
  problem?: string;
}

export async function runSemanticLookup(repositoryRoot: string, entries: number): Promise<SemanticLookupOutcome> {
  const worker = startProcess({
    name: 'semantic lookup',
    command: process.execPath,
    args: ['--import', 'tsx', join(repositoryRoot, 'bench', 'semantic-lookup-worker.ts'), String(entries)],
    cwd: repositoryRoot,
  });
  let output = '';
  worker.child.stdout?.on('data', (data: Buffer) => (output += data.toString('utf8')));
  let peak: number | undefined;
  const sampler = setInterval(() => (peak = peakResidentMebibytes(worker.pid) ?? peak), 500);
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${SEMANTIC_LOOKUP_LIMIT_SECONDS} s`)), SEMANTIC_LOOKUP_LIMIT_SECONDS * 1000);
      worker.child.once('close', resolve);
    });
    const line = output.trim().split('\n').at(-1) ?? '';
    let parsed: { result?: Record<string, number>; skip?: string } | undefined;
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (parsed?.skip) return { entries, skipped: parsed.skip };
    if (code !== 0 || !parsed?.result) return { entries, problem: `exited with code ${code}:\n${worker.recentOutput()}` };
    const { p50Ms, p99Ms, buildMs, lookups, nearDuplicateHitRate } = parsed.result;
    return { entries, p50Ms, p99Ms, buildMs, lookups, nearDuplicateHitRate, peakResidentMebibytes: peak };
  } catch (error) {
    return { entries, problem: error instanceof Error ? error.message : String(error) };
  } finally {
    clearInterval(sampler);
    clearTimeout(timer);
    await stopProcess(worker);
  }
}
