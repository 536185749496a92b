/**
 * Turns the measured rows into the printed table, bench/results.md and bench/results.json,
 * and judges the goals (ratios within this one run) as PASS, MISS or INVALID.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import type { StreamingCheck } from './checks.js';
import type { LoadResult } from './load-types.js';
import type { Goal, Scenario } from './scenarios.js';
import type { SemanticLookupOutcome } from './semantic-lookup.js';

export interface RowResult {
  scenario: Pick<Scenario, 'id' | 'label' | 'target' | 'stream' | 'fixedRate'>;
  /** Why the row's numbers cannot be trusted, or why it did not run; empty when it is good. */
  problems: string[];
  /** Findings that do not spoil the numbers, such as a stream that arrives all at once. */
  notes: string[];
  skipped: boolean;
  load?: LoadResult;
  peakResidentMebibytes?: number;
  streaming?: StreamingCheck;
  /** Share of the machine (all cores) that processes outside the benchmark used during the load. */
  otherWorkPercent?: number;
  /**
   * The target's CPU time per successful response over the measured seconds, in µs: its main thread, and its
   * other threads (V8's GC helpers, worker threads such as the request log's writer, libuv's pool).
   */
  targetCpuMicrosPerRequest?: { main: number; others: number };
}

export interface RunSettings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
}

export interface GoalVerdict {
  label: string;
  value?: number;
  display: string;
  target: string;
  verdict: 'PASS' | 'MISS' | 'INVALID' | 'NOT RUN' | 'INFO';
  reason?: string;
}

export function isTrustworthy(row: RowResult | undefined): row is RowResult & { load: LoadResult } {
  return row !== undefined && !row.skipped && row.problems.length === 0 && row.load !== undefined;
}

function operatingSystemName(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (match) return `${match[1]} (${osType()} ${release()})`;
  } catch {
    // not Linux: fall through
  }
  return `${osType()} ${release()}`;
}

export function describeMachine(): Record<string, string> {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: String(processors.length),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: operatingSystemName(),
  };
}

type RowsById = Map<string, RowResult>;

const byId = (results: RowResult[]): RowsById => new Map(results.map((row) => [row.scenario.id, row]));

function median(values: number[]): number {
  const sorted = [...values].sort((first, second) => first - second);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * One row's throughput over another's. With several rounds it is the median of each
 * round's own ratio, so that noise landing on one row in one round moves one ratio, not
 * the median of one side only.
 */
function throughputRatio(firstId: string, secondId: string, rows: RowsById, rounds: RowsById[]): { value: number; display: string } {
  const perRound = rounds.flatMap((round) => {
    const first = round.get(firstId)?.load?.successesPerSecond;
    const second = round.get(secondId)?.load?.successesPerSecond;
    return first !== undefined && second ? [first / second] : [];
  });
  if (rounds.length > 1 && perRound.length === rounds.length) {
    const value = median(perRound);
    return { value, display: `${value.toFixed(2)}x (rounds: ${perRound.map((ratio) => ratio.toFixed(2)).join(', ')})` };
  }
  const value = rows.get(firstId)!.load!.successesPerSecond / rows.get(secondId)!.load!.successesPerSecond;
  return { value, display: `${value.toFixed(2)}x` };
}

function judgeGoal(goal: Goal, rows: RowsById, rounds: RowsById[]): GoalVerdict {
  const [firstId, secondId] = goal.kind === 'added-p99' ? [goal.subject, goal.baseline] : [goal.numerator, goal.denominator];
  const first = rows.get(firstId);
  const second = rows.get(secondId);
  const target = goal.kind === 'throughput-ratio' ? `>= ${goal.atLeast}` : goal.kind === 'reported-ratio' ? '(reported)' : `< ${goal.belowMilliseconds} ms`;
  const base = { label: goal.label, target };
  if (!first || !second || first.skipped || second.skipped) {
    return { ...base, display: '-', verdict: 'NOT RUN', reason: `${firstId} or ${secondId} did not run` };
  }
  if (!isTrustworthy(first) || !isTrustworthy(second)) {
    const bad = [first, second].filter((row) => !isTrustworthy(row)).map((row) => row.scenario.id);
    return { ...base, display: '-', verdict: 'INVALID', reason: `row(s) with errors: ${bad.join(', ')}` };
  }
  if (goal.kind === 'throughput-ratio') {
    const { value, display } = throughputRatio(firstId, secondId, rows, rounds);
    return { ...base, value, display, verdict: value >= goal.atLeast ? 'PASS' : 'MISS' };
  }
  if (goal.kind === 'reported-ratio') {
    const { value, display } = throughputRatio(firstId, secondId, rows, rounds);
    return { ...base, value, display, verdict: 'INFO' };
  }
  const value = first.load.latency.p99 - second.load.latency.p99;
  const display = `${value >= 0 ? '+' : ''}${value.toFixed(2)} ms (${first.load.latency.p99.toFixed(2)} vs ${second.load.latency.p99.toFixed(2)})`;
  return { ...base, value, display, verdict: value < goal.belowMilliseconds ? 'PASS' : 'MISS' };
}

/** `rounds`: every round's own rows, when there was more than one (the ratios are then medians of per-round ratios). */
export function judgeGoals(goals: Goal[], results: RowResult[], rounds: RowResult[][] = []): GoalVerdict[] {
  const rows = byId(results);
  const roundRows = rounds.map(byId);
  return goals.map((goal) => judgeGoal(goal, rows, roundRows));
}

const milliseconds = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(2));

