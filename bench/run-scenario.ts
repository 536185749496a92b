/**
 * One row of the benchmark: start its target in a fresh process, check one request (and,
 * for streams, that frames arrive as they are sent), put it under load, read its peak
 * memory, and stop it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCacheStatus, checkOneRequest, checkStreaming, countCacheStatuses, PROBE_ATTEMPTS, type RequestShape } from './checks.js';
import { cpuPerRequest, otherWorkPercent, takeCpuSnapshot, takeThreadTicks, type ThreadTicks } from './cpu-usage.js';
import { runLoad } from './load-runner.js';
import type { LoadResult } from './load-types.js';
import { freePort, peakResidentMebibytes, runningPids, startProcess, stopProcess, waitUntilHealthy } from './processes.js';
import type { RowResult, RunSettings } from './report.js';
import { chatBody, type RowSetup, type Scenario } from './scenarios.js';
import { unreachableReason } from './services.js';
import { wrkUnavailableReason } from './wrk-load.js';
import { targets } from './targets.js';
import { MARKER } from './unique-prompts.js';

export interface ScenarioContext {
  repositoryRoot: string;
  mockOrigin: string;
  settings: RunSettings;
}

/** Below this share of the asked-for rate, a fixed-rate row did not hold its rate. */
const FIXED_RATE_TOLERANCE = 0.95;
/** Above this share of the machine taken by other work, a row's numbers are noted as less reliable. */
const NOISY_PERCENT = 10;
/** A cache row whose expected status is below this share of its requests measured something else. */
const CACHE_STATUS_SHARE = 0.95;

function loadProblems(scenario: Scenario, load: LoadResult): string[] {
  const problems: string[] = [];
  if (load.non2xx > 0) {
    const codes = Object.entries(load.statusCodes).map(([code, count]) => `${code}: ${count}`).join(', ');
    problems.push(`${load.non2xx} non-2xx responses (${codes})`);
  }
  if (load.errors > 0) problems.push(`${load.errors} connection errors, ${load.timeouts} of them timeouts`);
  if (load.successes === 0) problems.push('no successful response at all');
  if (scenario.fixedRate && load.successesPerSecond < scenario.fixedRate * FIXED_RATE_TOLERANCE) {
    problems.push(`held only ${load.successesPerSecond.toFixed(0)} of ${scenario.fixedRate} req/s`);
  }
  return problems;
}

