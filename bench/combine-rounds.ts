/**
 * With BENCH_ROUNDS > 1 every row runs once per round, the rounds interleaved, so a burst
 * of noise on the machine lands on all targets alike. A row's figures are then the median
 * over its rounds; counts of errors are summed, and any problem in any round spoils the row.
 */
import type { LatencySummary, LoadResult } from './load-types.js';
import type { RowResult } from './report.js';

function median(values: number[]): number {
  const sorted = [...values].sort((first, second) => first - second);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function combineLatency(summaries: LatencySummary[]): LatencySummary {
  return {
    p50: median(summaries.map((summary) => summary.p50)),
    p90: median(summaries.map((summary) => summary.p90)),
    p99: median(summaries.map((summary) => summary.p99)),
    max: Math.max(...summaries.map((summary) => summary.max)),
    mean: median(summaries.map((summary) => summary.mean)),
  };
}

function combineLoads(loads: LoadResult[]): LoadResult {
  const statusCodes: Record<string, number> = {};
  for (const load of loads) {
    for (const [code, count] of Object.entries(load.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  }
  return {
    durationSeconds: sum(loads.map((load) => load.durationSeconds)),
    successes: sum(loads.map((load) => load.successes)),
    successesPerSecond: median(loads.map((load) => load.successesPerSecond)),
    non2xx: sum(loads.map((load) => load.non2xx)),
    errors: sum(loads.map((load) => load.errors)),
    timeouts: sum(loads.map((load) => load.timeouts)),
    statusCodes,
    latency: combineLatency(loads.map((load) => load.latency)),
  };
}

/** `rounds[round][row]`, every round holding the same rows in the same order. */
export function combineRounds(rounds: RowResult[][]): RowResult[] {
  if (rounds.length === 1) return rounds[0];
  return rounds[0].map((firstRound, index) => {
    const attempts = rounds.map((round) => round[index]);
    const loads = attempts.flatMap((attempt) => (attempt.load ? [attempt.load] : []));
    const peaks = attempts.flatMap((attempt) => (attempt.peakResidentMebibytes === undefined ? [] : [attempt.peakResidentMebibytes]));
    const others = attempts.flatMap((attempt) => (attempt.otherWorkPercent === undefined ? [] : [attempt.otherWorkPercent]));
    const cpu = attempts.flatMap((attempt) => (attempt.targetCpuMicrosPerRequest ? [attempt.targetCpuMicrosPerRequest] : []));
    const label = (round: number, text: string): string => `round ${round + 1}: ${text}`;
    return {
      scenario: firstRound.scenario,
      skipped: attempts.every((attempt) => attempt.skipped),
      problems: firstRound.skipped ? firstRound.problems : attempts.flatMap((attempt, round) => attempt.problems.map((text) => label(round, text))),
      notes: attempts.flatMap((attempt, round) => attempt.notes.map((text) => label(round, text))),
      load: loads.length > 0 ? combineLoads(loads) : undefined,
      peakResidentMebibytes: peaks.length > 0 ? Math.max(...peaks) : undefined,
      otherWorkPercent: others.length > 0 ? median(others) : undefined,
      targetCpuMicrosPerRequest: cpu.length > 0 ? { main: median(cpu.map((each) => each.main)), others: median(cpu.map((each) => each.others)) } : undefined,
      streaming: attempts.find((attempt) => attempt.streaming && !attempt.streaming.streams)?.streaming ?? firstRound.streaming,
    };
  });
}