function streamingCell(row: RowResult): string {
  if (!row.scenario.stream || !row.streaming) return '';
  const { firstFrameMilliseconds, totalMilliseconds, streams } = row.streaming;
  return `${streams ? 'yes' : 'NO'} (${firstFrameMilliseconds.toFixed(0)}/${totalMilliseconds.toFixed(0)} ms)`;
}

function statusCell(row: RowResult): string {
  if (row.skipped) return 'skipped';
  return row.problems.length === 0 ? 'ok' : '**ERRORS**';
}

function rowCells(row: RowResult): string[] {
  const load = row.load;
  const mode = row.scenario.fixedRate ? `fixed ${row.scenario.fixedRate}/s` : row.scenario.stream ? 'stream' : 'json';
  const trusted = isTrustworthy(row);
  const rate = load ? `${Math.round(load.successesPerSecond)}${trusted ? '' : ' (!)'}` : '-';
  return [
    row.scenario.label,
    mode,
    rate,
    milliseconds(load?.latency.p50),
    milliseconds(load?.latency.p99),
    load ? String(load.non2xx) : '-',
    load ? String(load.errors) : '-',
    row.peakResidentMebibytes === undefined ? '-' : row.peakResidentMebibytes.toFixed(0),
    streamingCell(row),
    row.targetCpuMicrosPerRequest === undefined ? '-' : `${row.targetCpuMicrosPerRequest.main.toFixed(0)} + ${row.targetCpuMicrosPerRequest.others.toFixed(0)}`,
    row.otherWorkPercent === undefined ? '-' : row.otherWorkPercent.toFixed(0),
    statusCell(row),
  ];
}

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function resultsTable(results: RowResult[]): string {
  const header = ['scenario', 'mode', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'peak RSS MiB', 'streams (first/total)', 'target CPU µs/req (main + other threads)', 'other CPU %', 'status'];
  return markdownTable(header, results.map(rowCells));
}

export function goalsTable(verdicts: GoalVerdict[]): string {
  const rows = verdicts.map((verdict) => [verdict.label, verdict.display, verdict.target, verdict.reason ? `${verdict.verdict} (${verdict.reason})` : verdict.verdict]);
  return markdownTable(['goal', 'measured', 'target', 'verdict'], rows);
}

export function problemsText(results: RowResult[]): string {
  const lines = results
    .filter((row) => row.problems.length > 0)
    .map((row) => `- ${row.skipped ? 'SKIPPED' : '**ERRORS**'} ${row.scenario.id}: ${row.problems.join('; ')}`);
  return lines.join('\n');
}

