/**
 * One row of the benchmark: start its target in a fresh process, check one request (and,
 * for streams, that frames arrive as they are sent), put it under load, read its peak
 * memory, and stop it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOneRequest, checkStreaming, type RequestShape } from './checks.js';
import { otherWorkPercent, takeCpuSnapshot } from './cpu-usage.js';
import { runLoad } from './load-runner.js';
import type { LoadResult } from './load-types.js';
import { freePort, peakResidentMebibytes, runningPids, startProcess, stopProcess, waitUntilHealthy } from './processes.js';
import type { RowResult, RunSettings } from './report.js';
import { chatBody, type Scenario } from './scenarios.js';
import { targets, type TargetSetup } from './targets.js';

export interface ScenarioContext {
  repositoryRoot: string;
  mockOrigin: string;
  settings: RunSettings;
}

/** Below this share of the asked-for rate, a fixed-rate row did not hold its rate. */
const FIXED_RATE_TOLERANCE = 0.95;
/** Above this share of the machine taken by other work, a row's numbers are noted as less reliable. */
const NOISY_PERCENT = 10;

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

  const workDirectory = mkdtempSync(join(tmpdir(), 'bench-row-'));
  let setup: TargetSetup;
  try {
    setup = scenario.setup?.({ mockOrigin: context.mockOrigin, workDirectory }) ?? {};
  } catch (error) {
    rmSync(workDirectory, { recursive: true, force: true });
    return { ...row, problems: [`setup failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const managed = startProcess(target.launch({ repositoryRoot: context.repositoryRoot, port, mockOrigin: context.mockOrigin, setup }));
  try {
    await waitUntilHealthy(managed, `${origin}${target.healthPath}`);
    const shape: RequestShape = {
      url: `${origin}${target.chatPath}`,
      headers: { 'content-type': 'application/json', ...target.headers(context.mockOrigin), ...scenario.headers },
      body: JSON.stringify(chatBody(scenario, target.model)),
      stream,
    };
    const problem = await checkOneRequest(shape);
    if (problem) {
      const output = managed.recentOutput().split('\n').slice(-10).join('\n');
      row.problems.push(`check request: ${problem}${output ? `\n  ${managed.name} said:\n${output}` : ''}`);
      return row;
    }
    if (stream) {
      row.streaming = await checkStreaming(shape, targetName === 'mock' ? [origin] : [context.mockOrigin]);
      if (!row.streaming.streams) row.notes.push('frames were held back: the first came only at the end of the stream');
    }
    const cpuBefore = takeCpuSnapshot(runningPids());
    row.load = await runLoad(
      {
        url: shape.url,
        headers: shape.headers,
        body: shape.body,
        connections: context.settings.connections,
        durationSeconds: context.settings.durationSeconds,
        warmupSeconds: context.settings.warmupSeconds,
        overallRate: fixedRate,
      },
      context.repositoryRoot,
    );
    row.otherWorkPercent = otherWorkPercent(cpuBefore, takeCpuSnapshot(runningPids()));
    if (row.otherWorkPercent !== undefined && row.otherWorkPercent > NOISY_PERCENT) {
      row.notes.push(`other work took ${row.otherWorkPercent.toFixed(0)}% of the machine during this row`);
    }
    row.problems.push(...loadProblems(scenario, row.load));
    row.peakResidentMebibytes = peakResidentMebibytes(managed.pid);
    if (managed.child.exitCode !== null || managed.child.signalCode !== null) {
      row.problems.push(`${managed.name} died during the run:\n${managed.recentOutput()}`);
    }
  } catch (error) {
    row.problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await stopProcess(managed);
    rmSync(workDirectory, { recursive: true, force: true });
  }
  return row;
}