export async function runScenario(scenario: Scenario, context: ScenarioContext): Promise<RowResult> {
  const { id, label, target: targetName, stream, fixedRate } = scenario;
  const row: RowResult = { scenario: { id, label, target: targetName, stream, fixedRate }, problems: [], notes: [], skipped: false };
  const target = targets[targetName];
  const unavailable = target.unavailableReason(context.repositoryRoot);
  if (unavailable) return { ...row, skipped: true, problems: [unavailable] };
  for (const service of scenario.services ?? []) {
    const reason = await unreachableReason(service);
    if (reason) return { ...row, skipped: true, problems: [reason] };
  }
  if (scenario.uniquePrompt && (fixedRate || stream)) return { ...row, problems: ['uniquePrompt is only made for closed-loop JSON rows'] };
  if (scenario.api !== undefined && (targetName !== 'switchyard' || stream)) return { ...row, problems: ['Messages and Responses API rows are made for Switchyard, not streamed'] };
  if (scenario.load === 'wrk') {
    if (scenario.uniquePrompt || fixedRate) return { ...row, problems: ['wrk load is only made for closed-loop rows with one body'] };
    const reason = wrkUnavailableReason();
    if (reason) return { ...row, skipped: true, problems: [reason] };
  }

  const workDirectory = mkdtempSync(join(tmpdir(), 'bench-row-'));
  let setup: RowSetup;
  try {
    setup = (await scenario.setup?.({ mockOrigin: context.mockOrigin, workDirectory })) ?? {};
  } catch (error) {
    rmSync(workDirectory, { recursive: true, force: true });
    return { ...row, problems: [`setup failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const managed = startProcess(target.launch({ repositoryRoot: context.repositoryRoot, port, mockOrigin: context.mockOrigin, workDirectory, setup }));
  try {
    await waitUntilHealthy(managed, `${origin}${target.healthPath}`);
    const shape: RequestShape = {
      url: `${origin}${scenario.api === undefined ? target.chatPath : `/v1/${scenario.api}`}`,
      headers: { 'content-type': 'application/json', ...target.headers(context.mockOrigin), ...scenario.headers, ...setup.headers },
      body: JSON.stringify(chatBody(scenario, target.model)),
      stream,
    };
    const saidLately = (): string => {
      const output = managed.recentOutput().split('\n').slice(-10).join('\n');
      return output ? `\n  ${managed.name} said:\n${output}` : '';
    };
    const problem = await checkOneRequest(shape);
    if (problem) {
      row.problems.push(`check request: ${problem}${saidLately()}`);
      return row;
    }
    // The loaded body: the check's, or a template whose marker each request fills in.
    const unique = scenario.uniquePrompt;
    const loadBody = unique ? JSON.stringify(chatBody(scenario, target.model, `${unique.text}${MARKER}`)) : shape.body;
    if (scenario.cacheStatus) {
      const probe = await checkCacheStatus({ ...shape, body: loadBody }, scenario.cacheStatus, unique?.style);
      if (probe.skip) return { ...row, skipped: true, problems: [probe.skip] };
      if (probe.problem) {
        row.problems.push(`cache probe: ${probe.problem}${saidLately()}`);
        return row;
      }
    }
    if (stream) {
      row.streaming = await checkStreaming(shape, targetName === 'mock' ? [origin] : [context.mockOrigin]);
      if (!row.streaming.streams) row.notes.push('frames were held back: the first came only at the end of the stream');
    }
    const cpuBefore = takeCpuSnapshot(runningPids());
    let targetBefore: ThreadTicks | undefined;
    row.load = await runLoad(
      {
        url: shape.url,
        headers: shape.headers,
        connections: context.settings.connections,
        durationSeconds: context.settings.durationSeconds,
        warmupSeconds: context.settings.warmupSeconds,
        overallRate: fixedRate,
        body: loadBody,
        unique: unique ? { style: unique.style, firstIndex: PROBE_ATTEMPTS } : undefined,
        tool: scenario.load,
      },
      context.repositoryRoot,
      () => (targetBefore = takeThreadTicks(managed.pid)),
    );
    row.targetCpuMicrosPerRequest = cpuPerRequest(targetBefore, takeThreadTicks(managed.pid), row.load.successes);
    row.otherWorkPercent = otherWorkPercent(cpuBefore, takeCpuSnapshot(runningPids()));
    if (row.otherWorkPercent !== undefined && row.otherWorkPercent > NOISY_PERCENT) {
      row.notes.push(`other work took ${row.otherWorkPercent.toFixed(0)}% of the machine during this row`);
    }
    row.problems.push(...loadProblems(scenario, row.load));
    if (scenario.cacheStatus) {
      const counts = await countCacheStatuses(origin);
      const total = Object.values(counts ?? {}).reduce((sum, count) => sum + count, 0);
      const described = Object.entries(counts ?? {}).map(([status, count]) => `${status} ${count}`).join(', ');
      if (!counts || total === 0) row.notes.push('the cache statuses could not be read from /metrics');
      else if ((counts[scenario.cacheStatus] ?? 0) < total * CACHE_STATUS_SHARE) row.problems.push(`fewer than ${CACHE_STATUS_SHARE * 100}% of the requests were ${scenario.cacheStatus}: ${described}`);
      else row.notes.push(`cache statuses over the row (/metrics, check and warm-up included): ${described}`);
    }
    row.peakResidentMebibytes = peakResidentMebibytes(managed.pid);
    if (managed.child.exitCode !== null || managed.child.signalCode !== null) {
      row.problems.push(`${managed.name} died during the run:\n${managed.recentOutput()}`);
    }
  } catch (error) {
    row.problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await stopProcess(managed);
    try {
      await setup.cleanup?.();
    } catch (error) {
      row.notes.push(`clean-up after the row failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    rmSync(workDirectory, { recursive: true, force: true });
  }
  return row;
}