export function notesText(results: RowResult[]): string {
  return results
    .filter((row) => row.notes.length > 0)
    .map((row) => `- ${row.scenario.id}: ${row.notes.join('; ')}`)
    .join('\n');
}

export interface Report {
  date: string;
  machine: Record<string, string>;
  settings: RunSettings;
  results: RowResult[];
  goals: GoalVerdict[];
  /** Every round's own rows, when there was more than one. */
  rounds?: RowResult[][];
  /** The cache's semantic lookup micro-benchmark, when it ran. */
  semanticLookup?: SemanticLookupOutcome;
}

export function semanticLookupText(outcome: SemanticLookupOutcome): string {
  const entries = outcome.entries.toLocaleString('en-US');
  if (outcome.skipped) return `Semantic lookup with ${entries} entries: skipped (${outcome.skipped}).`;
  if (outcome.problem) return `Semantic lookup with ${entries} entries: FAILED (${outcome.problem}).`;
  const share = outcome.nearDuplicateHitRate === undefined ? '-' : `${(outcome.nearDuplicateHitRate * 100).toFixed(0)}%`;
  return [
    `Semantic lookup (\`benchmarkSemanticLookup\`, one process, no gateway): ${entries} entries in one namespace and context,`,
    `${outcome.lookups} lookups through the whole path (offline embedding, index, fetch, re-check), half of them near-duplicates.`,
    '',
    markdownTable(
      ['entries', 'lookup p50 ms', 'lookup p99 ms', 'near-duplicates found', 'build s', 'peak RSS MiB'],
      [[entries, String(outcome.p50Ms), String(outcome.p99Ms), share, outcome.buildMs === undefined ? '-' : (outcome.buildMs / 1000).toFixed(1), outcome.peakResidentMebibytes === undefined ? '-' : outcome.peakResidentMebibytes.toFixed(0)]],
    ),
  ].join('\n');
}

export function renderMarkdown(report: Report): string {
  const machine = Object.entries(report.machine).map(([name, value]) => `- ${name}: ${value}`).join('\n');
  const problems = problemsText(report.results);
  const notes = notesText(report.results);
  return [
    '# Switchyard benchmark results',
    '',
    `Run on ${report.date} with \`npm run bench\`: ${report.settings.connections} connections, ` +
      `${report.settings.warmupSeconds} s warm-up, ${report.settings.durationSeconds} s measured per row` +
      (report.settings.rounds > 1 ? `, ${report.settings.rounds} interleaved rounds (medians shown).` : '.'),
    'Every component ran in its own process on one machine, so absolute numbers are only comparable within this run; the ratios are what matter.',
    'req/s counts 2xx responses; latencies are exact per-request times to the end of the body; peak RSS is VmHWM of the process under test;',
    '"other CPU %" is the share of the whole machine that processes outside the benchmark took during the row (noise).',
    '"target CPU µs/req" is the process under test\'s CPU time over the measured seconds per 2xx response: its main thread + its other threads (GC helpers, worker threads).',
    'It is steadier than req/s from round to round, but it also rises when req/s falls (fewer requests share each wake-up and system call), so read the two together.',
    'Closed-loop rows keep every connection busy (autocannon; rows marked "wrk load" use wrk, which costs the machine far less per request, so the gateway itself is the bottleneck). Fixed-rate rows start one request every 1/rate s (open loop) and count latency from when each was due.',
    '',
    '## Machine',
    '',
    machine,
    '',
    '## Results',
    '',
    resultsTable(report.results),
    '',
    ...(problems ? ['## Rows that cannot be trusted', '', problems, ''] : []),
    ...(notes ? ['## Notes', '', notes, ''] : []),
    '## Goals',
    '',
    goalsTable(report.goals),
    '',
    ...(report.semanticLookup ? ['## Cache: semantic lookup', '', semanticLookupText(report.semanticLookup), ''] : []),
  ].join('\n');
}

export function writeReport(report: Report, markdownPath: string, jsonPath: string): void {
  writeFileSync(markdownPath, renderMarkdown(report));
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
}
