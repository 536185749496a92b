/**
 * `npm run bench`: throughput and latency of Switchyard next to a bare undici proxy,
 * Portkey's gateway and the mock upstream itself, each in a process of its own.
 *
 * Environment: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2),
 * BENCH_CONNECTIONS (default 32), BENCH_RATE (fixed-rate req/s, default 500),
 * BENCH_ROUNDS (default 1: run every row this many times, interleaved, and keep medians),
 * BENCH_ONLY (comma-separated row ids or target names; `semantic-lookup` for the cache's
 * lookup micro-benchmark, which otherwise runs only with all rows), BENCH_SKIP_BUILD=1,
 * BENCH_SEMANTIC_ENTRIES (default 100000), BENCH_REDIS_URL and BENCH_DATABASE_URL.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildIfStale } from './build.js';
import { combineRounds } from './combine-rounds.js';
import { freePort, killAllNow, startProcess, stopAll, stopProcess, waitUntilHealthy } from './processes.js';
import { describeMachine, goalsTable, judgeGoals, notesText, problemsText, resultsTable, semanticLookupText, writeReport, type RowResult, type RunSettings } from './report.js';
import { runScenario } from './run-scenario.js';
import { goals, scenarios } from './scenarios.js';
import { runSemanticLookup, SEMANTIC_LOOKUP_ID, SEMANTIC_LOOKUP_LIMIT_SECONDS, type SemanticLookupOutcome } from './semantic-lookup.js';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

function numberFromEnvironment(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const settings: RunSettings = {
  durationSeconds: numberFromEnvironment('BENCH_DURATION', 10),
  warmupSeconds: numberFromEnvironment('BENCH_WARMUP', 2),
  connections: numberFromEnvironment('BENCH_CONNECTIONS', 32),
  rounds: Math.floor(numberFromEnvironment('BENCH_ROUNDS', 1)),
};

const only = (process.env.BENCH_ONLY ?? '').split(',').map((word) => word.trim()).filter(Boolean);
const selected = only.length === 0 ? scenarios : scenarios.filter((row) => only.includes(row.id) || only.includes(row.target));
const semanticLookupEntries = Math.floor(numberFromEnvironment('BENCH_SEMANTIC_ENTRIES', 100_000));
const runsSemanticLookup = only.length === 0 || only.includes(SEMANTIC_LOOKUP_ID);

/** Start-up, checks and stop of one row, on top of its warm-up and measured time. */
const ROW_OVERHEAD_SECONDS = 30;
const BUILD_ALLOWANCE_SECONDS = 200;
const runLimitMilliseconds =
  (settings.rounds * selected.length * (settings.durationSeconds + settings.warmupSeconds + ROW_OVERHEAD_SECONDS) +
    BUILD_ALLOWANCE_SECONDS +
    (runsSemanticLookup ? SEMANTIC_LOOKUP_LIMIT_SECONDS : 0)) *
  1000;

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllNow();
    process.exit(130);
  });
}
setTimeout(() => {
  console.error(`bench: gave up after ${runLimitMilliseconds / 1000} s; stopping every child process`);
  killAllNow();
  process.exit(1);
}, runLimitMilliseconds).unref();

function progressLine(row: RowResult): string {
  if (row.skipped) return `skipped: ${row.problems.join('; ')}`;
  const load = row.load;
  const numbers = load
    ? `${load.successesPerSecond.toFixed(0)} req/s, p50 ${load.latency.p50.toFixed(2)} ms, p99 ${load.latency.p99.toFixed(2)} ms`
    : 'no load run';
  return row.problems.length === 0 ? numbers : `${numbers}\n  !!! ERRORS: ${row.problems.join('\n  !!! ')}`;
}

async function main(): Promise<number> {
  const buildProblem = buildIfStale(repositoryRoot);
  if (buildProblem) console.error(`bench: Switchyard rows will be skipped: ${buildProblem}`);

  const mockPort = await freePort();
  const mockOrigin = `http://127.0.0.1:${mockPort}`;
  const mock = startProcess({
    name: 'mock upstream',
    command: process.execPath,
    args: ['--import', 'tsx', join(repositoryRoot, 'bench', 'mock-upstream.ts'), String(mockPort)],
    cwd: repositoryRoot,
  });
  await waitUntilHealthy(mock, `${mockOrigin}/healthz`);

  const rounds: RowResult[][] = [];
  for (let round = 1; round <= settings.rounds; round += 1) {
    const rows: RowResult[] = [];
    for (const [index, scenario] of selected.entries()) {
      const roundText = settings.rounds > 1 ? `round ${round}/${settings.rounds}, ` : '';
      console.error(`bench: [${roundText}${index + 1}/${selected.length}] ${scenario.id}...`);
      const row = await runScenario(scenario, { repositoryRoot, mockOrigin, settings });
      console.error(`  ${progressLine(row)}`);
      rows.push(row);
    }
    rounds.push(rows);
  }
  await stopProcess(mock);

  let semanticLookup: SemanticLookupOutcome | undefined;
  if (runsSemanticLookup) {
    console.error(`bench: ${SEMANTIC_LOOKUP_ID} (the cache's lookup with ${semanticLookupEntries} entries)...`);
    semanticLookup = await runSemanticLookup(repositoryRoot, semanticLookupEntries);
    console.error(`  ${semanticLookupText(semanticLookup).split('\n')[0]}`);
  }

  const results = combineRounds(rounds);
  const verdicts = judgeGoals(goals, results, rounds);
  const report = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    settings,
    results,
    goals: verdicts,
    ...(rounds.length > 1 ? { rounds } : {}),
    ...(semanticLookup ? { semanticLookup } : {}),
  };
  writeReport(report, join(repositoryRoot, 'bench', 'results.md'), join(repositoryRoot, 'bench', 'results.json'));

  const problems = problemsText(results);
  const notes = notesText(results);
  console.log(`\n${resultsTable(results)}\n`);
  if (problems) console.log(`ROWS THAT CANNOT BE TRUSTED:\n${problems}\n`);
  if (notes) console.log(`Notes:\n${notes}\n`);
  console.log(`${goalsTable(verdicts)}\n`);
  if (semanticLookup) console.log(`${semanticLookupText(semanticLookup)}\n`);
  console.log('Written: bench/results.md, bench/results.json');
  return results.some((row) => !row.skipped && row.problems.length > 0) ? 1 : 0;
}

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error('bench failed:', error);
    await stopAll();
    process.exit(1);
  });
