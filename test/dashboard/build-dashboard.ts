/**
 * Builds the dashboard into a fresh temporary directory for a test run, with
 * the same vite config as `npm run build:web`. Runs vite in its own process,
 * in production mode, so the test runner's environment does not leak in.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function buildDashboard(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'switchyard-dashboard-'));
  const vite = path.join(packageRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: packageRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    timeout: 120_000,
  });
  return outDir;
}
